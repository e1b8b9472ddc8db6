// Resource limits and CPU-time accounting: getrlimit's defaults for the first
// process (Linux's INIT_RLIMITS), setrlimit/prlimit64 rules and errnos, limits
// inherited by fork, EMFILE/EBADF/EINVAL under a lowered RLIMIT_NOFILE,
// getrusage/times/wait4 times growing with busy loops (as comparisons only),
// the process CPU clock counting every thread (dead ones too), and
// ITIMER_VIRTUAL/ITIMER_PROF firing while the process spins.
#define _GNU_SOURCE
#include "t.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>

static long long cpu_ns(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

// Spins until this thread has run for `ms` of CPU time.
static void spin_ms(long ms) {
    long long end = cpu_ns(CLOCK_THREAD_CPUTIME_ID) + ms * 1000000LL;
    while (cpu_ns(CLOCK_THREAD_CPUTIME_ID) < end)
        for (volatile int i = 0; i < 100000; i++) {}
}

static long long tv_ms(struct timeval tv) { return tv.tv_sec * 1000LL + tv.tv_usec / 1000; }

static void show_limit(const char* name, int res) {
    struct rlimit r;
    if (syscall(SYS_getrlimit, res, &r)) {
        printf("getrlimit(%s) = -1 %s\n", name, t_errname(errno));
        return;
    }
    char cur[32], max[32];
    snprintf(cur, sizeof cur, r.rlim_cur == RLIM_INFINITY ? "inf" : "%lu", (unsigned long)r.rlim_cur);
    snprintf(max, sizeof max, r.rlim_max == RLIM_INFINITY ? "inf" : "%lu", (unsigned long)r.rlim_max);
    printf("%s: %s %s\n", name, cur, max);
}

static volatile int vtalrms, profs;
static void on_vtalrm(int sig) { (void)sig; vtalrms++; }
static void on_prof(int sig) { (void)sig; profs++; }

static void* busy_thread(void* arg) {
    (void)arg;
    spin_ms(200);
    return NULL;
}

int main(void) {
    // Defaults, as the first process has them.
#define L(r) show_limit(#r, r)
    L(RLIMIT_CPU); L(RLIMIT_FSIZE); L(RLIMIT_DATA); L(RLIMIT_STACK); L(RLIMIT_CORE); L(RLIMIT_RSS);
    L(RLIMIT_NOFILE); L(RLIMIT_MEMLOCK); L(RLIMIT_AS); L(RLIMIT_LOCKS); L(RLIMIT_MSGQUEUE);
    L(RLIMIT_NICE); L(RLIMIT_RTPRIO); L(RLIMIT_RTTIME);
    struct rlimit np, sp, r;
    getrlimit(RLIMIT_NPROC, &np);
    getrlimit(RLIMIT_SIGPENDING, &sp);
    T_YES(np.rlim_cur == np.rlim_max && np.rlim_cur > 100);
    T_YES(sp.rlim_cur == np.rlim_cur && sp.rlim_max == np.rlim_max);
    T_RET(syscall(SYS_getrlimit, 16, &r));
    T_RET(syscall(SYS_prlimit64, 0, 16, NULL, &r));

    // setrlimit rules: soft above hard, an unknown resource, nr_open.
    struct rlimit bad = {10, 5};
    T_RET(syscall(SYS_setrlimit, RLIMIT_NOFILE, &bad));
    struct rlimit ok = {512, 4096};
    T_RET(syscall(SYS_setrlimit, 16, &ok));
    struct rlimit huge = {1024, 1024 * 1024 + 1};
    T_RET(syscall(SYS_setrlimit, RLIMIT_NOFILE, &huge));
    struct rlimit inf = {1024, RLIM_INFINITY};
    T_RET(syscall(SYS_setrlimit, RLIMIT_NOFILE, &inf));
    T_RET(syscall(SYS_setrlimit, RLIMIT_NOFILE, &ok));
    L(RLIMIT_NOFILE);
    struct rlimit core = {1 << 20, RLIM_INFINITY};
    T_RET(setrlimit(RLIMIT_CORE, &core));
    L(RLIMIT_CORE);

    // An unprivileged process may lower its hard limit but not raise it again.
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setuid(1000);
        struct rlimit lower = {256, 2048}, raise = {256, 4096}, soft = {2048, 2048};
        T_RET(setrlimit(RLIMIT_NOFILE, &lower));
        T_RET(setrlimit(RLIMIT_NOFILE, &raise));
        T_RET(setrlimit(RLIMIT_NOFILE, &soft));
        L(RLIMIT_NOFILE);
        fflush(stdout);
        _exit(0);
    }
    int st;
    T_YES(waitpid(pid, &st, 0) == pid && st == 0);

    // Inherited by fork; EMFILE, EBADF and EINVAL under a lowered RLIMIT_NOFILE.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        L(RLIMIT_NOFILE);
        struct rlimit eight = {8, 8};
        T_RET(setrlimit(RLIMIT_NOFILE, &eight));
        int last = -1, fd;
        while ((fd = dup(1)) >= 0) last = fd;
        printf("last dup: %d, then %s\n", last, t_errname(errno));
        T_RET(open("/t/rusage", O_RDONLY));
        T_RET(dup2(1, 8));
        T_RET(dup3(1, 9, 0));
        T_RET(fcntl(1, F_DUPFD, 8));
        close(last);
        T_RET(fcntl(1, F_DUPFD, 7));
        fflush(stdout);
        _exit(0);
    }
    T_YES(waitpid(pid, &st, 0) == pid && st == 0);

    // prlimit64 on a child: it sees the new limit; old values come back.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct rlimit mine;
        for (;;) {
            getrlimit(RLIMIT_NOFILE, &mine);
            if (mine.rlim_cur == 100) _exit(mine.rlim_max == 200 ? 7 : 1);
            sched_yield();
        }
    }
    struct rlimit nl = {100, 200}, old;
    T_RET(prlimit(pid, RLIMIT_NOFILE, &nl, &old));
    printf("old: %lu %lu\n", (unsigned long)old.rlim_cur, (unsigned long)old.rlim_max);
    T_RET(prlimit(pid, RLIMIT_NOFILE, NULL, &old));
    printf("now: %lu %lu\n", (unsigned long)old.rlim_cur, (unsigned long)old.rlim_max);
    T_YES(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7);
    T_RET(prlimit(pid, RLIMIT_NOFILE, NULL, &old));
    struct rlimit bad2 = {300, 200};
    T_RET(prlimit(0, RLIMIT_NOFILE, &bad2, NULL));

    // getrusage: who is checked; a busy loop shows as user time.
    struct rusage ru0, ru1, ruc0, ruc1;
    T_RET(getrusage(5, &ru0));
    T_RET(getrusage(RUSAGE_THREAD, &ru0));
    T_RET(getrusage(RUSAGE_CHILDREN, &ruc0));
    T_RET(getrusage(RUSAGE_SELF, &ru0));
    struct tms tm0, tm1;
    clock_t c0 = times(&tm0);
    spin_ms(300);
    clock_t c1 = times(&tm1);
    getrusage(RUSAGE_SELF, &ru1);
    T_YES(tv_ms(ru1.ru_utime) - tv_ms(ru0.ru_utime) >= 100);
    T_YES(tm1.tms_utime - tm0.tms_utime >= 10);
    T_YES(c1 - c0 >= 20);

    // A child's time: wait4's rusage and RUSAGE_CHILDREN after the wait.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        spin_ms(300);
        _exit(0);
    }
    struct rusage wru;
    T_YES(wait4(pid, &st, 0, &wru) == pid);
    T_YES(tv_ms(wru.ru_utime) >= 100);
    getrusage(RUSAGE_CHILDREN, &ruc1);
    T_YES(tv_ms(ruc1.ru_utime) - tv_ms(ruc0.ru_utime) >= 100);
    times(&tm1);
    T_YES(tm1.tms_cutime >= 10);

    // Two busy threads: the process clock counts them, before and after they end.
    long long p0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
    pthread_t a, b;
    pthread_create(&a, NULL, busy_thread, NULL);
    pthread_create(&b, NULL, busy_thread, NULL);
    spin_ms(100);
    T_YES(cpu_ns(CLOCK_PROCESS_CPUTIME_ID) >= cpu_ns(CLOCK_THREAD_CPUTIME_ID));
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    T_YES(cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - p0 >= 450000000LL);
    getrusage(RUSAGE_SELF, &ru1);
    T_YES(tv_ms(ru1.ru_utime) + tv_ms(ru1.ru_stime) - tv_ms(ru0.ru_utime) - tv_ms(ru0.ru_stime) >= 500);
    struct timespec res;
    T_RET(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res));
    T_RET(clock_getres(CLOCK_THREAD_CPUTIME_ID, &res));

    // ITIMER_VIRTUAL and ITIMER_PROF fire while the process spins, and reload.
    signal(SIGVTALRM, on_vtalrm);
    signal(SIGPROF, on_prof);
    struct itimerval it = {{0, 20000}, {0, 20000}}, cur;
    T_RET(setitimer(ITIMER_VIRTUAL, &it, NULL));
    T_RET(setitimer(ITIMER_PROF, &it, NULL));
    long long end = cpu_ns(CLOCK_THREAD_CPUTIME_ID) + 5000000000LL;
    while ((vtalrms < 3 || profs < 3) && cpu_ns(CLOCK_THREAD_CPUTIME_ID) < end)
        for (volatile int i = 0; i < 100000; i++) {}
    T_YES(vtalrms >= 3);
    T_YES(profs >= 3);
    T_RET(getitimer(ITIMER_VIRTUAL, &cur));
    T_YES(cur.it_interval.tv_usec == 20000 && cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 20000);
    struct itimerval off = {{0, 0}, {0, 0}};
    T_RET(setitimer(ITIMER_VIRTUAL, &off, NULL));
    T_RET(setitimer(ITIMER_PROF, &off, NULL));
    T_RET(getitimer(ITIMER_PROF, &cur));
    T_YES(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
    // A one-shot timer fires once and is then disarmed.
    struct itimerval once = {{0, 0}, {0, 10000}};
    vtalrms = 0;
    T_RET(setitimer(ITIMER_VIRTUAL, &once, NULL));
    spin_ms(200);
    printf("one-shot SIGVTALRMs: %d\n", vtalrms);
    t_exit(0);
}
