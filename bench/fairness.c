// Scheduler fairness: two threads spin on CPU 0, one at nice 0 and one at
// nice 5. CFS gives them CPU time in the ratio of their weights, 1024/335 =
// 3.057 (Linux's sched_prio_to_weight). Both run the same loop, so the ratio
// of their loop counts over one second is the ratio of their CPU shares. The
// figure is how far that ratio is from 3.057, in percent (0 is perfect).
#include "b.h"
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define WEIGHT_RATIO (1024.0 / 335.0)

struct spinner {
    int nice;
    volatile int ready;
    volatile unsigned long count;
    char pad[64];
};
static struct spinner sp[2] = {{.nice = 0}, {.nice = 5}};
static volatile int stop;

static void *spin(void *arg) {
    struct spinner *s = arg;
    pin_cpu0();
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), s->nice)) die("setpriority");
    s->ready = 1;
    while (!stop) s->count++;
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
    unsigned long a0 = sp[0].count, a5 = sp[1].count;
    double t0 = now_s();
    sleep_s(1.0);
    unsigned long b0 = sp[0].count, b5 = sp[1].count;
    double dt = now_s() - t0;
    stop = 1;
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    if (b5 == a5) {
        errno = EAGAIN;
        die("the nice 5 thread never ran");
    }
    double ratio = (double)(b0 - a0) / (double)(b5 - a5);
    info("fairness: nice0/nice5 loop-count ratio %.3f over %.2f s (weights: %.3f)", ratio, dt, WEIGHT_RATIO);
    double err = ratio / WEIGHT_RATIO - 1;
    report("sched_fairness_error", (err < 0 ? -err : err) * 100, "%");
    return 0;
}
