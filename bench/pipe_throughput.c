// Pipe throughput: a child writes 64 KiB chunks into a pipe, the parent
// reads them; MB/s (10^6 bytes per second of CLOCK_MONOTONIC) over 64 MiB,
// best of three runs.
// Started by the pipes engineer as bench/pipe/pipe_throughput.c (booted alone
// as PID 1, 256 MiB per run); here it runs under bench/init.c with the other
// benchmarks, over 64 MiB so that a run lasts well under a second in TCG.
#include "b.h"
#include <sys/wait.h>

#define CHUNK 65536
#define TOTAL_MB 64

static double run(void) {
    static char buf[CHUNK];
    long total = (long)TOTAL_MB << 20;
    int p[2];
    if (pipe(p)) die("pipe");
    double t0 = now_s();
    pid_t c = fork();
    if (c < 0) die("fork");
    if (c == 0) {
        close(p[0]);
        for (long done = 0; done < total; done += CHUNK)
            if (write(p[1], buf, CHUNK) != CHUNK) _exit(1);
        _exit(0);
    }
    close(p[1]);
    long got = 0;
    ssize_t n;
    while ((n = read(p[0], buf, CHUNK)) > 0) got += n;
    double dt = now_s() - t0;
    close(p[0]);
    waitpid(c, NULL, 0);
    if (got != total) {
        errno = EIO;
        die("pipe delivered the wrong byte count");
    }
    return total / dt / 1e6;
}

int main(void) {
    double best = 0;
    for (int i = 0; i < 3; i++) {
        double r = run();
        if (r > best) best = r;
    }
    report("pipe_throughput_64k", best, "MB/s");
    return 0;
}
