// Prototypes of the system calls Keel implements (Linux's include/linux/syscalls.h),
// with Linux's parameter types. Each returns what the system call returns: a
// value, or -errno. sys_call_table (arch/x86_64/kernel/syscall_table.cpp) lists
// which number calls which.
#pragma once
#include <asm/uaccess.h>
#include <keel/ktime.h>
#include <keel/types.h>

struct iovec;
struct new_utsname;
struct sysinfo;
struct rlimit;
struct rlimit64;
struct rusage;
struct tms;
struct timezone;
struct stat;
struct __kernel_timespec;
struct __kernel_old_timeval;
struct robust_list_head;

// fs/read_write.cpp, fs/open.cpp, fs/fcntl.cpp, fs/ioctl.cpp, fs/stat.cpp
long sys_read(unsigned fd, char __user* buf, size_t count);
long sys_write(unsigned fd, const char __user* buf, size_t count);
long sys_readv(unsigned long fd, const iovec __user* vec, unsigned long vlen);
long sys_writev(unsigned long fd, const iovec __user* vec, unsigned long vlen);
long sys_lseek(unsigned fd, long offset, unsigned whence);
long sys_open(const char __user* filename, int flags, unsigned short mode);
long sys_openat(int dfd, const char __user* filename, int flags, unsigned short mode);
long sys_creat(const char __user* pathname, unsigned short mode);
long sys_pread64(unsigned fd, char __user* buf, size_t count, long long pos);
long sys_pwrite64(unsigned fd, const char __user* buf, size_t count, long long pos);
long sys_preadv(unsigned long fd, const iovec __user* vec, unsigned long vlen, unsigned long pos_l, unsigned long pos_h);
long sys_pwritev(unsigned long fd, const iovec __user* vec, unsigned long vlen, unsigned long pos_l, unsigned long pos_h);
long sys_sendfile64(int out_fd, int in_fd, long long __user* offset, size_t count);
// fs/namei_ops.cpp
long sys_mknodat(int dfd, const char __user* filename, unsigned short mode, unsigned dev);
long sys_mknod(const char __user* filename, unsigned short mode, unsigned dev);
long sys_mkdirat(int dfd, const char __user* pathname, unsigned short mode);
long sys_mkdir(const char __user* pathname, unsigned short mode);
long sys_rmdir(const char __user* pathname);
long sys_unlinkat(int dfd, const char __user* pathname, int flag);
long sys_unlink(const char __user* pathname);
long sys_symlinkat(const char __user* oldname, int newdfd, const char __user* newname);
long sys_symlink(const char __user* oldname, const char __user* newname);
long sys_linkat(int olddfd, const char __user* oldname, int newdfd, const char __user* newname, int flags);
long sys_link(const char __user* oldname, const char __user* newname);
long sys_renameat2(int olddfd, const char __user* oldname, int newdfd, const char __user* newname, unsigned flags);
long sys_renameat(int olddfd, const char __user* oldname, int newdfd, const char __user* newname);
long sys_rename(const char __user* oldname, const char __user* newname);
// fs/namespace.cpp
long sys_mount(char __user* dev_name, char __user* dir_name, char __user* type, unsigned long flags, void __user* data);
long sys_umount(char __user* name, int flags);
long sys_pivot_root(const char __user* new_root, const char __user* put_old);
long sys_close(unsigned fd);
long sys_dup(unsigned fildes);
long sys_dup2(unsigned oldfd, unsigned newfd);
long sys_dup3(unsigned oldfd, unsigned newfd, int flags);
long sys_fcntl(unsigned fd, unsigned cmd, unsigned long arg);
long sys_ioctl(unsigned fd, unsigned cmd, unsigned long arg);
long sys_fstat(unsigned fd, struct stat __user* statbuf);
long sys_newfstatat(int dfd, const char __user* filename, struct stat __user* statbuf, int flag);
long sys_stat(const char __user* filename, struct stat __user* statbuf);
long sys_lstat(const char __user* filename, struct stat __user* statbuf);

// fs/exec.cpp
long sys_execve(const char __user* filename, const char __user* const __user* argv,
                const char __user* const __user* envp);
long sys_execveat(int fd, const char __user* filename, const char __user* const __user* argv,
                  const char __user* const __user* envp, int flags);

// kernel/exit.cpp
long sys_exit(int error_code);
long sys_exit_group(int error_code);
long sys_wait4(int pid, int __user* stat_addr, int options, rusage __user* ru);
long sys_waitid(int which, int upid, void __user* infop, int options, rusage __user* ru);

// kernel/fork.cpp
struct clone_args;
long sys_fork();
long sys_vfork();
long sys_clone(unsigned long clone_flags, unsigned long newsp, int __user* parent_tidptr, int __user* child_tidptr,
               unsigned long tls);
long sys_clone3(clone_args __user* uargs, size_t size);

