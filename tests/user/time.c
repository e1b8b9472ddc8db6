// Clocks and sleeping: CLOCK_MONOTONIC never goes backwards, REALTIME and
// gettimeofday/time agree and are past 2020 (QEMU's RTC is the host's time),
// BOOTTIME >= MONOTONIC, clock_getres of the high-resolution clocks is 1 ns,
// nanosleep and clock_nanosleep (relative and absolute) never return early,
// and invalid arguments give EINVAL. Only comparisons are printed.
#define _GNU_SOURCE
#include "t.h"
#include <sys/time.h>
#include <time.h>
#include <sys/syscall.h>

static long long ns(const struct timespec* t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }
static long long now(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return ns(&t);
}

int main(void) {
    struct timespec a, b, res;
    // Monotonic over many reads.
    int mono = 1;
    long long prev = now(CLOCK_MONOTONIC);
    for (int i = 0; i < 10000; i++) {
        long long t = now(CLOCK_MONOTONIC);
        mono &= t >= prev;
        prev = t;
    }
    printf("CLOCK_MONOTONIC non-decreasing over 10000 reads: %s\n", mono ? "yes" : "no");
    T_YES(now(CLOCK_MONOTONIC) > 0);
    T_YES(now(CLOCK_BOOTTIME) >= now(CLOCK_MONOTONIC) - 1000000);
    T_YES(now(CLOCK_MONOTONIC_RAW) > 0);
    T_YES(now(CLOCK_MONOTONIC_COARSE) > 0);
    long long rt = now(CLOCK_REALTIME);
    T_YES(rt > 1577836800LL * 1000000000LL);  // after 2020-01-01
    struct timeval tv;
    T_RET(gettimeofday(&tv, NULL));
    T_YES(llabs(tv.tv_sec - rt / 1000000000LL) <= 1);
    T_YES(llabs(time(NULL) - rt / 1000000000LL) <= 1);
    T_YES(llabs(now(CLOCK_REALTIME_COARSE) / 1000000000LL - rt / 1000000000LL) <= 1);
    clock_gettime(CLOCK_MONOTONIC, &a);
    T_YES(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);

    T_RET(clock_getres(CLOCK_MONOTONIC, &res));
    printf("res MONOTONIC %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    clock_getres(CLOCK_REALTIME, &res);
    printf("res REALTIME %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    clock_getres(CLOCK_BOOTTIME, &res);
    printf("res BOOTTIME %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    T_RET(clock_getres(CLOCK_MONOTONIC, NULL));  // allowed

    // Bad clocks and bad sleep lengths.
    T_RET(syscall(SYS_clock_gettime, 99, &a));   // EINVAL
    T_RET(syscall(SYS_clock_getres, 99, &a));    // EINVAL
    struct timespec bad = {0, 1000000000};
    T_RET(nanosleep(&bad, NULL));                // EINVAL
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    T_RET(nanosleep(&bad, NULL));                // EINVAL
    printf("clock_nanosleep bad clock: %s\n", t_errname(clock_nanosleep(99, 0, &b, NULL)));
    printf("clock_nanosleep bad flags: %s\n", clock_nanosleep(CLOCK_MONOTONIC, 0x10, &(struct timespec){0, 1}, NULL) ? "error" : "0");

    // Sleeping never returns early.
    int early = 0;
    long long lens[] = {1000000, 10000000, 50000000, 120000000};
    for (int i = 0; i < 4; i++) {
        struct timespec req = {0, lens[i]};
        long long t0 = now(CLOCK_MONOTONIC);
        T_RET(nanosleep(&req, NULL));
        early += now(CLOCK_MONOTONIC) - t0 < lens[i];
    }
    printf("nanosleep returned early: %d times\n", early);
    long long t0 = now(CLOCK_MONOTONIC);
    printf("clock_nanosleep relative: %d\n", clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 30000000}, NULL));
    T_YES(now(CLOCK_MONOTONIC) - t0 >= 30000000);
    long long target = now(CLOCK_MONOTONIC) + 40000000;
    struct timespec abs_ts = {target / 1000000000, target % 1000000000};
    printf("clock_nanosleep absolute: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs_ts, NULL));
    T_YES(now(CLOCK_MONOTONIC) >= target);
    // An absolute time in the past returns at once.
    abs_ts.tv_sec = 0;
    printf("clock_nanosleep absolute past: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs_ts, NULL));
    // A second of sleep is about a second: neither early nor absurdly late.
    t0 = now(CLOCK_MONOTONIC);
    nanosleep(&(struct timespec){0, 200000000}, NULL);
    long long took = now(CLOCK_MONOTONIC) - t0;
    printf("200 ms sleep took between 200 ms and 2 s: %s\n", took >= 200000000 && took < 2000000000 ? "yes" : "no");
    // Monotonic time and realtime advance together over a sleep.
    long long m0 = now(CLOCK_MONOTONIC), r0 = now(CLOCK_REALTIME);
    nanosleep(&(struct timespec){0, 100000000}, NULL);
    long long dm = now(CLOCK_MONOTONIC) - m0, dr = now(CLOCK_REALTIME) - r0;
    printf("realtime and monotonic advance together: %s\n", llabs(dm - dr) < 100000000 ? "yes" : "no");
    t_exit(0);
}
