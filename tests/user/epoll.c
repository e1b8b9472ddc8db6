// epoll: epoll_create1 (flags, EINVAL), epoll_ctl ADD/MOD/DEL and their
// errnos (EEXIST, ENOENT, EBADF, EINVAL for the epoll fd itself, EPERM for a
// regular file), level- vs edge-triggered readiness, EPOLLONESHOT re-arming,
// data.u64 returned as given, maxevents, timeouts, EPOLLHUP/EPOLLERR, a
// closed fd leaving the set, wakeup from another process, nested epoll
// fds, and epoll_pwait's signal mask.
#include "tfs.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show(const char* label, int n, struct epoll_event* ev) {
    printf("%s: %d", label, n);
    if (n < 0) printf(" %s", t_errname(errno));
    for (int i = 0; i < n; i++) {
        unsigned e = ev[i].events;
        printf(" [%llu%s%s%s%s]", (unsigned long long)ev[i].data.u64, e & EPOLLIN ? " IN" : "", e & EPOLLOUT ? " OUT" : "",
               e & EPOLLHUP ? " HUP" : "", e & EPOLLERR ? " ERR" : "");
    }
    printf("\n");
}

static volatile sig_atomic_t got;
static void on_usr1(int s) { got = s; }

int main(void) {
    t_watchdog(10);
    t_scratch("epoll");
    int ep, p[2], q[2];
    struct epoll_event ev, out[8];
    T_RET(ep = epoll_create1(0));
    T_RET(fcntl(ep, F_GETFD));
    int ep2;
    T_RET(ep2 = epoll_create1(EPOLL_CLOEXEC));
    T_RET(fcntl(ep2, F_GETFD));
    T_RET(epoll_create1(0x1));        // EINVAL
    T_SYS("raw epoll_create(0)", syscall(SYS_epoll_create, 0));  // EINVAL (musl's wrapper does not pass the size)
    int ep3;
    T_SYS("raw epoll_create(1)", ep3 = syscall(SYS_epoll_create, 1));
    close(ep3);
    T_RET(pipe(p));
    T_RET(pipe(q));

    ev = (struct epoll_event){EPOLLIN, {.u64 = 0x1111222233334444ull}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));  // EEXIST
    T_RET(epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev));  // ENOENT
    T_RET(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], &ev));  // ENOENT
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));    // EBADF
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));    // EINVAL: itself
    T_RET(epoll_ctl(p[0], EPOLL_CTL_ADD, q[0], &ev));  // EINVAL: not an epoll fd
    T_RET(epoll_ctl(ep, 99, q[0], &ev));             // EINVAL
    t_put("file", "x");
    int fd = open("file", O_RDONLY);
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));    // EPERM: regular files do not poll
    close(fd);

    show("empty", epoll_wait(ep, out, 8, 0), out);
    double t0 = now();
    int n = epoll_wait(ep, out, 8, 100);
    printf("timeout took >= 100 ms: %s\n", now() - t0 >= 0.099 ? "yes" : "no");
    show("after timeout", n, out);
    write(p[1], "ab", 2);
    show("data", epoll_wait(ep, out, 8, 0), out);
    show("level-triggered again", epoll_wait(ep, out, 8, 0), out);
    T_RET(epoll_wait(ep, out, 0, 0));  // EINVAL
    T_RET(epoll_wait(p[0], out, 8, 0));  // EINVAL
    T_RET(epoll_wait(99, out, 8, 0));  // EBADF

    // Edge-triggered: reported once per new arrival.
    ev = (struct epoll_event){EPOLLIN | EPOLLET, {.u64 = 2}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    show("ET first", epoll_wait(ep, out, 8, 0), out);
    show("ET nothing new", epoll_wait(ep, out, 8, 0), out);
    write(p[1], "c", 1);
    show("ET new data", epoll_wait(ep, out, 8, 0), out);
    char buf[16];
    read(p[0], buf, sizeof buf);

    // One-shot: disabled after one report until MOD re-arms it.
    ev = (struct epoll_event){EPOLLIN | EPOLLONESHOT, {.u64 = 3}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    write(p[1], "d", 1);
    show("oneshot", epoll_wait(ep, out, 8, 0), out);
    show("oneshot disabled", epoll_wait(ep, out, 8, 0), out);
    T_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    show("re-armed", epoll_wait(ep, out, 8, 0), out);
    read(p[0], buf, sizeof buf);

    // Several fds, maxevents smaller than the ready count.
    ev = (struct epoll_event){EPOLLIN, {.u64 = 4}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    ev = (struct epoll_event){EPOLLOUT, {.u64 = 5}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, q[1], &ev));
    int efd = eventfd(1, 0);
    ev = (struct epoll_event){EPOLLIN, {.u64 = 6}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
    write(p[1], "e", 1);
    n = epoll_wait(ep, out, 8, 0);
    unsigned long long seen = 0;
    for (int i = 0; i < n; i++) seen |= 1ull << out[i].data.u64;
    printf("three ready: %d, ids 4 5 6: %s\n", n, seen == 0x70 ? "yes" : "no");
    n = epoll_wait(ep, out, 1, 0);
    printf("maxevents 1: %d\n", n);
    T_RET(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL));
    T_RET(epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL));
    read(p[0], buf, sizeof buf);

    // Hang-up and error.
    close(p[1]);
    show("writer closed", epoll_wait(ep, out, 8, 0), out);
    ev = (struct epoll_event){EPOLLOUT, {.u64 = 7}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, q[1], &ev));
    close(q[0]);
    T_RET(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    show("reader closed", epoll_wait(ep, out, 8, 0), out);
    // Closing the only fd of a file removes it from the set.
    close(q[1]);
    show("closed fd gone", epoll_wait(ep, out, 8, 0), out);
    close(p[0]);

    // Woken from another process.
    T_RET(pipe(p));
    ev = (struct epoll_event){EPOLLIN, {.u64 = 8}};
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        usleep(100000);
        write(p[1], "f", 1);
        _exit(0);
    }
    t0 = now();
    show("woken", epoll_wait(ep, out, 8, 5000), out);
    printf("before the timeout: %s\n", now() - t0 < 4 ? "yes" : "no");
    waitpid(c, NULL, 0);

    // Nested: an epoll fd in another epoll set is readable when it has events.
    ev = (struct epoll_event){EPOLLIN, {.u64 = 9}};
    T_RET(epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &ev));
    show("nested ready", epoll_wait(ep2, out, 8, 0), out);
    read(p[0], buf, sizeof buf);
    show("nested idle", epoll_wait(ep2, out, 8, 0), out);
    T_RET(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev));  // ELOOP: a cycle

    // epoll_pwait: the mask lets a blocked, pending signal in.
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    T_RET(epoll_pwait(ep, out, 8, 5000, &empty));  // EINTR
    printf("delivered in epoll_pwait: %s\n", got == SIGUSR1 ? "yes" : "no");
    got = 0;
    raise(SIGUSR1);
    write(p[1], "g", 1);
    T_RET(epoll_pwait(ep, out, 8, 5000, &block));  // ready: 1, signal stays pending
    printf("still pending: %s\n", got == 0 ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("delivered on unblock: %s\n", got == SIGUSR1 ? "yes" : "no");
    t_exit(0);
}
