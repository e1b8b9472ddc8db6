// sched_yield ping-pong between two threads pinned to CPU 0: each waits for
// its turn by yielding, so every hand-over is one sched_yield that switches to
// the other thread. The figure is one round trip (main -> peer -> main).
#include "b.h"
#include <pthread.h>

static volatile int turn;  // 0: main's turn, 1: the peer's, 2: stop
static void *peer(void *arg) {
    (void)arg;
    pin_cpu0();
    for (;;) {
        int t;
        while ((t = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) == 0) sched_yield();
        if (t == 2) return NULL;
        __atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
    }
}

static void op(long n) {
    for (long i = 0; i < n; i++) {
        __atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
        while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 1) sched_yield();
    }
}

int main(void) {
    pthread_t t;
    pin_cpu0();
    if ((errno = pthread_create(&t, NULL, peer, NULL))) die("pthread_create");
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);  // both threads
    double s = per_op(op, 0.3);
    getrusage(RUSAGE_SELF, &r1);
    __atomic_store_n(&turn, 2, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    switches_per_op("sched_yield round trip, both threads", &r0, &r1, per_op_total);
    report("sched_yield_pingpong", s * 1e6, "us");
    return 0;
}
