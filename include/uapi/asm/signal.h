// Signal numbers (arch/x86/include/uapi/asm/signal.h); exit statuses and
// SIGCHLD need them before signal delivery exists. Macros, as in Linux, so an
// identical definition elsewhere (keel/signal_fault.h) is harmless.
#pragma once

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGSYS 31
#define SIGSTKFLT 16
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGRTMIN 32
#define SIGRTMAX 64

// sa_flags
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_UNSUPPORTED 0x00000400u
#define SA_EXPOSE_TAGBITS 0x00000800u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

// rt_sigprocmask how
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SIG_DFL ((__sighandler_t)0)
#define SIG_IGN ((__sighandler_t)1)

// sigaltstack
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

typedef void (*__sighandler_t)(int);
typedef void (*__sigrestore_t)();

// rt_sigaction's argument (Linux's struct sigaction as the x86-64 kernel sees it).
struct sigaction {
    __sighandler_t sa_handler;
    unsigned long sa_flags;
    __sigrestore_t sa_restorer;
    unsigned long sa_mask;  // sigset_t: one word for 64 signals
};
static_assert(sizeof(struct sigaction) == 32);

typedef struct sigaltstack {
    void* ss_sp;
    int ss_flags;
    unsigned long ss_size;
} stack_t;
static_assert(sizeof(stack_t) == 24);
