// eventfd2: the counter (writes add, a read returns and clears it),
// EFD_SEMAPHORE (a read returns 1 and decrements), EFD_NONBLOCK (EAGAIN
// when zero, and when a write would overflow 2^64-2), EFD_CLOEXEC, short
// buffers (EINVAL), the value 2^64-1 (EINVAL), poll readiness, a reader
// blocked until another process writes (and a writer until one reads).
#include "tfs.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

int main(void) {
    t_watchdog(10);
    int e;
    uint64_t v;
    T_RET(e = eventfd(3, 0));
    T_RET(fcntl(e, F_GETFD));
    T_RET(fcntl(e, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    v = 4;
    T_RET(write(e, &v, 8));
    v = 0;
    T_RET(read(e, &v, 8));
    printf("counter: %llu\n", (unsigned long long)v);
    T_RET(read(e, &v, 4));            // EINVAL: short buffer
    T_RET(write(e, &v, 4));           // EINVAL
    v = UINT64_MAX;
    T_RET(write(e, &v, 8));           // EINVAL: 2^64-1 is not allowed
    close(e);

    T_RET(e = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    T_RET(fcntl(e, F_GETFD));
    T_RET(fcntl(e, F_GETFL) & O_NONBLOCK ? 1 : 0);
    T_RET(read(e, &v, 8));            // EAGAIN
    struct pollfd pf = {e, POLLIN | POLLOUT, 0};
    T_RET(poll(&pf, 1, 0));
    printf("zero: IN %d OUT %d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
    v = UINT64_MAX - 1;               // the largest value the counter holds
    T_RET(write(e, &v, 8));
    T_RET(poll(&pf, 1, 0));
    printf("full: IN %d OUT %d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
    v = 1;
    T_RET(write(e, &v, 8));           // EAGAIN: would overflow
    v = 0;
    T_RET(write(e, &v, 8));           // adding 0 is fine
    uint64_t two[2] = {0, 0};
    T_RET(read(e, two, 16));          // a larger buffer: still 8 bytes
    printf("read max: %s\n", two[0] == UINT64_MAX - 1 ? "yes" : "no");
    close(e);

    // Semaphore mode.
    T_RET(e = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
    T_RET(read(e, &v, 8));
    printf("sem read: %llu\n", (unsigned long long)v);
    T_RET(read(e, &v, 8));
    printf("sem read: %llu\n", (unsigned long long)v);
    T_RET(read(e, &v, 8));            // EAGAIN
    close(e);
    T_RET(eventfd(0, 0x10));          // EINVAL
    T_SYS("raw eventfd2 bad flag", syscall(SYS_eventfd2, 0, 0x20));  // EINVAL

    // A blocked reader woken by another process; fork shares the counter.
    T_RET(e = eventfd(0, 0));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        usleep(100000);
        uint64_t one = 7;
        write(e, &one, 8);
        _exit(0);
    }
    T_RET(read(e, &v, 8));
    printf("woken with %llu\n", (unsigned long long)v);
    waitpid(c, NULL, 0);
    // A blocked writer woken by a reader.
    v = UINT64_MAX - 1;
    T_RET(write(e, &v, 8));
    fflush(stdout);
    c = fork();
    if (c == 0) {
        usleep(100000);
        uint64_t x;
        read(e, &x, 8);
        _exit(0);
    }
    v = 5;
    T_RET(write(e, &v, 8));           // blocks until the child empties it
    waitpid(c, NULL, 0);
    T_RET(read(e, &v, 8));
    printf("after the blocked write: %llu\n", (unsigned long long)v);
    T_RET(lseek(e, 0, SEEK_SET));     // Linux: no-op llseek, 0
    t_exit(0);
}
