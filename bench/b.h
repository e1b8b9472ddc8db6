// Helpers shared by the benchmark programs of bench/. Each program is static
// (musl), runs under bench/init.c on Keel and on Linux in the same QEMU, and
// prints one line per figure:  NAME VALUE UNIT  — the only lines
// scripts/run-bench.sh reads. Lines starting with "info " are kept in the
// logs for diagnosis; "bench error: ..." explains a figure that is missing.
// Times come from clock_gettime(CLOCK_MONOTONIC) inside the guest.
#ifndef BENCH_B_H
#define BENCH_B_H
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void report(const char *name, double value, const char *unit) {
    printf("%s %.6g %s\n", name, value, unit);
    fflush(stdout);
}

__attribute__((format(printf, 1, 2))) static inline void info(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("info ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}

// Ends the program without a figure: the driver shows it as FAILED.
__attribute__((noreturn)) static inline void die(const char *what) {
    printf("bench error: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

// Seconds per operation of op(n), which performs n operations. The batch
// doubles until one takes BENCH_CAL_S, then a batch sized to last about
// `secs` is timed: the same wall time on a fast and a slow kernel, so the
// figure is neither lost in clock resolution nor too slow to wait for.
#define BENCH_CAL_S 0.03
static long per_op_total;  // operations run by per_op, calibration included
static inline double per_op(void (*op)(long n), double secs) {
    long n = 1;
    double dt;
    for (;;) {
        double t0 = now_s();
        op(n);
        per_op_total += n;
        dt = now_s() - t0;
        if (dt >= BENCH_CAL_S || n >= (1L << 40)) break;
        n *= 2;
    }
    long m = (long)(n * (secs / (dt > 1e-9 ? dt : 1e-9)));
    if (m < 1) m = 1;
    double t0 = now_s();
    op(m);
    per_op_total += m;
    return (now_s() - t0) / (double)m;
}

// The kernel's count of context switches: "info NAME: per operation X
// voluntary, Y involuntary switches" for `ops` operations between two
// getrusage samples (who: RUSAGE_SELF, or RUSAGE_CHILDREN after a wait).
#include <sys/resource.h>
static inline void switches_per_op(const char *name, const struct rusage *a, const struct rusage *b, long ops) {
    info("%s: %ld operations, per operation %.2f voluntary, %.2f involuntary context switches", name, ops,
         (double)(b->ru_nvcsw - a->ru_nvcsw) / (double)ops, (double)(b->ru_nivcsw - a->ru_nivcsw) / (double)ops);
}

// Runs the calling thread on CPU 0 only.
static inline void pin_cpu0(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    if (sched_setaffinity(0, sizeof set, &set)) die("sched_setaffinity");
}
#endif
