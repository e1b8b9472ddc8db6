// What the vDSO's own code shares (Linux's asm/vdso/gettimeofday.h and
// vsyscall.h, vDSO side): the data page and the system call it falls back on.
#pragma once
#include <vdso/datapage.h>

// The vvar page sits one page below the vDSO's first byte (vdso.lds). Hidden,
// so the reference is RIP-relative and needs no relocation.
extern "C" const vdso_data vvar_page __attribute__((visibility("hidden")));

static inline long vdso_syscall2(long nr, long a, long b) {
    long ret;
    asm volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return ret;
}
