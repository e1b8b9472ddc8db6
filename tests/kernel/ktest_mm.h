// For ktest suites that need a user address space: runs `body` in a kernel
// thread on CPU 0 that owns a fresh mm (mm_alloc), loaded in CR3, and drops
// the mm afterwards. Returns when body has returned.
#pragma once
#include <keel/mm.h>
#include <tests/kernel/ktest.h>

void ktest_run_in_mm(ktest* t, void (*body)(ktest*, mm_struct*), const char* thread_name);

// Kernel accesses to the loaded mm's user memory as copy_{to,from}_user make
// them (through the exception table, EFLAGS.AC set under SMAP): 0 or -EFAULT.
long ktest_put_user_byte(unsigned long addr, char c);
long ktest_get_user_byte(unsigned long addr, char* c);
// What the #PF handler does for a fault at addr in current's mm, without taking one.
vm_fault_t ktest_user_fault(mm_struct* mm, unsigned long addr, unsigned flags, int* si_code);
// The page a present PTE of mm maps at addr, or nullptr.
struct page* ktest_page_at(mm_struct* mm, unsigned long addr);
