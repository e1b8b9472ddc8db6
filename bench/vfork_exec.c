// vfork + execve of a tiny static binary (/b/true, bench/true.c) + waitpid:
// the cost of starting a program, without the page-table copy fork makes.
#include "b.h"
#include <sys/wait.h>

// The child never returns from here: it execs or exits inside, as vfork
// requires, and the caller's loop variables stay out of its way.
static __attribute__((noinline)) pid_t spawn(void) {
    static char *argv[] = {"true", NULL};
    static char *envp[] = {NULL};
    pid_t pid = vfork();
    if (pid == 0) {
        execve("/b/true", argv, envp);
        _exit(127);
    }
    return pid;
}

static void op(long n) {
    for (long i = 0; i < n; i++) {
        pid_t pid = spawn();
        if (pid < 0) die("vfork");
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("execve of /b/true");
    }
}

int main(void) {
    report("vfork_execve_wait", per_op(op, 0.3) * 1e6, "us");
    return 0;
}
