// Signals between processes: SIGCHLD with its siginfo when a child exits,
// SIGCHLD set to SIG_IGN making children reap themselves (wait4 -> ECHILD),
// a blocking wait4 interrupted by a handler — restarted with SA_RESTART,
// failing with EINTR without it — pause() and sigsuspend() returning EINTR,
// nanosleep interrupted (EINTR even with SA_RESTART), and a child killed by
// a signal's default action.
#define _GNU_SOURCE
#include "t.h"
#include <sys/wait.h>
#include <time.h>

static volatile int chld_count, chld_code, chld_status, chld_pid, usr1_count;
static void on_chld(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    chld_count++;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid;
}
static void on_usr1(int sig) {
    (void)sig;
    usr1_count++;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) && errno == EINTR) {}
}

// A child that sends SIGNAL to its parent every 50 ms, COUNT times (0: until
// killed), then exits with CODE. Repeating makes the tests independent of
// when the parent gets to block: a signal that arrives too early is handled,
// a later one interrupts the blocking call.
static pid_t pester(int sig, int count, int code) {
    pid_t parent = getpid();
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        for (int i = 0; count == 0 || i < count; i++) {
            sleep_ms(50);
            if (getppid() != parent) break;
            kill(parent, sig);
        }
        sleep_ms(50);
        _exit(code);
    }
    return c;
}
static void stop(pid_t c) {
    int st;
    kill(c, SIGKILL);
    wait4(c, &st, 0, NULL);
}

static void handle_usr1(int flags) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
}

int main(void) {
    int st;
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);

    // SIGCHLD on exit, with the child's pid and exit code.
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) _exit(33);
    T_YES(wait4(c, &st, 0, NULL) == c);
    printf("SIGCHLD count %d, CLD_EXITED %s, status %d, pid ok %s\n", chld_count,
           chld_code == CLD_EXITED ? "yes" : "no", chld_status, chld_pid == c ? "yes" : "no");

    // Killed child: CLD_KILLED with the signal number.
    c = fork();
    if (c == 0) {
        for (;;) pause();
    }
    kill(c, SIGUSR2);  // default action of SIGUSR2: terminate
    T_YES(wait4(c, &st, 0, NULL) == c);
    printf("SIGCHLD count %d, CLD_KILLED %s, status %d; WTERMSIG %d\n", chld_count,
           chld_code == CLD_KILLED ? "yes" : "no", chld_status, WIFSIGNALED(st) ? WTERMSIG(st) : -1);

    // SA_RESTART: wait4 is interrupted by SIGUSR1 and transparently restarted
    // until the child exits.
    handle_usr1(SA_RESTART);
    usr1_count = 0;
    c = pester(SIGUSR1, 3, 4);
    pid_t r = wait4(c, &st, 0, NULL);
    printf("SA_RESTART wait4: %s, exit %d, handler ran: %s\n", r == c ? "got child" : t_errname(errno),
           WIFEXITED(st) ? WEXITSTATUS(st) : -1, usr1_count > 0 ? "yes" : "no");

    // Without SA_RESTART: EINTR.
    handle_usr1(0);
    usr1_count = 0;
    c = pester(SIGUSR1, 0, 0);
    r = wait4(c, &st, 0, NULL);
    printf("no SA_RESTART wait4: %s, handler ran: %s\n", r == c ? "got child" : t_errname(errno),
           usr1_count > 0 ? "yes" : "no");
    stop(c);

    // nanosleep returns EINTR (with the time left) even with SA_RESTART.
    handle_usr1(SA_RESTART);
    c = pester(SIGUSR1, 0, 0);
    struct timespec ts = {5, 0}, left = {0, 0};
    r = nanosleep(&ts, &left);
    printf("nanosleep: %s, time left between 3s and 5s: %s\n", r ? t_errname(errno) : "0",
           left.tv_sec >= 3 && left.tv_sec < 5 ? "yes" : "no");
    stop(c);

    // pause() always returns -1 EINTR after a handler ran.
    c = pester(SIGUSR1, 0, 0);
    T_RET(pause());
    stop(c);

    // sigsuspend: wait with SIGUSR1 unblocked while it is otherwise blocked;
    // the old mask comes back afterwards. Sends while blocked collapse into
    // one pending signal, delivered once inside sigsuspend.
    sigset_t block, waitmask, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    usr1_count = 0;
    c = pester(SIGUSR1, 0, 0);
    sigemptyset(&waitmask);
    T_RET(sigsuspend(&waitmask));
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("sigsuspend handler ran %d, SIGUSR1 blocked again %s\n", usr1_count, sigismember(&cur, SIGUSR1) ? "yes" : "no");
    stop(c);
    sigprocmask(SIG_UNBLOCK, &block, NULL);

    // SIGCHLD ignored: children do not become zombies, wait4 finds none.
    signal(SIGCHLD, SIG_IGN);
    c = fork();
    if (c == 0) _exit(1);
    T_RET(wait4(-1, &st, 0, NULL));  // blocks until the child is gone: ECHILD
    t_exit(0);
}
