// For ktest suites that need a user address space: runs `body` in a kernel
// thread on CPU 0 that owns a fresh mm (mm_alloc), loaded in CR3, and drops
// the mm afterwards. Returns when body has returned.
#pragma once
#include <keel/mm.h>
#include <tests/kernel/ktest.h>

void ktest_run_in_mm(ktest* t, void (*body)(ktest*, mm_struct*), const char* thread_name);
