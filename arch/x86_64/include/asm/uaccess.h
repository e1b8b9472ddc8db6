// Memory accesses that may fault and report it instead of oopsing.
#pragma once
#include <stddef.h>

// Copy that returns -EFAULT if either side is unmapped (or not writable), 0 on
// success (Linux's copy_{from,to}_kernel_nofault). Used by the backtracer,
// which must not fault on a corrupt frame chain, and by tests.
long copy_from_kernel_nofault(void* dst, const void* src, size_t size);
long copy_to_kernel_nofault(void* dst, const void* src, size_t size);
