// siginfo_t (Linux's include/uapi/asm-generic/siginfo.h) as x86-64 lays it
// out: 128 bytes, three ints then a union aligned to 8.
#pragma once
#include <keel/types.h>

union sigval_t {
    int sival_int;
    void* sival_ptr;
};

struct kernel_siginfo {
    int si_signo;
    int si_errno;
    int si_code;
    union {
        int _pad[28];
        struct { int pid; unsigned uid; } kill;                         // SI_USER, SI_TKILL
        struct { int tid; int overrun; sigval_t sigval; int sys_private; } timer;  // SI_TIMER
        struct { int pid; unsigned uid; sigval_t sigval; } rt;          // SI_QUEUE
        struct { int pid; unsigned uid; int status; long utime; long stime; } sigchld;
        struct { void* addr; } sigfault;                                // SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP
    } fields;
};
static_assert(sizeof(kernel_siginfo) == 128);
static_assert(__builtin_offsetof(kernel_siginfo, fields) == 16);
using siginfo_t = kernel_siginfo;

// si_code: who sent it
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_MESGQ -3
#define SI_ASYNCIO -4
#define SI_SIGIO -5
#define SI_TKILL -6

#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define FPE_FLTDIV 3
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define TRAP_BRKPT 1
#define TRAP_TRACE 2

#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
