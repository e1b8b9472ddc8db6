// fork + _exit + waitpid: copying a small static process's address space
// (copy-on-write), creating and reaping a task.
#include "b.h"
#include <sys/wait.h>

static void op(long n) {
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) _exit(0);
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("waitpid");
    }
}

int main(void) {
    report("fork_exit_wait", per_op(op, 0.3) * 1e6, "us");
    return 0;
}
