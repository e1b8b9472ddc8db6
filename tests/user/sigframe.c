// Signal frames and waiting for signals, within one process: sigaltstack
// (SA_ONSTACK, SS_ONSTACK inside the handler, EPERM while on it, ENOMEM,
// EINVAL), FPU registers preserved across a handler that uses them, the
// handler's stack alignment, SIGFPE/SIGILL/SIGTRAP from instructions with
// their si_code and si_addr, rt_sigtimedwait (pending, timeout, EAGAIN),
// nanosleep interrupted by a handler (EINTR and the time left), and interval
// timers (ITIMER_REAL periods, getitimer, alarm's return value).
#define _GNU_SOURCE
#include "t.h"
#include <setjmp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, alt_flags, sigaltstack_errno, sp_misaligned;

static void on_usr1(int sig) {
    (void)sig;
    char here;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
    stack_t cur;
    sigaltstack(NULL, &cur);
    alt_flags = cur.ss_flags;
    // Changing the stack while running on it is refused.
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack_errno = sigaltstack(&ss, NULL) == -1 ? errno : 0;
}

// Entered like a called function: sp + 8 is 16-byte aligned.
static void on_usr2(int sig) {
    (void)sig;
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0) + 16;  // sp at entry, before the call pushed rbp
    sp_misaligned = (sp & 15) != 0;
}

static volatile double fpu_handler_result;
static void on_fpu_clobber(int sig) {
    (void)sig;
    volatile double x = 3.0;
    for (int i = 0; i < 10; i++) x = x * 1.5 + 0.25;
    fpu_handler_result = x;
}

static sigjmp_buf jb;
static volatile int fault_sig, fault_code;
static void* volatile fault_addr;
static void on_fault(int sig, siginfo_t* si, void* uc) {
    (void)uc;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = si->si_addr;
    siglongjmp(jb, 1);
}

static volatile int alarms;
static void on_alrm(int sig) {
    (void)sig;
    alarms++;
}

