// Job control: SIGSTOP stops a child (SIGTSTP does not: the test's process
// group is orphaned), SIGCONT resumes it; the
// parent sees both through waitpid(WUNTRACED / WCONTINUED) and SIGCHLD
// (CLD_STOPPED / CLD_CONTINUED, none for stops with SA_NOCLDSTOP); a
// handled SIGTSTP runs its handler; SIGKILL ends a stopped child.
#define _GNU_SOURCE
#include "t.h"
#include <sys/wait.h>
#include <time.h>

static volatile int chld_count, chld_code, chld_status;
static void on_chld(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    chld_count++;
    chld_code = si->si_code;
    chld_status = si->si_status;
}

static const char* code_name(int c) {
    return c == CLD_STOPPED ? "CLD_STOPPED" : c == CLD_CONTINUED ? "CLD_CONTINUED" : c == CLD_KILLED ? "CLD_KILLED"
         : c == CLD_EXITED ? "CLD_EXITED" : "other";
}

static void report(const char* what, int st) {
    printf("%s:", what);
    if (WIFSTOPPED(st)) printf(" stopped %d", WSTOPSIG(st));
    if (WIFCONTINUED(st)) printf(" continued");
    if (WIFEXITED(st)) printf(" exited %d", WEXITSTATUS(st));
    if (WIFSIGNALED(st)) printf(" signal %d", WTERMSIG(st));
    printf("\n");
}

static volatile int tstp_caught;
static void on_tstp(int sig) {
    (void)sig;
    tstp_caught++;
}

// The child: waits for signals; SIGUSR1 makes it exit with the number of SIGTSTPs it caught.
static void on_usr1(int sig) {
    (void)sig;
    _exit(10 + tstp_caught);
}

// The handlers are installed before fork, so no signal can reach the child
// before them.
static pid_t spawn(int catch_tstp) {
    signal(SIGTSTP, catch_tstp ? on_tstp : SIG_DFL);
    pid_t c = fork();
    if (c == 0)
        for (;;) pause();
    signal(SIGTSTP, SIG_DFL);
    return c;
}

// Waits until the child's state change is reported and the SIGCHLD (if any) has arrived.
static int wait_for(pid_t c, int options) {
    int st = 0;
    while (waitpid(c, &st, options) != c) {}
    return st;
}

int main(void) {
    signal(SIGUSR1, on_usr1);  // inherited by every child
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);

    pid_t c = spawn(0);
    T_RET(kill(c, SIGSTOP));
    int st = wait_for(c, WUNTRACED);
    report("after SIGSTOP", st);
    while (chld_count < 1) {}
    printf("SIGCHLD %d %s status %d\n", chld_count, code_name(chld_code), chld_status);
    // Stopped twice without a new stop: WUNTRACED reports it only once.
    T_RET(waitpid(c, &st, WUNTRACED | WNOHANG));
    T_RET(kill(c, SIGCONT));
    st = wait_for(c, WCONTINUED);
    report("after SIGCONT", st);
    while (chld_count < 2) {}
    printf("SIGCHLD %d %s status %d\n", chld_count, code_name(chld_code), chld_status);
    // The test's process group is orphaned (its parents are the runner,
    // init): SIGTSTP's default stop is dropped there.
    T_RET(kill(c, SIGTSTP));
    struct timespec settle = {0, 100000000};
    nanosleep(&settle, NULL);
    T_RET(waitpid(c, &st, WUNTRACED | WNOHANG));
    // SIGKILL ends a stopped child.
    T_RET(kill(c, SIGSTOP));
    st = wait_for(c, WUNTRACED);
    report("stopped again", st);
    while (chld_count < 3) {}
    T_RET(kill(c, SIGKILL));
    st = wait_for(c, 0);
    report("after SIGKILL", st);
    while (chld_count < 4) {}
    printf("SIGCHLD %d %s status %d\n", chld_count, code_name(chld_code), chld_status);

    // SA_NOCLDSTOP: stops and continues send no SIGCHLD; waitpid still sees them.
    sa.sa_flags |= SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    chld_count = 0;
    c = spawn(0);
    T_RET(kill(c, SIGSTOP));
    st = wait_for(c, WUNTRACED);
    report("SA_NOCLDSTOP stop", st);
    T_RET(kill(c, SIGCONT));
    st = wait_for(c, WCONTINUED);
    report("SA_NOCLDSTOP continue", st);
    printf("SIGCHLD count with SA_NOCLDSTOP: %d\n", chld_count);
    T_RET(kill(c, SIGUSR1));
    st = wait_for(c, 0);
    report("exit", st);

    // A caught SIGTSTP does not stop the child.
    c = spawn(1);
    T_RET(kill(c, SIGTSTP));
    // Give the child time to take it (it exits with 10 + the count).
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
    T_RET(kill(c, SIGUSR1));
    st = wait_for(c, WUNTRACED);
    report("caught SIGTSTP", st);
    t_exit(0);
}
