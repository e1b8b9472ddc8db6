// futex(2) directly: argument errors, value mismatch, relative and absolute
// timeouts on both clocks, wake counts, requeue (plain and compare), bitset
// waits and wakes, wake-op's update of the second word, and the robust list:
// a lock held by a process that dies is marked FUTEX_OWNER_DIED by the kernel.
#define _GNU_SOURCE
#include "t.h"
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_OP(op, oparg, cmp, cmparg) (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))

static long futex(void* uaddr, int op, int val, const void* timeout, void* uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static int f1, f2, f3, f4, f5;
static volatile int asleep;

static void* wait_f1(void* arg) {
    (void)arg;
    __atomic_add_fetch(&asleep, 1, __ATOMIC_SEQ_CST);
    // Woken from f1 or, after a requeue, from f2; f1 stays 0 throughout.
    long r = futex(&f1, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
    return (void*)r;
}

static void* wait_f3_bit1(void* arg) {
    (void)arg;
    long r;
    do r = futex(&f3, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 1);
    while (r == -1 && errno == EINTR);
    return (void*)r;
}

int main(void) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    struct timespec bad = {0, 1000000000};
    int* unaligned = (int*)((char*)&f1 + 1);

    t_raw("wait, value differs", futex(&f1, FUTEX_WAIT, 1, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("wait, misaligned", futex(unaligned, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("wait, bad address", futex((void*)16, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("wait, bad timeout", futex(&f1, FUTEX_WAIT, 0, &bad, NULL, 0) == -1 ? -errno : 0);
    t_raw("wait, 20 ms", futex(&f1, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ts, NULL, 0) == -1 ? -errno : 0);
    t_raw("wait realtime, 20 ms", futex(&f1, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, 0) == -1 ? -errno : 0);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 20 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) abs.tv_sec++, abs.tv_nsec -= 1000000000;
    t_raw("wait_bitset, monotonic deadline", futex(&f1, FUTEX_WAIT_BITSET, 0, &abs, NULL, -1) == -1 ? -errno : 0);
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_sec -= 1;
    t_raw("wait_bitset, realtime deadline passed",
          futex(&f1, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, -1) == -1 ? -errno : 0);
    t_raw("wait_bitset, bitset 0", futex(&f1, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("wake_bitset, bitset 0", futex(&f1, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("wake, nobody waits", futex(&f1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
    t_raw("wake, realtime flag", futex(&f1, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("unknown op 99", futex(&f1, 99, 0, NULL, NULL, 0) == -1 ? -errno : 0);
    t_raw("cmp_requeue, value differs", futex(&f1, FUTEX_CMP_REQUEUE, 0, (void*)1L, &f2, 1) == -1 ? -errno : 0);
    t_raw("requeue, nobody waits", futex(&f1, FUTEX_REQUEUE, 1, (void*)1L, &f2, 0));

    // Two waiters on f1 are moved to f2 (compare requeue, value matches),
    // then woken there. Retried until each has gone to sleep and been moved.
    pthread_t a, b;
    pthread_create(&a, NULL, wait_f1, NULL);
    pthread_create(&b, NULL, wait_f1, NULL);
    int moved = 0, woken = 0, rounds = 0;
    while (moved < 2 && rounds++ < 2000) {
        long r = futex(&f1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, (void*)(long)INT_MAX, &f2, 0);
        if (r > 0) moved += (int)r;
        else usleep(1000);
    }
    printf("requeued %d to f2\n", moved);
    t_raw("wake f1 after requeue", futex(&f1, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0));
    while (woken < 2) woken += (int)futex(&f2, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
    printf("woken on f2: %d\n", woken);
    void* ra;
    void* rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    printf("waiters returned %ld %ld\n", (long)ra, (long)rb);

    // A bitset waiter is woken only by a wake whose bitset overlaps its own.
    pthread_t c;
    pthread_create(&c, NULL, wait_f3_bit1, NULL);
    usleep(20000);
    t_raw("wake_bitset 2", futex(&f3, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 2));
    woken = 0;
    while (!woken) {
        woken = (int)futex(&f3, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 3);
        if (!woken) usleep(1000);
    }
    printf("wake_bitset 3 woke %d\n", woken);
    pthread_join(c, &ra);
    printf("bitset waiter returned %ld\n", (long)ra);

    // Wake-op: *f4 = 7 (old 0 == 0: also wakes on f4), then *f4 += 1<<4.
    t_raw("wake_op set", futex(&f5, FUTEX_WAKE_OP, 1, (void*)1L, &f4, FUTEX_OP(0, 7, 0, 0)));
    printf("f4 %d\n", f4);
    t_raw("wake_op add shift", futex(&f5, FUTEX_WAKE_OP, 1, (void*)1L, &f4, FUTEX_OP(1 | 8, 4, 1, 7)));
    printf("f4 %d\n", f4);
    t_raw("wake_op bad cmp", futex(&f5, FUTEX_WAKE_OP, 1, (void*)1L, &f4, FUTEX_OP(0, 0, 9, 0)) == -1 ? -errno : 0);

    // Robust list: registered by the C library; a child dies (_exit does not
    // unlock) holding a process-shared robust mutex; the next locker hears of it.
    void* head;
    size_t len;
    T_RET(syscall(SYS_get_robust_list, 0, &head, &len));
    printf("robust list head length %zu\n", len);
    T_RET(syscall(SYS_set_robust_list, head, len + 1));
    T_RET(syscall(SYS_get_robust_list, 999999, &head, &len));
    pthread_mutex_t* m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &ma);
    // A shared futex (no FUTEX_PRIVATE_FLAG) in MAP_SHARED memory joins two
    // processes: the parent's wake reaches the child's wait.
    int* sw = (int*)(m + 1);
    pid_t kid = fork();
    if (kid == 0) _exit(futex(sw, FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 1);
    woken = 0;
    while (!woken) {
        woken = (int)futex(sw, FUTEX_WAKE, 1, NULL, NULL, 0);
        if (!woken) usleep(1000);
    }
    int kst = -1;
    waitpid(kid, &kst, 0);
    printf("shared wake across processes woke %d, waiter exit %d\n", woken, WEXITSTATUS(kst));

    kid = fork();
    if (kid == 0) {
        pthread_mutex_lock(m);
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    int r = pthread_mutex_lock(m);
    printf("lock after the owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : t_errname(r));
    T_RET(pthread_mutex_consistent(m));
    T_RET(pthread_mutex_unlock(m));
    t_exit(0);
}
