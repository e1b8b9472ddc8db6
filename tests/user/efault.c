// Bad user pointers make system calls fail with EFAULT instead of crashing
// the process (or the kernel, or leaking kernel memory): NULL, low addresses,
// kernel addresses, non-canonical addresses, and buffers that run off the end
// of a mapping. Raw syscall() is used so no libc code (or vDSO) touches the
// pointer first.
#define _GNU_SOURCE
#include "t.h"
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define KADDR ((void*)0xffffffff81000000UL)  // where kernels usually live
#define NONCANON ((void*)0x8000000000000000UL)

int main(void) {
    // write: the source buffer is read by the kernel.
    T_RET(syscall(SYS_write, 1, NULL, 10));
    T_RET(syscall(SYS_write, 1, (void*)1, 10));
    T_RET(syscall(SYS_write, 1, KADDR, 10));
    T_RET(syscall(SYS_write, 1, NONCANON, 10));
    T_RET(syscall(SYS_write, 1, NULL, 0));  // nothing to read: 0
    // A page followed by a hole, for buffers that run off the end.
    char* p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 4096, 4096);
    T_RET(syscall(SYS_write, 1, p + 4096 - 1, 0));  // 0 bytes: fine

    // uname and clock_gettime write to the pointer.
    T_RET(syscall(SYS_uname, NULL));
    T_RET(syscall(SYS_uname, (void*)1));
    T_RET(syscall(SYS_uname, KADDR));
    T_RET(syscall(SYS_uname, p + 4096 - 16));  // struct runs into the hole
    T_RET(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL));
    T_RET(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KADDR));
    T_RET(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NONCANON));
    T_RET(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p + 4096 - 8));  // half in the hole
    // Read-only memory is not writable by the kernel either.
    T_RET(mprotect(p, 4096, PROT_READ));
    T_RET(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
    T_RET(syscall(SYS_uname, p));
    // ...but readable: write from it works.
    T_RET(syscall(SYS_write, 1, p, 0));

    // Other calls taking pointers.
    T_RET(syscall(SYS_nanosleep, NULL, NULL));
    T_RET(syscall(SYS_nanosleep, KADDR, NULL));
    T_RET(syscall(SYS_rt_sigaction, SIGUSR1, (void*)1, NULL, 8));
    T_RET(syscall(SYS_rt_sigaction, SIGUSR1, NULL, KADDR, 8));
    T_RET(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void*)1, NULL, 8));
    T_RET(syscall(SYS_execve, (void*)1, NULL, NULL));
    T_RET(syscall(SYS_wait4, -1, KADDR, 0, NULL));  // no children: ECHILD first
    T_RET(syscall(SYS_getresuid, NULL, NULL, NULL));
    T_RET(syscall(SYS_gettimeofday, KADDR, NULL));
    T_RET(syscall(SYS_time, KADDR));
    T_RET(syscall(SYS_sethostname, KADDR, 4));
    T_RET(syscall(SYS_getgroups, 1, KADDR));  // no groups to copy: 0
    printf("still alive\n");
    t_exit(0);
}
