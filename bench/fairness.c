// Scheduler fairness: two threads spin on CPU 0, one at nice 0 and one at
// nice 5. CFS gives them CPU time in the ratio of their weights, 1024/335 =
// 3.057 (Linux's sched_prio_to_weight). Each thread reads its own CPU time
// (CLOCK_THREAD_CPUTIME_ID) when the main thread opens and closes a one-second
// window, so the ratio is the scheduler's decision itself: loop counts would
// also charge a thread for the time the host took QEMU away while it ran (they
// are printed as an info line). The figure is how far the CPU-time ratio is
// from 3.057, in percent (0 is perfect).
#include "b.h"
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define WEIGHT_RATIO (1024.0 / 335.0)

struct spinner {
    int nice;
    volatile int ready, seen;
    volatile unsigned long count;
    double cpu[2];
    unsigned long counted[2];
    char pad[64];
};
static struct spinner sp[2] = {{.nice = 0}, {.nice = 5}};
static volatile int epoch;  // 1: the window is open, 2: closed
static volatile int stop;

static double thread_cpu_s(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)) die("clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *spin(void *arg) {
    struct spinner *s = arg;
    pin_cpu0();
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), s->nice)) die("setpriority");
    s->ready = 1;
    while (!stop) {
        s->count++;
        int e = epoch;
        if (e != s->seen) {  // the first time this thread runs after the main thread moved on
            s->cpu[e - 1] = thread_cpu_s();
            s->counted[e - 1] = s->count;
            s->seen = e;
        }
    }
    return NULL;
}

static void sleep_s(double s) {
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {}
}

int main(void) {
    pthread_t t[2];
    pin_cpu0();
    for (int i = 0; i < 2; i++)
        if ((errno = pthread_create(&t[i], NULL, spin, &sp[i]))) die("pthread_create");
    while (!sp[0].ready || !sp[1].ready) sleep_s(0.01);
    sleep_s(0.2);  // let both settle on the run queue
    epoch = 1;
    double t0 = now_s();
    sleep_s(1.0);
    epoch = 2;
    double dt = now_s() - t0;
    while (sp[0].seen != 2 || sp[1].seen != 2) sleep_s(0.005);
    stop = 1;
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    double c0 = sp[0].cpu[1] - sp[0].cpu[0], c5 = sp[1].cpu[1] - sp[1].cpu[0];
    double n0 = (double)(sp[0].counted[1] - sp[0].counted[0]), n5 = (double)(sp[1].counted[1] - sp[1].counted[0]);
    if (c5 <= 0 || n5 <= 0) {
        errno = EAGAIN;
        die("the nice 5 thread got no CPU time");
    }
    double ratio = c0 / c5;
    info("fairness: nice0/nice5 CPU time %.1f/%.1f ms = %.3f, loop counts %.3f, over %.2f s (weights: %.3f)",
         c0 * 1e3, c5 * 1e3, ratio, n0 / n5, dt, WEIGHT_RATIO);
    double err = ratio / WEIGHT_RATIO - 1;
    report("sched_fairness_error", (err < 0 ? -err : err) * 100, "%");
    return 0;
}
