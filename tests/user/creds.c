// Credentials and priorities by Linux's rules: root may set any id, an
// unprivileged process only among its real/effective/saved ids; setgroups,
// sethostname, lowering nice and real-time policies need privilege. Runs in a
// child so that the caller (perhaps init) stays root.
#define _GNU_SOURCE
#include "t.h"
#include <grp.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void ids(void) {
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("uid %d %d %d gid %d %d %d\n", (int)r, (int)e, (int)s, (int)gr, (int)ge, (int)gs);
}

int main(void) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        gid_t list[4] = {30, 10, 20, 10};
        gid_t out[4];
        T_RET(setgroups(4, list));
        T_RET(getgroups(0, NULL));
        T_RET(getgroups(2, out));  // too small: EINVAL
        T_RET(getgroups(4, out));
        printf("groups %d %d %d %d\n", (int)out[0], (int)out[1], (int)out[2], (int)out[3]);
        T_RET(setgroups(-1, list));
        T_RET(setresgid(1, 2, 3));
        T_RET(setreuid(1000, 1001));  // euid moves away from the real id: saved = new euid
        ids();
        T_RET(setresuid(-1, 1000, -1));
        ids();
        T_RET(setuid(0));              // not one of ours: EPERM
        T_RET(setresuid(2000, -1, -1));
        T_RET(setreuid(1001, -1));     // the old effective id may become the real one
        ids();
        T_RET(setgid(5));
        T_RET(setgroups(0, NULL));     // unprivileged now
        T_RET(sethostname("x", 1));
        T_RET(setpriority(PRIO_PROCESS, 0, 5));
        printf("nice %d\n", getpriority(PRIO_PROCESS, 0));
        T_RET(setpriority(PRIO_PROCESS, 0, 3));  // lowering nice: EACCES
        struct sched_param sp = {10};
        T_RET(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp));
        T_RET(setuid(1000));           // the real id: allowed
        ids();
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);

    // Root: scheduling policies and their priority ranges.
    c = fork();
    if (c == 0) {
        struct sched_param sp = {10};
        T_RET(sched_get_priority_max(SCHED_FIFO));
        T_RET(sched_get_priority_min(SCHED_RR));
        T_RET(sched_get_priority_max(SCHED_OTHER));
        T_RET(sched_get_priority_max(42));
        T_RET(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp));
        T_RET(syscall(SYS_sched_getscheduler, 0));
        sp.sched_priority = 0;
        T_RET(syscall(SYS_sched_getparam, 0, &sp));
        printf("rt priority %d\n", sp.sched_priority);
        sp.sched_priority = 0;
        T_RET(syscall(SYS_sched_setscheduler, 0, SCHED_RR, &sp));  // RR needs 1..99
        T_RET(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
        T_RET(syscall(SYS_sched_getscheduler, 0));
        T_RET(syscall(SYS_sched_getscheduler, -1));
        T_RET(syscall(SYS_sched_getscheduler, 999999));
        cpu_set_t set;
        CPU_ZERO(&set);
        T_RET(sched_getaffinity(0, sizeof set, &set));
        T_YES(CPU_ISSET(0, &set));
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        T_RET(sched_setaffinity(0, sizeof set, &set));
        T_RET(sched_getaffinity(0, sizeof set, &set));
        printf("cpus %d\n", CPU_COUNT(&set));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, &st, 0);
    t_exit(0);
}
