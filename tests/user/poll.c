// poll, ppoll, select and pselect6 on pipes, regular files and bad fds:
// readiness of each end (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLNVAL),
// timeouts (zero, short: return 0 and take at least the time), wakeup by a
// writer in another process, negative fds ignored, select's EBADF and
// EINVAL, fd sets rewritten on return, and the signal masks of ppoll and
// pselect6 (a blocked signal delivered during the call gives EINTR).
#include "tfs.h"
#include <poll.h>
#include <sys/select.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void revents(const char* label, short r) {
    printf("%s:%s%s%s%s%s%s\n", label, r & POLLIN ? " IN" : "", r & POLLOUT ? " OUT" : "", r & POLLHUP ? " HUP" : "",
           r & POLLERR ? " ERR" : "", r & POLLNVAL ? " NVAL" : "", r == 0 ? " none" : "");
}

static volatile sig_atomic_t got;
static void on_usr1(int s) { got = s; }

int main(void) {
    t_watchdog(10);
    t_scratch("poll");
    int p[2];
    T_RET(pipe(p));
    struct pollfd f[4];

    // Empty pipe: the write end is writable, the read end not readable.
    f[0] = (struct pollfd){p[0], POLLIN | POLLOUT, 0};
    f[1] = (struct pollfd){p[1], POLLIN | POLLOUT, 0};
    f[2] = (struct pollfd){-1, POLLIN, 0};   // ignored
    f[3] = (struct pollfd){99, POLLIN, 0};   // not open: POLLNVAL
    T_RET(poll(f, 4, 0));
    revents("empty read end", f[0].revents);
    revents("empty write end", f[1].revents);
    revents("negative fd", f[2].revents);
    revents("closed fd", f[3].revents);
    T_RET(write(p[1], "x", 1));
    T_RET(poll(f, 2, 0));
    revents("data read end", f[0].revents);
    // Writer closed: POLLHUP (and POLLIN while data remains).
    int w = p[1];
    T_RET(close(w));
    f[0].events = POLLIN;
    T_RET(poll(f, 1, 0));
    revents("writer gone, data", f[0].revents);
    char c;
    read(p[0], &c, 1);
    T_RET(poll(f, 1, 0));
    revents("writer gone, empty", f[0].revents);
    f[0].events = 0;                  // HUP is reported even when not asked for
    T_RET(poll(f, 1, 0));
    revents("no events asked", f[0].revents);
    close(p[0]);
    // Reader closed: POLLERR on the write end.
    T_RET(pipe(p));
    close(p[0]);
    f[0] = (struct pollfd){p[1], POLLOUT, 0};
    T_RET(poll(f, 1, 0));
    revents("reader gone", f[0].revents);
    close(p[1]);
    // Regular files are always ready.
    t_put("file", "data");
    int fd = open("file", O_RDWR);
    f[0] = (struct pollfd){fd, POLLIN | POLLOUT, 0};
    T_RET(poll(f, 1, -1));
    revents("regular file", f[0].revents);

    // Timeouts.
    T_RET(pipe(p));
    f[0] = (struct pollfd){p[0], POLLIN, 0};
    double t0 = now();
    T_RET(poll(f, 1, 100));
    double dt = now() - t0;
    printf("poll 100 ms took >= 100 ms: %s, < 2 s: %s\n", dt >= 0.099 ? "yes" : "no", dt < 2 ? "yes" : "no");
    struct timespec ts = {0, 50000000};
    t0 = now();
    T_RET(ppoll(f, 1, &ts, NULL));
    dt = now() - t0;
    printf("ppoll 50 ms took >= 50 ms: %s\n", dt >= 0.049 ? "yes" : "no");
    struct timespec bad = {0, 1000000000};
    T_RET(ppoll(f, 1, &bad, NULL));   // EINVAL
    T_RET(poll(f, 1u << 30, 0));      // EINVAL: more than RLIMIT_NOFILE
    T_RET(poll(NULL, 0, 10));         // just sleeps: 0
    T_RET(poll((struct pollfd*)1, 1, 0));  // EFAULT

    // Woken by a writer in another process.
    fflush(stdout);
    pid_t ch = fork();
    if (ch == 0) {
        usleep(100000);
        write(p[1], "y", 1);
        _exit(0);
    }
    t0 = now();
    T_RET(poll(f, 1, 5000));
    revents("woken", f[0].revents);
    printf("woken before the timeout: %s\n", now() - t0 < 4 ? "yes" : "no");
    waitpid(ch, NULL, 0);
    read(p[0], &c, 1);

    // select.
    fd_set r, wr, ex;
    FD_ZERO(&r);
    FD_ZERO(&wr);
    FD_SET(p[0], &r);
    FD_SET(p[1], &wr);
    FD_SET(fd, &r);
    struct timeval tv = {0, 0};
    T_RET(select(fd + 1 > p[1] + 1 ? fd + 1 : p[1] + 1, &r, &wr, NULL, &tv));
    printf("select: pipe read %d, pipe write %d, file read %d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &wr), FD_ISSET(fd, &r));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){0, 100000};
    t0 = now();
    T_SYS("raw select 100 ms", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));  // musl's select would hide tv's update
    dt = now() - t0;
    printf("select timed out after >= 100 ms: %s, set cleared: %s, tv left %ld.%06ld\n", dt >= 0.099 ? "yes" : "no",
           FD_ISSET(p[0], &r) ? "no" : "yes", (long)tv.tv_sec, (long)tv.tv_usec);
    FD_ZERO(&r);
    FD_SET(50, &r);
    tv = (struct timeval){0, 0};
    T_RET(select(51, &r, NULL, NULL, &tv));  // EBADF
    T_RET(select(-1, NULL, NULL, NULL, &tv));  // EINVAL
    tv = (struct timeval){0, -1};
    T_RET(select(1, NULL, NULL, NULL, &tv));  // EINVAL
    tv = (struct timeval){0, 10000};
    T_RET(select(0, NULL, NULL, NULL, &tv));  // a sleep: 0
    FD_ZERO(&ex);
    FD_SET(p[0], &ex);
    tv = (struct timeval){0, 0};
    T_RET(select(p[0] + 1, NULL, NULL, &ex, &tv));  // no exceptions on pipes
    // select sees the hang-up as readable.
    close(p[1]);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    T_RET(select(p[0] + 1, &r, NULL, NULL, NULL));
    printf("hung-up pipe readable: %d\n", FD_ISSET(p[0], &r));
    close(p[0]);

    // pselect6 and ppoll with a signal mask: SIGUSR1 is blocked outside the
    // call, pending before it, and delivered inside it (EINTR).
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    T_RET(pipe(p));
    raise(SIGUSR1);
    printf("pending, not delivered: %s\n", got == 0 ? "yes" : "no");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    ts = (struct timespec){5, 0};
    T_RET(pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty));  // EINTR
    printf("delivered in pselect: %s\n", got == SIGUSR1 ? "yes" : "no");
    got = 0;
    raise(SIGUSR1);
    f[0] = (struct pollfd){p[0], POLLIN, 0};
    T_RET(ppoll(f, 1, &ts, &empty));  // EINTR
    printf("delivered in ppoll: %s\n", got == SIGUSR1 ? "yes" : "no");
    sigset_t now_mask;
    sigprocmask(SIG_BLOCK, NULL, &now_mask);
    printf("mask restored: %s\n", sigismember(&now_mask, SIGUSR1) ? "yes" : "no");
    // With the mask keeping it blocked, a ready fd is reported and the signal waits.
    got = 0;
    raise(SIGUSR1);
    write(p[1], "z", 1);
    T_RET(ppoll(f, 1, &ts, &block));
    printf("still pending: %s\n", got == 0 ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("delivered on unblock: %s\n", got == SIGUSR1 ? "yes" : "no");
    t_exit(0);
}