static void catch_with(int sig, void (*fn)(int, siginfo_t*, void*), int flags) {
    struct sigaction sa = {0};
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static void handle(int sig, void (*fn)(int), int flags) {
    struct sigaction sa = {0};
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

int main(void) {
    // sigaltstack: none at first; too small; bad flags; installed.
    stack_t ss, old;
    T_RET(sigaltstack(NULL, &old));
    printf("initial flags %s\n", old.ss_flags == SS_DISABLE ? "SS_DISABLE" : "other");
    ss.ss_sp = altstack;
    ss.ss_size = MINSIGSTKSZ - 1;
    ss.ss_flags = 0;
    T_RET(sigaltstack(&ss, NULL));
    ss.ss_size = sizeof altstack;
    ss.ss_flags = 42;
    T_RET(sigaltstack(&ss, NULL));
    ss.ss_flags = 0;
    T_RET(sigaltstack(&ss, NULL));
    T_RET(sigaltstack(NULL, &old));
    printf("installed: size ok %d flags %d\n", old.ss_size == sizeof altstack, old.ss_flags);

    handle(SIGUSR1, on_usr1, SA_ONSTACK);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler on the alternate stack: %s, ss_flags %s, sigaltstack inside: %s\n",
           on_alt ? "yes" : "no", alt_flags == SS_ONSTACK ? "SS_ONSTACK" : "other", t_errname(sigaltstack_errno));
    handle(SIGUSR1, on_usr1, 0);
    raise(SIGUSR1);
    printf("without SA_ONSTACK on the alternate stack: %s\n", on_alt ? "yes" : "no");
    ss.ss_flags = SS_DISABLE;
    T_RET(sigaltstack(&ss, NULL));
    T_RET(sigaltstack(NULL, &old));
    printf("disabled: %s\n", old.ss_flags == SS_DISABLE ? "yes" : "no");

    handle(SIGUSR2, on_usr2, 0);
    raise(SIGUSR2);
    printf("handler entry sp + 8 16-byte aligned: %s\n", sp_misaligned ? "no" : "yes");

    // Floating-point state survives a handler that computes with it.
    handle(SIGUSR2, on_fpu_clobber, 0);
    volatile double a = 1.0 / 3.0, b = 2.0;
    double before = a * b;
    raise(SIGUSR2);
    printf("FPU state kept across the handler: %s, handler computed %.4f\n", a * b == before ? "yes" : "no",
           fpu_handler_result);

    // Faults from instructions.
    catch_with(SIGFPE, on_fault, 0);
    volatile int zero = 0, seven = 7;  // both volatile: no constant folding of the idiv away
    if (sigsetjmp(jb, 1) == 0) {
        volatile int q = seven / zero;
        (void)q;
        printf("no SIGFPE\n");
    } else {
        printf("divide by zero: sig %s code %s\n", fault_sig == SIGFPE ? "SIGFPE" : "other",
               fault_code == FPE_INTDIV ? "FPE_INTDIV" : "other");
    }
    catch_with(SIGILL, on_fault, 0);
    extern char ud2_here[];
    if (sigsetjmp(jb, 1) == 0) {
        __asm__ volatile("ud2_here: ud2");
        printf("no SIGILL\n");
    } else {
        printf("ud2: sig %s code %s, si_addr is the instruction: %s\n", fault_sig == SIGILL ? "SIGILL" : "other",
               fault_code == ILL_ILLOPN ? "ILL_ILLOPN" : "other", fault_addr == (void*)ud2_here ? "yes" : "no");
    }
    catch_with(SIGTRAP, on_fault, 0);
    if (sigsetjmp(jb, 1) == 0) {
        __asm__ volatile("int3");
        printf("no SIGTRAP\n");
    } else {
        printf("int3: sig %s code %s\n", fault_sig == SIGTRAP ? "SIGTRAP" : "other",
               fault_code == SI_KERNEL ? "SI_KERNEL" : "other");
    }

    // rt_sigtimedwait: a blocked pending signal is taken with its siginfo.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    union sigval v = {.sival_int = 77};
    sigqueue(getpid(), SIGUSR1, v);
    siginfo_t si;
    struct timespec zero_ts = {0, 0}, short_ts = {0, 20000000};
    T_RET(sigtimedwait(&set, &si, &zero_ts));
    printf("siginfo: code %s value %d\n", si.si_code == SI_QUEUE ? "SI_QUEUE" : "other", si.si_value.sival_int);
    T_RET(sigtimedwait(&set, &si, &zero_ts));
    T_RET(sigtimedwait(&set, &si, &short_ts));
    struct timespec bad_ts = {0, 1000000000};
    T_RET(sigtimedwait(&set, &si, &bad_ts));
    T_RET(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero_ts, 4));
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    // A handled signal ends nanosleep early with EINTR and the time left.
    handle(SIGALRM, on_alrm, SA_RESTART);
    struct itimerval it = {{0, 0}, {0, 50000}};
    T_RET(setitimer(ITIMER_REAL, &it, NULL));
    struct timespec req = {5, 0}, rem = {0, 0};
    T_RET(nanosleep(&req, &rem));
    printf("alarms %d, time left between 4 and 5 s: %s\n", alarms,
           rem.tv_sec == 4 || (rem.tv_sec == 5 && rem.tv_nsec == 0) ? "yes" : "no");

    // A periodic ITIMER_REAL: three expiries, each waited for with pause().
    alarms = 0;
    struct itimerval periodic = {{0, 20000}, {0, 20000}}, cur;
    T_RET(setitimer(ITIMER_REAL, &periodic, NULL));
    while (alarms < 3) pause();
    T_RET(getitimer(ITIMER_REAL, &cur));
    printf("periodic: alarms %d, interval %ld.%06ld, armed %s\n", alarms, (long)cur.it_interval.tv_sec,
           (long)cur.it_interval.tv_usec, cur.it_value.tv_sec || cur.it_value.tv_usec ? "yes" : "no");
    struct itimerval off = {{0, 0}, {0, 0}};
    T_RET(setitimer(ITIMER_REAL, &off, &cur));
    T_RET(getitimer(ITIMER_REAL, &cur));
    printf("disarmed: %s\n", cur.it_value.tv_sec || cur.it_value.tv_usec ? "no" : "yes");
    T_RET(setitimer(42, &off, NULL));
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    T_RET(setitimer(ITIMER_REAL, &bad, NULL));
    T_RET(getitimer(42, &cur));

    // alarm: the seconds left on the previous one, rounded.
    T_RET(alarm(100));
    T_RET(alarm(0));
    T_RET(alarm(0));
    t_exit(0);
}
