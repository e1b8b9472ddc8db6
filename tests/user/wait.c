// Process groups, sessions and the wait family: setpgid/getpgid/setsid rules
// and errnos, wait4 by process group (0 and -pgid), waitid's options and
// siginfo (WNOHANG with nothing to report, WNOWAIT leaving the zombie), and
// exit status through an orphaned grandchild.
#define _GNU_SOURCE
#include "t.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int* flags;  // shared with the children: [0] child ready, [1] parent done

static void wait_flag(int i) {
    while (!flags[i]) sched_yield();
}

int main(void) {
    flags = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t me = getpid();
    int st;

    // A child in its own group: the parent can move it; wait4(0) no longer
    // sees it, wait4(-pgid) does.
    pid_t c = fork();
    if (c == 0) {
        wait_flag(1);
        _exit(4);
    }
    T_RET(setpgid(c, 0));
    T_YES(getpgid(c) == c);
    T_YES(getpgid(0) != c);
    T_RET(waitpid(0, &st, WNOHANG));
    T_RET(setpgid(c, 999999));  // no such group in our session: EPERM
    T_RET(setpgid(999999, 0));  // not our child: ESRCH
    T_RET(setpgid(0, -1));
    T_RET(getpgid(999999));
    flags[1] = 1;
    T_YES(waitpid(-c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 4);
    flags[1] = 0;

    // A child that starts its own session: it leads session and group, so
    // the parent may no longer move it.
    c = fork();
    if (c == 0) {
        pid_t s = setsid();
        flags[0] = s == getpid() && getpgrp() == getpid() && getsid(0) == getpid();
        if (!flags[0]) flags[0] = 2;
        wait_flag(1);
        _exit(0);
    }
    wait_flag(0);
    printf("child's setsid: %s\n", flags[0] == 1 ? "leads session and group" : "failed");
    T_YES(getsid(c) == c);
    T_YES(getsid(0) != c);
    T_RET(setpgid(c, getpgrp()));  // a session leader: EPERM
    flags[1] = 1;
    T_YES(waitpid(c, &st, 0) == c);
    flags[0] = flags[1] = 0;

    // waitid: option checks, WNOHANG with a running child, WNOWAIT.
    siginfo_t si;
    T_RET(waitid(P_ALL, 0, &si, 0));            // no WEXITED/WSTOPPED/WCONTINUED
    T_RET(waitid(P_PID, 0, &si, WEXITED));      // no pid 0
    T_RET(waitid(7, 0, &si, WEXITED));          // no such idtype
    T_RET(waitid(P_ALL, 0, &si, WEXITED | WNOHANG));  // no children at all: ECHILD
    c = fork();
    if (c == 0) {
        wait_flag(1);
        _exit(6);
    }
    memset(&si, 0xff, sizeof si);
    T_RET(waitid(P_PID, c, &si, WEXITED | WNOHANG));
    T_YES(si.si_pid == 0 && si.si_signo == 0);
    flags[1] = 1;
    memset(&si, 0, sizeof si);
    T_RET(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
    T_YES(si.si_pid == c && si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_status == 6);
    T_YES(getpgid(c) == getpgrp());  // a zombie keeps its ids until it is reaped
    T_RET(syscall(SYS_sched_getscheduler, c));
    memset(&si, 0, sizeof si);
    T_RET(waitid(P_PGID, 0, &si, WEXITED));  // still there after WNOWAIT, and in our group
    T_YES(si.si_pid == c && si.si_status == 6);
    T_RET(waitid(P_PID, c, &si, WEXITED | WNOHANG));  // reaped: ECHILD
    flags[1] = 0;

    // wait4 with rusage, and wait4's own option check.
    struct rusage ru;
    T_RET(wait4(-1, &st, 0x100, &ru));
    c = fork();
    if (c == 0) _exit(2);
    T_YES(wait4(c, &st, 0, &ru) == c && WEXITSTATUS(st) == 2 && ru.ru_utime.tv_sec >= 0);

    // A grandchild orphaned by its parent still ends normally (reaped by init).
    c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            wait_flag(1);
            _exit(0);
        }
        _exit(1);
    }
    T_YES(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 1);
    flags[1] = 1;
    T_YES(getpid() == me);
    t_exit(0);
}