// kernel/sys.cpp: process groups, sessions, credentials, uts names, priorities
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp();
long sys_getsid(int pid);
long sys_setsid();
long sys_setuid(unsigned uid);
long sys_setgid(unsigned gid);
long sys_setreuid(unsigned ruid, unsigned euid);
long sys_setregid(unsigned rgid, unsigned egid);
long sys_setresuid(unsigned ruid, unsigned euid, unsigned suid);
long sys_setresgid(unsigned rgid, unsigned egid, unsigned sgid);
long sys_getresuid(unsigned __user* ruid, unsigned __user* euid, unsigned __user* suid);
long sys_getresgid(unsigned __user* rgid, unsigned __user* egid, unsigned __user* sgid);
long sys_sethostname(const char __user* name, int len);
long sys_setdomainname(const char __user* name, int len);
long sys_getpriority(int which, int who);
long sys_setpriority(int which, int who, int niceval);
// kernel/groups.cpp
long sys_getgroups(int gidsetsize, unsigned __user* grouplist);
long sys_setgroups(int gidsetsize, const unsigned __user* grouplist);

// kernel/futex/syscalls.cpp
long sys_futex(u32 __user* uaddr, int op, u32 val, const __kernel_timespec __user* utime, u32 __user* uaddr2,
               u32 val3);

// kernel/sys.cpp
long sys_getpid();
long sys_getppid();
long sys_gettid();
long sys_getuid();
long sys_geteuid();
long sys_getgid();
long sys_getegid();
long sys_newuname(new_utsname __user* name);
long sys_sysinfo(sysinfo __user* info);
long sys_getrlimit(unsigned resource, rlimit __user* rlim);
long sys_setrlimit(unsigned resource, const rlimit __user* rlim);
long sys_prlimit64(int pid, unsigned resource, const rlimit64 __user* new_rlim, rlimit64 __user* old_rlim);
long sys_getrusage(int who, rusage __user* ru);
long sys_times(tms __user* tbuf);
long sys_reboot(int magic1, int magic2, unsigned cmd, void __user* arg);
long sys_set_tid_address(int __user* tidptr);

// kernel/futex/syscalls.cpp
long sys_set_robust_list(robust_list_head __user* head, size_t len);
long sys_get_robust_list(int pid, robust_list_head __user* __user* head_ptr, size_t __user* len_ptr);

// kernel/sched/syscalls.cpp
long sys_sched_yield();
long sys_sched_setscheduler(int pid, int policy, const void __user* param);
long sys_sched_setparam(int pid, const void __user* param);
long sys_sched_getscheduler(int pid);
long sys_sched_getparam(int pid, void __user* param);
long sys_sched_get_priority_max(int policy);
long sys_sched_get_priority_min(int policy);
long sys_sched_rr_get_interval(int pid, __kernel_timespec __user* interval);
long sys_sched_setaffinity(int pid, unsigned len, unsigned long __user* user_mask_ptr);
long sys_sched_getaffinity(int pid, unsigned len, unsigned long __user* user_mask_ptr);

// kernel/time/time.cpp, kernel/time/posix-stubs.cpp
long sys_time(long __user* tloc);
long sys_gettimeofday(__kernel_old_timeval __user* tv, struct timezone __user* tz);
long sys_clock_gettime(clockid_t which_clock, __kernel_timespec __user* tp);
long sys_clock_getres(clockid_t which_clock, __kernel_timespec __user* tp);
long sys_nanosleep(const __kernel_timespec __user* rqtp, __kernel_timespec __user* rmtp);
long sys_clock_nanosleep(clockid_t which_clock, int flags, const __kernel_timespec __user* rqtp,
                         __kernel_timespec __user* rmtp);

// arch/x86_64/kernel/process_64.cpp, sys_x86_64.cpp
long sys_arch_prctl(int option, unsigned long arg2);
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long fd,
              unsigned long off);
long sys_munmap(unsigned long addr, size_t len);
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
long sys_brk(unsigned long brk);
long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
                unsigned long new_addr);
long sys_madvise(unsigned long start, size_t len, int behavior);
long sys_msync(unsigned long start, size_t len, int flags);

// drivers/char/random.cpp
long sys_getrandom(char __user* buf, size_t count, unsigned flags);

// kernel/signal_syscalls.cpp, kernel/time/itimer.cpp, arch/x86_64/kernel/signal.cpp
struct sigaction;
struct kernel_sigset_t;
struct kernel_siginfo;
typedef struct sigaltstack stack_t;
long sys_rt_sigaction(int sig, const sigaction __user* act, sigaction __user* oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const kernel_sigset_t __user* nset, kernel_sigset_t __user* oset, size_t sigsetsize);
long sys_rt_sigpending(kernel_sigset_t __user* uset, size_t sigsetsize);
long sys_rt_sigsuspend(const kernel_sigset_t __user* unewset, size_t sigsetsize);
long sys_rt_sigtimedwait(const kernel_sigset_t __user* uthese, kernel_siginfo __user* uinfo,
                         const __kernel_timespec __user* uts, size_t sigsetsize);
