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
