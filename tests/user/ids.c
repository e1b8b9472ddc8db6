// Process ids and credentials. Prints relations rather than raw ids, so the
// output is the same whether the program is init (rdinit=/t/ids: PID 1,
// parent 0, session and group 0 as for Linux's init) or a child of the runner
// (parent 1). Credentials are all root's in an initramfs, so they are printed.
#define _GNU_SOURCE
#include "t.h"
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

int main(void) {
    pid_t pid = getpid(), ppid = getppid();
    T_YES(pid == 1);
    T_YES(ppid == 0);
    T_YES(ppid == 1);
    T_YES(pid > ppid);
    T_YES(syscall(SYS_gettid) == pid);  // single-threaded: tid = pid
    T_YES(getpgrp() == 0);              // Linux's init starts in group 0, session 0
    T_YES(getsid(0) == 0);
    T_YES(getpgid(0) == getpgrp());
    T_YES(getsid(ppid == 0 ? 0 : ppid) == getsid(0));  // inherited from the parent
    T_RET(getsid(999999));                             // no such process: ESRCH
    T_RET(getpgid(999999));

    // Credentials: root, and every id of the real/effective/saved triple agrees.
    T_RET(getuid());
    T_RET(geteuid());
    T_RET(getgid());
    T_RET(getegid());
    uid_t r, e, s;
    T_RET(getresuid(&r, &e, &s));
    printf("resuid %d %d %d\n", (int)r, (int)e, (int)s);
    gid_t gr, ge, gs;
    T_RET(getresgid(&gr, &ge, &gs));
    printf("resgid %d %d %d\n", (int)gr, (int)ge, (int)gs);
    T_RET(getgroups(0, NULL));  // init has no supplementary groups
    T_RET(setgid(0));
    T_RET(setuid(0));

    // umask of init is 0022; umask returns the previous value.
    printf("umask %03o\n", (unsigned)umask(077));
    printf("umask %03o\n", (unsigned)umask(022));

    // A new session makes us leader of session and group.
    pid_t sid = setsid();
    T_YES(sid == pid);
    T_YES(getsid(0) == pid);
    T_YES(getpgrp() == pid);
    T_RET(setsid());  // already a group leader: EPERM
    T_RET(setpgid(0, 0));  // a session leader cannot change group: EPERM

    // Scheduling priority of a fresh process is 0.
    errno = 0;
    T_RET(getpriority(PRIO_PROCESS, 0));
    t_exit(0);
}
