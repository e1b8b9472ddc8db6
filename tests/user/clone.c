// clone and clone3 below the C library's fork: flag combinations Linux
// rejects, clone3's size rules, and what each sharing flag means for the
// child — a shared address space and fd table, the parent/child tid words,
// CLONE_VFORK's suspended parent, a thread in the caller's process, and
// children that do not report with SIGCHLD (__WCLONE/__WALL).
#define _GNU_SOURCE
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define FUTEX_WAIT 0

// From <linux/sched.h>, which musl-gcc's include path lacks.
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
        cgroup;
};

static char stack[4][65536] __attribute__((aligned(16)));
static volatile int shared_var;
static volatile long child_pid_seen, child_tid_seen;

static int set_var(void* arg) {
    shared_var = (int)(long)arg;
    return 0;
}

static int close_fd(void* arg) {
    close((int)(long)arg);
    return 0;
}

static int report_ids(void* arg) {
    (void)arg;
    child_pid_seen = syscall(SYS_getpid);
    child_tid_seen = syscall(SYS_gettid);
    return 0;
}

static long raw_clone(unsigned long flags) { return syscall(SYS_clone, flags, 0, NULL, NULL, 0); }

int main(void) {
    // Flag combinations that make no sense.
    t_raw("clone(CLONE_THREAD)", raw_clone(CLONE_THREAD | SIGCHLD));
    t_raw("clone(CLONE_SIGHAND)", raw_clone(CLONE_SIGHAND | SIGCHLD));
    t_raw("clone(CLONE_THREAD|CLONE_SIGHAND)", raw_clone(CLONE_THREAD | CLONE_SIGHAND | SIGCHLD));
    t_raw("clone(CLONE_FS|CLONE_NEWNS)", raw_clone(CLONE_FS | CLONE_NEWNS | SIGCHLD));

    // clone3's size: below the first version, above a page, unknown non-zero tail.
    struct clone_args ca;
    static char big[8192];
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    t_raw("clone3(size 32)", syscall(SYS_clone3, &ca, 32));
    t_raw("clone3(size 8192)", syscall(SYS_clone3, big, 8192));
    big[200] = 1;
    t_raw("clone3(non-zero tail)", syscall(SYS_clone3, big, 256));
    ca.exit_signal = 65;
    t_raw("clone3(exit_signal 65)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.exit_signal = SIGCHLD;
    ca.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;  // a thread with an exit signal
    t_raw("clone3(thread, exit_signal)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.flags = 0;
    ca.stack_size = 4096;  // a size without a stack
    t_raw("clone3(stack_size only)", syscall(SYS_clone3, &ca, sizeof ca));

    // clone3 as fork: the child gets 0.
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    long c = syscall(SYS_clone3, &ca, sizeof ca);
    if (c == 0) _exit(33);
    int st = 0;
    T_YES(waitpid((pid_t)c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 33);

    // CLONE_VM: the child's store is the parent's; the parent's tid word gets
    // the child's id, and the child's is cleared when it exits.
    pid_t ptid = 0, ctid = -1;
    c = clone(set_var, stack[0] + sizeof stack[0], CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
              (void*)5L, &ptid, NULL, &ctid);
    T_YES(c > 0 && waitpid((pid_t)c, &st, 0) == c);
    T_YES(ptid == c);
    T_YES(ctid == 0);
    printf("shared_var after CLONE_VM child: %d\n", shared_var);

    // Without CLONE_VM the store stays in the child's copy.
    c = clone(set_var, stack[0] + sizeof stack[0], SIGCHLD, (void*)6L);
    T_YES(c > 0 && waitpid((pid_t)c, &st, 0) == c);
    printf("shared_var after fork-like child: %d\n", shared_var);

    // CLONE_VFORK: the parent goes on only after the child has exited.
    c = clone(set_var, stack[0] + sizeof stack[0], CLONE_VM | CLONE_VFORK | SIGCHLD, (void*)7L);
    printf("shared_var right after CLONE_VFORK: %d\n", shared_var);
    T_YES(waitpid((pid_t)c, &st, 0) == c);

    // CLONE_FILES: the child's close is the parent's.
    int fd = dup(1);
    c = clone(close_fd, stack[0] + sizeof stack[0], CLONE_VM | CLONE_VFORK | SIGCHLD, (void*)(long)fd);
    waitpid((pid_t)c, &st, 0);
    T_RET(fcntl(fd, F_GETFD));  // a private table: still open
    c = clone(close_fd, stack[0] + sizeof stack[0], CLONE_VM | CLONE_FILES | CLONE_VFORK | SIGCHLD,
              (void*)(long)fd);
    waitpid((pid_t)c, &st, 0);
    T_RET(fcntl(fd, F_GETFD));  // shared: closed

    // Exit signal 0: not a SIGCHLD child, so only __WCLONE or __WALL wait for it.
    c = clone(set_var, stack[0] + sizeof stack[0], CLONE_VM | CLONE_VFORK, (void*)8L);
    T_RET(waitpid((pid_t)c, &st, WNOHANG));
    T_YES(waitpid((pid_t)c, &st, __WCLONE) == c && WIFEXITED(st));
    c = clone(set_var, stack[0] + sizeof stack[0], CLONE_VM | CLONE_VFORK, (void*)9L);
    T_YES(waitpid((pid_t)c, &st, __WALL) == c);

    // A thread: same process id, its own thread id; nobody waits for it, the
    // cleared tid word (and its futex wake-up) says it is gone.
    ctid = -1;
    c = clone(report_ids, stack[1] + sizeof stack[1],
              CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                  CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID,
              NULL, &ptid, NULL, &ctid);
    while (ctid != 0) syscall(SYS_futex, &ctid, FUTEX_WAIT, ctid, NULL, NULL, 0);
    T_YES(child_pid_seen == getpid());
    T_YES(child_tid_seen == c && c != getpid());
    T_RET(waitpid(-1, &st, __WALL | WNOHANG));  // a thread is no child
    t_exit(0);
}
