// execve from a thread that is not the process's first one (Linux's
// de_thread): the other threads end, and the exec'ing thread carries on as
// the whole process under the process's PID — its own thread id is gone.
// Also from the leader with other threads running.
#define _GNU_SOURCE
#include "t.h"
#include <pthread.h>
#include <sys/syscall.h>

static char* self;
static char tidbuf[32], pidbuf[32];

static void* spin(void* arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

// Runs in a second thread: exec ourselves with the PID and this thread's id.
static void* exec_from_thread(void* arg) {
    (void)arg;
    snprintf(tidbuf, sizeof tidbuf, "%ld", (long)syscall(SYS_gettid));
    snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
    char* argv[] = {self, "after-thread", pidbuf, tidbuf, NULL};
    execve(self, argv, NULL);
    printf("execve from a thread failed: %s\n", t_errname(errno));
    t_exit(1);
    return NULL;
}

int main(int argc, char** argv) {
    self = argv[0];
    if (argc == 4 && !strcmp(argv[1], "after-thread")) {
        long pid = atol(argv[2]), old_tid = atol(argv[3]);
        T_YES(getpid() == pid);
        T_YES(syscall(SYS_gettid) == pid);
        T_YES(old_tid != pid);
        T_RET(syscall(SYS_tgkill, pid, old_tid, 0));  // that thread id is gone
        // Now from the leader, with two threads spinning.
        pthread_t a, b;
        pthread_create(&a, NULL, spin, NULL);
        pthread_create(&b, NULL, spin, NULL);
        snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
        char* next[] = {self, "after-leader", pidbuf, NULL};
        execve(self, next, NULL);
        printf("execve from the leader failed: %s\n", t_errname(errno));
        t_exit(1);
    }
    if (argc == 3 && !strcmp(argv[1], "after-leader")) {
        T_YES(getpid() == atol(argv[2]));
        T_YES(syscall(SYS_gettid) == getpid());
        printf("exec_thread: done\n");
        t_exit(0);
    }
    pthread_t t;
    pthread_create(&t, NULL, exec_from_thread, NULL);
    pthread_join(t, NULL);  // never returns: the exec ends this thread
    printf("join returned\n");
    t_exit(1);
}