long sys_sigaltstack(const stack_t __user* uss, stack_t __user* uoss);
long sys_pause();
long sys_kill(int pid, int sig);
long sys_tkill(int pid, int sig);
long sys_tgkill(int tgid, int pid, int sig);
long sys_rt_sigqueueinfo(int pid, int sig, kernel_siginfo __user* uinfo);
long sys_rt_tgsigqueueinfo(int tgid, int pid, int sig, kernel_siginfo __user* uinfo);
long sys_restart_syscall();
long sys_rt_sigreturn();
long sys_alarm(unsigned seconds);
long sys_getitimer(int which, __kernel_old_timeval __user* value);
long sys_setitimer(int which, __kernel_old_timeval __user* value, __kernel_old_timeval __user* ovalue);

// ---- fs/ VFS calls (namei, open, stat, namespace, ...) ----
// fs/stat.cpp (and stat/lstat/fstat/newfstatat above), readdir.cpp, attr_syscalls.cpp,
// access.cpp, chdir.cpp, getcwd.cpp, utimes.cpp, statfs.cpp, sync.cpp
struct statx;
struct statfs;
long sys_statx(int dfd, const char __user* filename, unsigned flags, unsigned mask, statx __user* buffer);
long sys_readlink(const char __user* path, char __user* buf, int bufsiz);
long sys_readlinkat(int dfd, const char __user* path, char __user* buf, int bufsiz);
long sys_getdents(unsigned fd, void __user* dirent, unsigned count);
long sys_getdents64(unsigned fd, void __user* dirent, unsigned count);
long sys_chmod(const char __user* filename, unsigned mode);
long sys_fchmod(unsigned fd, unsigned mode);
long sys_fchmodat(int dfd, const char __user* filename, unsigned mode);
long sys_chown(const char __user* filename, unsigned user, unsigned group);
long sys_lchown(const char __user* filename, unsigned user, unsigned group);
long sys_fchown(unsigned fd, unsigned user, unsigned group);
long sys_fchownat(int dfd, const char __user* filename, unsigned user, unsigned group, int flag);
long sys_truncate(const char __user* path, long length);
long sys_ftruncate(unsigned fd, unsigned long length);
long sys_fallocate(int fd, int mode, long offset, long len);
long sys_access(const char __user* filename, int mode);
long sys_faccessat(int dfd, const char __user* filename, int mode);
long sys_faccessat2(int dfd, const char __user* filename, int mode, int flags);
long sys_chdir(const char __user* filename);
long sys_fchdir(unsigned fd);
long sys_chroot(const char __user* filename);
long sys_umask(int mask);
long sys_getcwd(char __user* buf, unsigned long size);
long sys_utimensat(int dfd, const char __user* filename, const __kernel_timespec __user* utimes, int flags);
long sys_futimesat(int dfd, const char __user* filename, const __kernel_old_timeval __user* utimes);
long sys_utimes(const char __user* filename, const __kernel_old_timeval __user* utimes);
long sys_utime(const char __user* filename, const void __user* times);
long sys_statfs(const char __user* path, statfs __user* buf);
long sys_fstatfs(unsigned fd, statfs __user* buf);
long sys_sync();
long sys_syncfs(int fd);
long sys_fsync(unsigned fd);
long sys_fdatasync(unsigned fd);
long sys_sync_file_range(int fd, long offset, long nbytes, unsigned flags);

// ---- fs/pipe.cpp, select.cpp, eventpoll.cpp, eventfd.cpp ----
struct pollfd;
struct epoll_event;
long sys_pipe(int __user* fildes);
long sys_pipe2(int __user* fildes, int flags);
long sys_poll(pollfd __user* ufds, unsigned nfds, int timeout_msecs);
long sys_ppoll(pollfd __user* ufds, unsigned nfds, __kernel_timespec __user* tsp, const kernel_sigset_t __user* sigmask,
               size_t sigsetsize);
long sys_select(int n, unsigned long __user* inp, unsigned long __user* outp, unsigned long __user* exp,
                __kernel_old_timeval __user* tvp);
long sys_pselect6(int n, unsigned long __user* inp, unsigned long __user* outp, unsigned long __user* exp,
                  __kernel_timespec __user* tsp, void __user* sig);
long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, epoll_event __user* event);
long sys_epoll_wait(int epfd, epoll_event __user* events, int maxevents, int timeout);
long sys_epoll_pwait(int epfd, epoll_event __user* events, int maxevents, int timeout,
                     const kernel_sigset_t __user* sigmask, size_t sigsetsize);
long sys_epoll_pwait2(int epfd, epoll_event __user* events, int maxevents, const __kernel_timespec __user* timeout,
                      const kernel_sigset_t __user* sigmask, size_t sigsetsize);
long sys_eventfd(unsigned count);
long sys_eventfd2(unsigned count, int flags);

// ---- mm/memfd.cpp ----
long sys_memfd_create(const char __user* uname, unsigned flags);
// kernel/printk/syslog.cpp (the kernel log's system call; busybox dmesg uses it)
long sys_syslog(int type, char __user* buf, int len);

// ---- fs/proc/, kernel/sysctl.cpp ----
// kernel/prctl.cpp: the thread name (PR_SET_NAME, PR_GET_NAME).
long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5);
