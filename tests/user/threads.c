// Threads through musl's pthreads (clone with CLONE_THREAD|CLONE_SETTLS|
// CLONE_CHILD_CLEARTID..., futex, set_tid_address): create/join with return
// values, distinct thread ids in one process, thread-local storage, a mutex
// protecting a counter under contention, a condition variable handing work
// between threads, and raw futex calls (EAGAIN on a changed word, ETIMEDOUT).
#define _GNU_SOURCE
#include "t.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

// From <linux/futex.h>, which musl-gcc's include path lacks.
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

#define NT 4
#define ITERS 20000
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static __thread int tls = 7;
static long tids[NT];
static int queue[16], qhead, qtail, done;

static void* worker(void* arg) {
    long i = (long)arg;
    tids[i] = syscall(SYS_gettid);
    tls = (int)i;  // each thread has its own copy
    for (int k = 0; k < ITERS; k++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_mutex_unlock(&mu);
        if (k % 1000 == 0) sched_yield();
    }
    return (void*)(long)(tls * 10 + (tids[i] != getpid()));  // i*10 + 1
}

static void* consumer(void* arg) {
    (void)arg;
    long sum = 0;
    pthread_mutex_lock(&mu);
    for (;;) {
        while (qhead == qtail && !done) pthread_cond_wait(&cv, &mu);
        if (qhead == qtail && done) break;
        sum += queue[qhead++ % 16];
    }
    pthread_mutex_unlock(&mu);
    return (void*)sum;
}

static void* exiter(void* arg) {
    (void)arg;
    pthread_exit((void*)1234);
}

int main(void) {
    pthread_t th[NT];
    for (long i = 0; i < NT; i++) T_RET(pthread_create(&th[i], NULL, worker, (void*)i));
    for (int i = 0; i < NT; i++) {
        void* ret;
        T_RET(pthread_join(th[i], &ret));
        printf("thread %d returned %ld\n", i, (long)ret);
    }
    printf("counter %ld (expected %d)\n", counter, NT * ITERS);
    printf("main tls still %d\n", tls);
    int distinct = 1;
    for (int i = 0; i < NT; i++) {
        distinct &= tids[i] != getpid() && tids[i] > 0;
        for (int j = 0; j < i; j++) distinct &= tids[i] != tids[j];
    }
    printf("thread ids distinct from each other and the pid: %s\n", distinct ? "yes" : "no");

    // Producer/consumer through a condition variable.
    pthread_t ct;
    pthread_create(&ct, NULL, consumer, NULL);
    long expect = 0;
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&mu);
        while (qtail - qhead == 16) {
            pthread_mutex_unlock(&mu);
            sched_yield();
            pthread_mutex_lock(&mu);
        }
        queue[qtail++ % 16] = i;
        expect += i;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&mu);
    }
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    void* sum;
    pthread_join(ct, &sum);
    printf("consumer sum %ld expected %ld\n", (long)sum, expect);

    // pthread_exit delivers its value to pthread_join.
    pthread_t et;
    void* ev;
    pthread_create(&et, NULL, exiter, NULL);
    pthread_join(et, &ev);
    printf("pthread_exit value %ld\n", (long)ev);

    // Raw futex: wait on a word that does not hold the expected value: EAGAIN;
    // wait with a timeout that expires: ETIMEDOUT; wake with no waiters: 0.
    int word = 1;
    T_RET(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    struct timespec to = {0, 20 * 1000000};
    T_RET(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &to, NULL, 0));
    T_RET(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    T_RET(syscall(SYS_futex, (int*)8, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));  // unmapped: EFAULT
    T_RET(syscall(SYS_futex, (char*)&word + 1, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));  // misaligned: EINVAL
    T_RET(syscall(SYS_futex, &word, 99, 1, NULL, NULL, 0));                    // unknown op: ENOSYS
    t_exit(0);
}
