// Futex ping-pong between two threads of one process: each blocks in
// FUTEX_WAIT until the other changes the word and calls FUTEX_WAKE. The
// figure is one round trip (two wakes, two waits, two context switches).
#include "b.h"
#include <pthread.h>
#include <sys/syscall.h>

// musl ships no <linux/futex.h>; the ABI values (uapi/linux/futex.h):
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static int turn;  // 0: main's turn, 1: the peer's, 2: stop

static void futex_wait(int *w, int val) { syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0); }
static void futex_wake(int *w) { syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0); }

static void *peer(void *arg) {
    (void)arg;
    for (;;) {
        int t;
        while ((t = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) == 0) futex_wait(&turn, 0);
        if (t == 2) return NULL;
        __atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
        futex_wake(&turn);
    }
}

static void op(long n) {
    for (long i = 0; i < n; i++) {
        __atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
        futex_wake(&turn);
        while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 1) futex_wait(&turn, 1);
    }
}

int main(void) {
    pthread_t t;
    if ((errno = pthread_create(&t, NULL, peer, NULL))) die("pthread_create");
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);  // both threads
    double s = per_op(op, 0.3);
    getrusage(RUSAGE_SELF, &r1);
    __atomic_store_n(&turn, 2, __ATOMIC_RELEASE);
    futex_wake(&turn);
    pthread_join(t, NULL);
    switches_per_op("futex round trip, both threads", &r0, &r1, per_op_total);
    report("futex_pingpong", s * 1e6, "us");
    return 0;
}
