// fork, wait4 and exit status: the parent learns how each child ended
// (WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG), waiting for a specific child,
// WNOHANG on a running child, ECHILD when there are none, and the child's view
// of its parent. Children are waited for by PID so the order is deterministic.
#define _GNU_SOURCE
#include "t.h"
#include <sys/resource.h>
#include <sys/wait.h>

static void report(const char* what, pid_t child, pid_t r, int st) {
    printf("%s: wait4 %s", what, r == child ? "got child" : r < 0 ? t_errname(errno) : "other");
    if (r == child) {
        if (WIFEXITED(st)) printf(", exited %d", WEXITSTATUS(st));
        if (WIFSIGNALED(st)) printf(", signal %d%s", WTERMSIG(st), WCOREDUMP(st) ? " core" : "");
        if (WIFSTOPPED(st)) printf(", stopped %d", WSTOPSIG(st));
    }
    printf("\n");
}

int main(void) {
    int st;
    pid_t me = getpid();
    // No children yet.
    T_RET(wait4(-1, &st, 0, NULL));        // ECHILD
    T_RET(wait4(-1, &st, WNOHANG, NULL));  // ECHILD
    T_RET(wait4(-1, &st, 0x40000000 | 0x1000, NULL));  // unknown option bits: EINVAL

    // exit(42): the child sees itself as a new process whose parent is us.
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        int ok = getppid() == me && getpid() != me;
        _exit(ok ? 42 : 1);
    }
    T_YES(c > 0 && c != me);
    pid_t r = wait4(c, &st, 0, NULL);
    report("exit(42)", c, r, st);
    T_RET(wait4(c, &st, 0, NULL));  // already reaped: ECHILD

    // Only the low 8 bits of the exit code survive.
    c = fork();
    if (c == 0) _exit(256 + 3);
    r = wait4(c, &st, 0, NULL);
    report("exit(259)", c, r, st);

    // Returning from main is exit with main's value; stdio buffers are flushed
    // once (by the child), since we flushed before forking.
    c = fork();
    if (c == 0) {
        printf("child says hello\n");
        exit(7);
    }
    r = wait4(c, &st, 0, NULL);
    report("exit(7) after printf", c, r, st);

    // Killed by signals: SIGKILL sent to itself, SIGABRT from abort(), SIGTERM
    // from the parent to a child that waits in pause().
    c = fork();
    if (c == 0) {
        kill(getpid(), SIGKILL);
        _exit(99);
    }
    r = wait4(c, &st, 0, NULL);
    report("kill(self, SIGKILL)", c, r, st);

    c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);  // no core file, so no "core" flag
        abort();
    }
    r = wait4(c, &st, 0, NULL);
    report("abort()", c, r, st);

    c = fork();
    if (c == 0) {
        for (;;) pause();
    }
    r = wait4(c, &st, WNOHANG, NULL);  // still running: 0
    printf("WNOHANG on running child: %s\n", r == 0 ? "0" : "not 0");
    T_RET(kill(c, SIGTERM));
    r = wait4(c, &st, 0, NULL);
    report("SIGTERM from parent", c, r, st);

    // Several children, reaped in the reverse order of creation.
    pid_t kids[5];
    for (int i = 0; i < 5; i++) {
        kids[i] = fork();
        if (kids[i] == 0) _exit(10 + i);
    }
    for (int i = 4; i >= 0; i--) {
        r = wait4(kids[i], &st, 0, NULL);
        printf("kid %d: %s %d\n", i, r == kids[i] ? "got" : "wrong", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }

    // waitid/waitpid wrappers on top of the same mechanism.
    c = fork();
    if (c == 0) _exit(5);
    siginfo_t si = {0};
    T_RET(waitid(P_PID, c, &si, WEXITED));
    printf("waitid: pid match %s, code %s, status %d\n", si.si_pid == c ? "yes" : "no",
           si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status);

    // A grandchild outlives its parent and is reparented; the child's exit is
    // still reported to us. (The grandchild just exits.)
    c = fork();
    if (c == 0) {
        if (fork() == 0) _exit(0);
        _exit(3);
    }
    r = wait4(c, &st, 0, NULL);
    report("child with grandchild", c, r, st);

    // vfork: the parent is suspended until the child exits; the child's exit
    // code is delivered as usual.
    c = vfork();
    if (c == 0) _exit(9);
    r = wait4(c, &st, 0, NULL);
    report("vfork child", c, r, st);
    t_exit(0);
}
