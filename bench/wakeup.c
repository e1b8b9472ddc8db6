// Wake-up latency, as cyclictest measures it: a SCHED_FIFO thread (priority
// 50) sleeps until an absolute time 1 ms ahead with clock_nanosleep
// (TIMER_ABSTIME), N times; the overshoot is how late it reads the clock
// after each wake-up. Periods missed entirely are skipped, not queued.
// Figures: the maximum and the 99th percentile of the overshoot, in µs.
#include "b.h"
#include <pthread.h>

#define N 500
#define PERIOD_NS 1000000L

static double over_us[N];

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long ns_of(const struct timespec *t) { return t->tv_sec * 1000000000L + t->tv_nsec; }

static void *measure(void *arg) {
    (void)arg;
    struct timespec next, now;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (int i = 0; i < N; i++) {
        next.tv_nsec += PERIOD_NS;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        int e;
        while ((e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL)) == EINTR) {}
        if (e) {
            errno = e;
            die("clock_nanosleep");
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        over_us[i] = (ns_of(&now) - ns_of(&next)) / 1e3;
        while (ns_of(&next) < ns_of(&now)) {  // skip missed periods
            next.tv_nsec += PERIOD_NS;
            if (next.tv_nsec >= 1000000000L) {
                next.tv_nsec -= 1000000000L;
                next.tv_sec++;
            }
        }
    }
    return NULL;
}

// Local timer interrupts so far on CPU 0 (the "LOC:" line of /proc/interrupts),
// -1 if unreadable: with high-resolution timers each sleep takes about one,
// with the periodic tick only there are 250 a second whatever the sleeps.
static long local_timer_irqs(void) {
    static char buf[16384];
    FILE *f = fopen("/proc/interrupts", "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strstr(buf, "LOC:");
    return p ? strtol(p + 4, NULL, 10) : -1;
}

int main(void) {
    pthread_attr_t a;
    struct sched_param sp = {.sched_priority = 50};
    pthread_t t;
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, SCHED_FIFO);
    pthread_attr_setschedparam(&a, &sp);
    long irq0 = local_timer_irqs();
    double t0 = now_s();
    if ((errno = pthread_create(&t, &a, measure, NULL))) die("pthread_create SCHED_FIFO");
    pthread_join(t, NULL);
    double dt = now_s() - t0;
    long irq1 = local_timer_irqs();
    int late = 0;
    for (int i = 0; i < N; i++) late += over_us[i] > 10000;
    qsort(over_us, N, sizeof over_us[0], cmp);
    info("wakeup: %d sleeps of 1 ms; overshoot min %.1f median %.1f us; %d over 10 ms, the largest %.0f %.0f %.0f us",
         N, over_us[0], over_us[N / 2], late, over_us[N - 1], over_us[N - 2], over_us[N - 3]);
    info("wakeup: %.2f s, %ld local timer interrupts", dt, irq0 >= 0 && irq1 >= 0 ? irq1 - irq0 : -1L);
    report("wakeup_max", over_us[N - 1], "us");
    report("wakeup_p99", over_us[(N * 99 + 99) / 100 - 1], "us");
    return 0;
}
