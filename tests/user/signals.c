// Signals within one process: sigaction install/query, delivery by raise and
// kill with the right siginfo, blocking with sigprocmask (the signal stays
// pending, is delivered once on unblock — standard signals do not queue),
// the handler's mask, SA_RESETHAND, SA_NODEFER, EINVAL for SIGKILL/SIGSTOP
// and bad numbers, and SIGSEGV from a bad pointer caught by a handler that
// sees the faulting address.
#define _GNU_SOURCE
#include "t.h"
#include <setjmp.h>
#include <sys/syscall.h>

static volatile int calls, count, last_code, last_pid_ok, depth, max_depth, usr2_blocked_inside;
static void on_usr1(int sig, siginfo_t* si, void* uc) {
    (void)uc;
    count++;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid() && si->si_signo == sig;
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    usr2_blocked_inside = sigismember(&cur, SIGUSR2) * 2 + sigismember(&cur, SIGUSR1);
}
static void on_nested(int sig) {
    depth++;
    calls++;
    if (depth > max_depth) max_depth = depth;
    if (calls < 3) raise(sig);  // with SA_NODEFER this nests
    depth--;
}
static sigjmp_buf jb;
static void* volatile fault_addr;
static volatile int segv_code;
static void on_segv(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    fault_addr = si->si_addr;
    segv_code = si->si_code;
    siglongjmp(jb, 1);
}

static const char* code_name(int c) {
    return c == SI_USER ? "SI_USER" : c == SI_TKILL ? "SI_TKILL" : c == SI_QUEUE ? "SI_QUEUE" : "other";
}

int main(void) {
    struct sigaction sa = {0}, old;
    // The initial disposition of everything is SIG_DFL.
    T_RET(sigaction(SIGUSR1, NULL, &old));
    T_YES(old.sa_handler == SIG_DFL);

    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    T_RET(sigaction(SIGUSR1, &sa, NULL));
    T_RET(sigaction(SIGUSR1, NULL, &old));
    T_YES(old.sa_sigaction == on_usr1 && (old.sa_flags & SA_SIGINFO));
    T_YES(sigismember(&old.sa_mask, SIGUSR2));

    // raise() = tgkill: delivered before it returns, si_code SI_TKILL.
    T_RET(raise(SIGUSR1));
    printf("count %d code %s pid ok %d\n", count, code_name(last_code), last_pid_ok);
    // Inside the handler both the signal itself and sa_mask are blocked.
    printf("blocked inside handler: usr1 %d usr2 %d\n", usr2_blocked_inside & 1, usr2_blocked_inside >> 1);
    // kill() to ourselves: SI_USER.
    T_RET(kill(getpid(), SIGUSR1));
    printf("count %d code %s pid ok %d\n", count, code_name(last_code), last_pid_ok);
    // sigqueue: SI_QUEUE.
    union sigval v = {.sival_int = 5};
    T_RET(sigqueue(getpid(), SIGUSR1, v));
    printf("count %d code %s\n", count, code_name(last_code));

    // Blocked: pending, not delivered; two sends collapse into one delivery.
    sigset_t set, old_mask, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    T_RET(sigprocmask(SIG_BLOCK, &set, &old_mask));
    T_YES(!sigismember(&old_mask, SIGUSR1));
    count = 0;
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("while blocked count %d\n", count);
    T_RET(sigpending(&pend));
    T_YES(sigismember(&pend, SIGUSR1));
    T_YES(!sigismember(&pend, SIGUSR2));
    T_RET(sigprocmask(SIG_UNBLOCK, &set, NULL));
    printf("after unblock count %d\n", count);
    sigpending(&pend);
    T_YES(!sigismember(&pend, SIGUSR1));

    // SIGKILL and SIGSTOP cannot be caught or blocked; bad numbers are EINVAL.
    T_RET(sigaction(SIGKILL, &sa, NULL));
    T_RET(sigaction(SIGSTOP, &sa, NULL));
    T_RET(sigaction(0, &sa, NULL));
    T_RET(sigaction(65, &sa, NULL));
    T_RET(kill(getpid(), 65));
    sigemptyset(&set);
    sigaddset(&set, SIGKILL);
    sigaddset(&set, SIGSTOP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &set);
    T_YES(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP));
    T_RET(sigprocmask(42, &set, NULL));  // bad how: EINVAL
    T_RET(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));  // bad sigsetsize: EINVAL
    T_RET(kill(getpid(), 0));  // existence check
    T_RET(kill(999999, 0));    // ESRCH

    // Ignored signals are discarded, not left pending.
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    sigpending(&pend);
    T_YES(!sigismember(&pend, SIGUSR2));

    // SA_RESETHAND: one delivery, then back to SIG_DFL.
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    count = 0;
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    printf("SA_RESETHAND: count %d, now default %s\n", count, old.sa_handler == SIG_DFL ? "yes" : "no");

    // SA_NODEFER lets the handler be interrupted by its own signal.
    struct sigaction sn = {0};
    sn.sa_handler = on_nested;
    sn.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sn, NULL);
    raise(SIGUSR2);
    printf("SA_NODEFER depth %d calls %d\n", max_depth, calls);
    sn.sa_flags = 0;
    max_depth = calls = 0;
    sigaction(SIGUSR2, &sn, NULL);
    raise(SIGUSR2);  // nested raise stays pending until the handler returns
    printf("deferred depth %d calls %d\n", max_depth, calls);

    // SIGSEGV from a bad pointer, caught: si_addr is the address touched.
    struct sigaction ss = {0};
    ss.sa_sigaction = on_segv;
    ss.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &ss, NULL);
    volatile int* bad = (int*)0x10;
    if (sigsetjmp(jb, 1) == 0) {
        *bad = 1;
        printf("no fault\n");
    } else {
        printf("SIGSEGV at 0x10: %s, code %s\n", fault_addr == (void*)0x10 ? "yes" : "no",
               segv_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
    }
    // A kernel address: SIGSEGV too (si_addr is reported as given for user
    // faults on kernel addresses).
    bad = (int*)0xffffffff81000000UL;
    if (sigsetjmp(jb, 1) == 0) {
        (void)*bad;
        printf("no fault\n");
    } else {
        printf("SIGSEGV at kernel address: yes\n");
    }
    // Execution restarts normally after siglongjmp restored the mask: a
    // second fault is caught as well.
    bad = (int*)0x20;
    if (sigsetjmp(jb, 1) == 0) {
        *bad = 1;
    } else {
        printf("second SIGSEGV at 0x20: %s\n", fault_addr == (void*)0x20 ? "yes" : "no");
    }
    t_exit(0);
}
