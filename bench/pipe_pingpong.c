// Pipe ping-pong between two processes: one byte each way through two pipes;
// the figure is one round trip (two writes, two reads, two wake-ups, two
// context switches on one CPU).
#include "b.h"
#include <signal.h>
#include <sys/wait.h>

static int to_child[2], to_parent[2];

static void op(long n) {
    char c = 'x';
    for (long i = 0; i < n; i++) {
        if (write(to_child[1], &c, 1) != 1) die("write");
        if (read(to_parent[0], &c, 1) != 1) die("read");
    }
}

int main(void) {
    if (pipe(to_child) || pipe(to_parent)) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        char c;
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &c, 1) == 1)
            if (write(to_parent[1], &c, 1) != 1) _exit(1);
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    struct rusage r0, r1, c0 = {0}, c1;
    getrusage(RUSAGE_SELF, &r0);
    double s = per_op(op, 0.3);
    getrusage(RUSAGE_SELF, &r1);
    close(to_child[1]);
    int st;
    waitpid(pid, &st, 0);
    getrusage(RUSAGE_CHILDREN, &c1);  // the child's whole life: a few switches more than its round trips
    switches_per_op("pipe round trip, parent", &r0, &r1, per_op_total);
    switches_per_op("pipe round trip, child", &c0, &c1, per_op_total);
    report("pipe_pingpong", s * 1e6, "us");
    return 0;
}
