// Memory accesses that may fault and report it instead of oopsing: the kernel's
// own (copy_from_kernel_nofault) and user memory (copy_from_user & co.).
//
// User accesses: every user pointer is checked with access_ok (the whole range
// below TASK_SIZE_MAX, so a pointer into the kernel half is refused before it is
// touched), the access itself runs between STAC and CLAC (SMAP stays on for all
// other kernel code), and each instruction that touches user memory has an
// exception-table entry: an unmapped or protected user page makes the call
// return short (-EFAULT to the caller), never an oops. A fault on a user page
// that is mapped but not yet populated is resolved by the page-fault handler
// (handle_user_fault) and the instruction retried.
#pragma once
#include <keel/mm.h>
#include <keel/types.h>
#include <stddef.h>
#include <type_traits>

// Marks pointers that come from user space (documentation; Linux's sparse tag).
#define __user

// Copy that returns -EFAULT if either side is unmapped (or not writable), 0 on
// success (Linux's copy_{from,to}_kernel_nofault). Used by the backtracer,
// which must not fault on a corrupt frame chain, and by tests.
long copy_from_kernel_nofault(void* dst, const void* src, size_t size);
long copy_to_kernel_nofault(void* dst, const void* src, size_t size);

// [addr, addr+size) lies entirely in user space (no wrap-around).
static inline bool access_ok(const void __user* addr, size_t size) {
    auto a = reinterpret_cast<unsigned long>(addr);
    return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}

// Linux's contract: the number of bytes NOT copied (0 on success).
unsigned long copy_from_user(void* to, const void __user* from, unsigned long n);
unsigned long copy_to_user(void __user* to, const void* from, unsigned long n);
unsigned long clear_user(void __user* to, unsigned long n);
// Copies a NUL-terminated string of at most count bytes (NUL included when it
// fits). Returns its length without the NUL, count if no NUL came within
// count bytes, or -EFAULT.
long strncpy_from_user(char* dst, const char __user* src, long count);

// One value: 0 or -EFAULT.
template <typename T> inline int get_user(T& x, const T __user* ptr) {
    static_assert(std::is_trivially_copyable_v<T>);
    return copy_from_user(&x, ptr, sizeof(T)) ? -EFAULT : 0;
}
template <typename T> inline int put_user(const T& x, T __user* ptr) {
    static_assert(std::is_trivially_copyable_v<T>);
    return copy_to_user(ptr, &x, sizeof(T)) ? -EFAULT : 0;
}
