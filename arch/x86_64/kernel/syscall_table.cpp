// sys_call_table: system-call number -> handler, built at compile time from the
// one list below (a number's name is its __NR_ constant, so a typo does not
// compile). Empty slots are the numbers Keel does not implement yet;
// do_syscall_64 answers them with -ENOSYS.
#include <asm/syscall.h>
#include <keel/syscalls.h>

#define KEEL_SYSCALLS(X)                                                                              \
    X(read) X(write) X(open) X(close) X(stat) X(fstat) X(lstat) X(lseek) X(mmap) X(mprotect)        \
    X(munmap) X(brk) X(ioctl) X(readv) X(writev) X(sched_yield) X(mremap) X(msync) X(madvise)        \
    X(dup) X(dup2) X(nanosleep) X(getpid) X(execve) X(exit) X(wait4) X(fcntl) X(gettimeofday)        \
    X(getrlimit) X(getrusage) X(sysinfo) X(times) X(getuid) X(getgid) X(geteuid) X(getegid)          \
    X(getppid) X(arch_prctl) X(reboot) X(gettid) X(time) X(set_tid_address) X(clock_gettime)         \
    X(clock_getres) X(clock_nanosleep) X(exit_group) X(openat) X(newfstatat) X(set_robust_list)      \
    X(dup3) X(prlimit64) X(setrlimit) X(getrandom) X(execveat)                                       \
    KEEL_PROCESS_SYSCALLS(X)

// Processes, threads, futexes, ids, credentials and scheduling (issue 4).
#define KEEL_PROCESS_SYSCALLS(X)                                                                      \
    X(fork) X(vfork) X(clone) X(clone3) X(waitid) X(futex) X(setpgid) X(getpgid) X(getpgrp)          \
    X(getsid) X(setsid) X(setuid) X(setgid) X(setreuid) X(setregid) X(setresuid) X(setresgid)        \
    X(getresuid) X(getresgid) X(getgroups) X(setgroups) X(sethostname) X(setdomainname)              \
    X(getpriority) X(setpriority) X(sched_setscheduler) X(sched_setparam) X(sched_getscheduler)      \
    X(sched_getparam) X(sched_get_priority_max) X(sched_get_priority_min) X(sched_rr_get_interval)   \
    X(sched_setaffinity) X(sched_getaffinity) X(get_robust_list)

// Signals and interval timers (kernel/signal_syscalls.cpp, kernel/time/itimer.cpp,
// arch/x86_64/kernel/signal.cpp).
#define KEEL_SIGNAL_SYSCALLS(X)                                                                       \
    X(rt_sigaction) X(rt_sigprocmask) X(rt_sigreturn) X(rt_sigpending) X(rt_sigsuspend)              \
    X(rt_sigtimedwait) X(rt_sigqueueinfo) X(rt_tgsigqueueinfo) X(sigaltstack) X(kill) X(tkill)       \
    X(tgkill) X(pause) X(alarm) X(getitimer) X(setitimer) X(restart_syscall)

// The VFS: names, inodes, mounts and the calls on them (fs/).
#define KEEL_VFS_SYSCALLS(X)                                                                          \
    X(statx) X(readlink) X(readlinkat) X(getdents) X(getdents64) X(chmod) X(fchmod) X(fchmodat)     \
    X(chown) X(fchown) X(lchown) X(fchownat) X(truncate) X(ftruncate) X(fallocate) X(access)         \
    X(faccessat) X(faccessat2) X(chdir) X(fchdir) X(chroot) X(umask) X(getcwd) X(utimensat)          \
    X(futimesat) X(utimes) X(utime) X(statfs) X(fstatfs) X(sync) X(syncfs) X(fsync) X(fdatasync)    \
    X(sync_file_range)

// The VFS core: names, opening, reading and writing, mounts (fs/namei*.cpp,
// open.cpp, read_write.cpp, namespace.cpp).
#define KEEL_VFS_CORE_SYSCALLS(X)                                                                     \
    X(creat) X(pread64) X(pwrite64) X(preadv) X(pwritev) X(sendfile64) X(mknod) X(mknodat) X(mkdir)  \
    X(mkdirat) X(rmdir) X(unlink) X(unlinkat) X(symlink) X(symlinkat) X(link) X(linkat) X(rename)    \
    X(renameat) X(renameat2) X(mount) X(umount) X(pivot_root)

// Pipes, FIFOs, poll/select, epoll and eventfd (fs/pipe.cpp, select.cpp,
// eventpoll.cpp, eventfd.cpp).
#define KEEL_PIPE_POLL_SYSCALLS(X)                                                                    \
    X(pipe) X(pipe2) X(poll) X(ppoll) X(select) X(pselect6) X(epoll_create) X(epoll_create1)         \
    X(epoll_ctl) X(epoll_wait) X(epoll_pwait) X(epoll_pwait2) X(eventfd) X(eventfd2)

// memfd and file mappings (mm/memfd.cpp), the kernel log (kernel/printk/syslog.cpp).
#define KEEL_MEMFD_SYSCALLS(X) X(memfd_create) X(syslog)

// Terminals (drivers/tty/): none yet beyond ioctl.
#define KEEL_TTY_SYSCALLS(X)

// procfs/sysfs/sysctl (fs/proc/, kernel/sysctl.cpp) and the thread name /proc shows.
#define KEEL_PROC_SYSCALLS(X) X(prctl)

namespace {

// uname is sys_newuname in Linux (the old struct layouts have their own numbers on i386).
#define __NR_newuname __NR_uname
// Linux's names for these numbers' handlers.
#define __NR_sendfile64 __NR_sendfile
#define __NR_umount __NR_umount2

consteval syscall_table_t build_table() {
    syscall_table_t t{};
#define FILL(name) t.entry[__NR_##name] = &__x64_sys<sys_##name>;
    KEEL_SYSCALLS(FILL)
    KEEL_SIGNAL_SYSCALLS(FILL)
    KEEL_VFS_SYSCALLS(FILL)
    KEEL_VFS_CORE_SYSCALLS(FILL)
    KEEL_PIPE_POLL_SYSCALLS(FILL)
    KEEL_MEMFD_SYSCALLS(FILL)
    KEEL_TTY_SYSCALLS(FILL)
    KEEL_PROC_SYSCALLS(FILL)
    FILL(newuname)
#undef FILL
    return t;
}

}  // namespace

// Constant-initialized: the table is in .rodata, like Linux's.
extern const syscall_table_t sys_call_table = build_table();
