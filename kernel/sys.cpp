// Process identity, system information, limits, usage and reboot (Linux's
// kernel/sys.c, kernel/reboot.c for reboot(2)). Every process runs as root
// (uid/gid 0) until credentials exist.
#include <asm/reboot.h>
#include <asm/uaccess.h>
#include <keel/compile.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/page_alloc.h>
#include <uapi/linux/reboot.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/sysinfo.h>
#include <uapi/linux/utsname.h>

namespace {

// Linux's defaults (include/asm-generic/resource.h, INIT_RLIMITS) for what a
// program is likely to ask about; setting limits is not supported yet.
rlimit64 default_rlimit(unsigned resource) {
    constexpr unsigned long long inf = RLIM_INFINITY;
    switch (resource) {
    case RLIMIT_STACK: return {8ull << 20, inf};
    case RLIMIT_NOFILE: return {1024, 1024};  // = the fd table's size (include/keel/fdtable.h)
    case RLIMIT_CORE: return {0, inf};
    case RLIMIT_MEMLOCK: return {8ull << 20, 8ull << 20};
    case RLIMIT_NPROC: return {32768, 32768};  // PID_MAX_DEFAULT
    case RLIMIT_SIGPENDING: return {0, 0};
    case RLIMIT_MSGQUEUE: return {819200, 819200};
    case RLIMIT_NICE:
    case RLIMIT_RTPRIO: return {0, 0};
    default: return {inf, inf};
    }
}

void ns_to_timeval(u64 ns, __kernel_old_timeval* tv) {
    tv->tv_sec = long(ns / 1000000000);
    tv->tv_usec = long(ns / 1000 % 1000000);
}

}  // namespace

long sys_getpid() { return current->tgid; }
long sys_gettid() { return current->pid; }
long sys_getppid() {
    task_struct* parent = current->real_parent;
    return parent ? parent->tgid : 0;
}
long sys_getuid() { return 0; }
long sys_geteuid() { return 0; }
long sys_getgid() { return 0; }
long sys_getegid() { return 0; }

long sys_set_tid_address(int __user* tidptr) {
    current->clear_child_tid = tidptr;
    return current->pid;
}

long sys_set_robust_list(robust_list_head __user* head, size_t len) {
    if (len != 24) return -EINVAL;  // sizeof(struct robust_list_head) on x86_64
    current->robust_list = head;
    return 0;
}

long sys_sched_yield() {
    yield();
    return 0;
}

long sys_newuname(new_utsname __user* name) {
    // "Linux" and a Linux-looking release: programs parse these to decide what
    // the kernel supports, and Keel speaks Linux's ABI.
    new_utsname u{};
    strscpy(u.sysname, "Linux", sizeof(u.sysname));
    strscpy(u.nodename, "(none)", sizeof(u.nodename));  // Linux's default until sethostname
    strscpy(u.release, "6.1.0-keel-" KEEL_VERSION, sizeof(u.release));
    strscpy(u.version, "#1 SMP PREEMPT " KEEL_BUILD_TIME, sizeof(u.version));
    strscpy(u.machine, "x86_64", sizeof(u.machine));
    strscpy(u.domainname, "(none)", sizeof(u.domainname));
    return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_sysinfo(sysinfo __user* info) {
    sysinfo s{};
    s.uptime = long(ktime_get_boottime() / NSEC_PER_SEC);
    s.totalram = totalram_pages() * PAGE_SIZE;
    s.freeram = nr_free_pages() * PAGE_SIZE;
    unsigned procs = 0;
    {
        Guard<IrqSave> guard(tasklist_lock);
        for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) procs++;
    }
    s.procs = (unsigned short)procs;
    s.mem_unit = 1;
    return copy_to_user(info, &s, sizeof(s)) ? -EFAULT : 0;
}

long sys_prlimit64(int pid, unsigned resource, const rlimit64 __user* new_rlim, rlimit64 __user* old_rlim) {
    if (resource >= RLIM_NLIMITS) return -EINVAL;
    if (pid != 0 && pid != current->tgid) return find_task_by_pid(pid) ? -EPERM : -ESRCH;
    if (new_rlim) return -EPERM;  // limits are fixed at their defaults for now
    rlimit64 r = default_rlimit(resource);
    if (old_rlim && copy_to_user(old_rlim, &r, sizeof(r))) return -EFAULT;
    return 0;
}

long sys_getrlimit(unsigned resource, rlimit __user* rlim) {
    if (resource >= RLIM_NLIMITS) return -EINVAL;
    rlimit64 r = default_rlimit(resource);
    rlimit out{r.rlim_cur, r.rlim_max};
    return copy_to_user(rlim, &out, sizeof(out)) ? -EFAULT : 0;
}

// CPU time is measured per task by the scheduler but not split into user and
// system time yet: all of it is reported as user time.
long sys_getrusage(int who, rusage __user* ru) {
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) return -EINVAL;
    rusage r{};
    task_struct* t = current;
    ns_to_timeval(who == RUSAGE_CHILDREN ? t->children_runtime : t->se.sum_exec_runtime, &r.ru_utime);
    if (who != RUSAGE_CHILDREN) {
        r.ru_nvcsw = long(t->stats.nr_voluntary_switches);
        r.ru_nivcsw = long(t->stats.nr_involuntary_switches);
    }
    return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

long sys_times(tms __user* tbuf) {
    constexpr u64 ns_per_tick = NSEC_PER_SEC / USER_HZ;
    if (tbuf) {
        tms t{long(current->se.sum_exec_runtime / ns_per_tick), 0, long(current->children_runtime / ns_per_tick), 0};
        if (copy_to_user(tbuf, &t, sizeof(t))) return -EFAULT;
    }
    // Clock ticks since boot, as Linux (which starts them 5 minutes before 0
    // to catch wrap bugs; Keel does not).
    return long(u64(ktime_get_boottime()) / ns_per_tick);
}

long sys_reboot(int magic1, int magic2, unsigned cmd, void __user* arg) {
    if (unsigned(magic1) != LINUX_REBOOT_MAGIC1 ||
        (unsigned(magic2) != LINUX_REBOOT_MAGIC2 && unsigned(magic2) != LINUX_REBOOT_MAGIC2A &&
         unsigned(magic2) != LINUX_REBOOT_MAGIC2B && unsigned(magic2) != LINUX_REBOOT_MAGIC2C))
        return -EINVAL;
    switch (cmd) {
    case LINUX_REBOOT_CMD_RESTART:
    case LINUX_REBOOT_CMD_RESTART2:
        machine_restart();
    case LINUX_REBOOT_CMD_HALT:
        machine_halt();
    case LINUX_REBOOT_CMD_POWER_OFF:
        machine_power_off();
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        return 0;  // no Ctrl-Alt-Del handling to switch
    default:
        return -EINVAL;
    }
}
