// Probe (not a metric of make bench): fairness.c's two spinning threads (nice
// 0 and nice 5 on CPU 0), sampled every 100 ms for 2 s: the loop counts and
// each thread's CPU time (CLOCK_THREAD_CPUTIME_ID) per window, so a skewed
// share can be told apart from skewed accounting, and a steady skew from
// bursts. Also prints the scheduler's tunables from /proc/sys/kernel.
#include "../b.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/syscall.h>

struct spinner {
    int nice;
    volatile int ready;
    volatile unsigned long count;
    clockid_t clock;
    char pad[64];
};
static struct spinner sp[2] = {{.nice = 0}, {.nice = 5}};
static volatile int stop;

static void *spin(void *arg) {
    struct spinner *s = arg;
    pin_cpu0();
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), s->nice)) die("setpriority");
    if (pthread_getcpuclockid(pthread_self(), &s->clock)) die("pthread_getcpuclockid");
    s->ready = 1;
    while (!stop) s->count++;
    return NULL;
}

static double cpu_s(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void sleep_s(double s) {
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {}
}

static void show(const char *path) {
    char buf[128];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0) {
        buf[n] = 0;
        info("%s = %.*s", path, (int)strcspn(buf, "\n"), buf);
    }
}

int main(void) {
    if (getpid() == 1) mount("proc", "/proc", "proc", 0, NULL);
    show("/proc/sys/kernel/sched_latency_ns");
    show("/proc/sys/kernel/sched_min_granularity_ns");
    show("/proc/sys/kernel/sched_wakeup_granularity_ns");
    pthread_t t[2];
    pin_cpu0();
    for (int i = 0; i < 2; i++)
        if ((errno = pthread_create(&t[i], NULL, spin, &sp[i]))) die("pthread_create");
    while (!sp[0].ready || !sp[1].ready) sleep_s(0.01);
    sleep_s(0.2);
    unsigned long c0 = sp[0].count, c5 = sp[1].count;
    double u0 = cpu_s(sp[0].clock), u5 = cpu_s(sp[1].clock);
    unsigned long tc0 = 0, tc5 = 0;
    double tu0 = 0, tu5 = 0;
    for (int w = 0; w < 20; w++) {
        sleep_s(0.1);
        unsigned long n0 = sp[0].count, n5 = sp[1].count;
        double v0 = cpu_s(sp[0].clock), v5 = cpu_s(sp[1].clock);
        printf("window %2d: counts %.3f  cpu ms %5.1f / %5.1f\n", w, n5 > c5 ? (double)(n0 - c0) / (n5 - c5) : -1,
               (v0 - u0) * 1e3, (v5 - u5) * 1e3);
        tc0 += n0 - c0, tc5 += n5 - c5, tu0 += v0 - u0, tu5 += v5 - u5;
        c0 = n0, c5 = n5, u0 = v0, u5 = v5;
    }
    stop = 1;
    report("fair_count_ratio_2s", (double)tc0 / tc5, "x");
    report("fair_cputime_ratio_2s", tu0 / tu5, "x");
    if (getpid() == 1) reboot(RB_POWER_OFF);
    return 0;
}
