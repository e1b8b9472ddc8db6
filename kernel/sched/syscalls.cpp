// The sched_* system calls (Linux's kernel/sched/syscalls.c): policies,
// real-time priorities, time slices and CPU affinity, on top of core.cpp.
#include <asm/uaccess.h>
#include <keel/cred.h>
#include <keel/jiffies.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <keel/syscalls.h>
#include <kernel/sched/sched.h>
#include <uapi/linux/time_types.h>

namespace {

constexpr unsigned SCHED_RESET_ON_FORK = 0x40000000;

struct sched_param {
    int sched_priority;
};

// The thread `pid` names (0: current), with a reference, or nullptr.
task_struct* find_get_task(int pid) {
    if (!pid) {
        get_task_struct(current);
        return current;
    }
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) {
        task_struct* t = list_entry(pos, task_struct, tasks);
        if (t->pid == pid && t->exit_state != EXIT_DEAD) {
            get_task_struct(t);
            return t;
        }
    }
    return nullptr;
}

long do_sched_setscheduler(int pid, int policy, const sched_param __user* uparam) {
    if (!uparam || pid < 0) return -EINVAL;
    sched_param param;
    if (copy_from_user(&param, uparam, sizeof(param))) return -EFAULT;
    task_struct* p = find_get_task(pid);
    if (!p) return -ESRCH;
    long ret;
    if (!capable_of(current_cred())) ret = -EPERM;  // RLIMIT_RTPRIO is 0: only root changes policies
    else ret = sched_setscheduler_nocheck(p, policy < 0 ? p->policy : unsigned(policy) & ~SCHED_RESET_ON_FORK,
                                          param.sched_priority);
    put_task_struct(p);
    return ret;
}

}  // namespace

long sys_sched_yield() {
    yield();
    return 0;
}

long sys_sched_setscheduler(int pid, int policy, const void __user* param) {
    if (policy < 0) return -EINVAL;
    return do_sched_setscheduler(pid, policy, static_cast<const sched_param __user*>(param));
}

long sys_sched_setparam(int pid, const void __user* param) {
    return do_sched_setscheduler(pid, -1, static_cast<const sched_param __user*>(param));
}

long sys_sched_getscheduler(int pid) {
    if (pid < 0) return -EINVAL;
    task_struct* p = find_get_task(pid);
    if (!p) return -ESRCH;
    long policy = p->policy;
    put_task_struct(p);
    return policy;
}

long sys_sched_getparam(int pid, void __user* param) {
    if (!param || pid < 0) return -EINVAL;
    task_struct* p = find_get_task(pid);
    if (!p) return -ESRCH;
    sched_param sp{int(p->rt_priority)};
    put_task_struct(p);
    return copy_to_user(param, &sp, sizeof(sp)) ? -EFAULT : 0;
}

long sys_sched_get_priority_max(int policy) {
    switch (policy) {
    case SCHED_FIFO:
    case SCHED_RR: return MAX_RT_PRIO - 1;
    case SCHED_NORMAL:
    case SCHED_BATCH:
    case SCHED_IDLE: return 0;
    default: return -EINVAL;
    }
}

long sys_sched_get_priority_min(int policy) {
    switch (policy) {
    case SCHED_FIFO:
    case SCHED_RR: return 1;
    case SCHED_NORMAL:
    case SCHED_BATCH:
    case SCHED_IDLE: return 0;
    default: return -EINVAL;
    }
}

// SCHED_RR's slice, 0 for SCHED_FIFO (no slice), and for fair tasks the
// targeted latency's share a lone task would get (Linux computes the task's
// current sched_slice).
long sys_sched_rr_get_interval(int pid, __kernel_timespec __user* interval) {
    if (pid < 0) return -EINVAL;
    task_struct* p = find_get_task(pid);
    if (!p) return -ESRCH;
    u64 ns = p->policy == SCHED_RR ? u64(sysctl_sched_rr_timeslice) * (NSEC_PER_SEC / HZ)
             : p->policy == SCHED_FIFO ? 0
                                       : u64(sysctl_sched_latency);
    put_task_struct(p);
    __kernel_timespec ts{s64(ns / NSEC_PER_SEC), long(ns % NSEC_PER_SEC)};
    return copy_to_user(interval, &ts, sizeof(ts)) ? -EFAULT : 0;
}

// Masks are as many bytes as user space gives, up to Keel's cpumask; the
// kernel's mask size in bytes is what getaffinity returns.
long sys_sched_setaffinity(int pid, unsigned len, unsigned long __user* user_mask_ptr) {
    cpumask mask;
    cpumask_clear(&mask);
    unsigned n = len < sizeof(mask) ? len : unsigned(sizeof(mask));
    if (copy_from_user(&mask, user_mask_ptr, n)) return -EFAULT;
    task_struct* p = find_get_task(pid);
    if (!p) return -ESRCH;
    long ret = (p->flags & PF_NO_SETAFFINITY) ? -EINVAL : set_cpus_allowed_ptr(p, &mask);
    put_task_struct(p);
    return ret;
}

long sys_sched_getaffinity(int pid, unsigned len, unsigned long __user* user_mask_ptr) {
    unsigned size = (nr_cpu_ids + 63) / 64 * 8;
    if (len * 8 < nr_cpu_ids || len & (sizeof(long) - 1)) return -EINVAL;
    task_struct* p = find_get_task(pid);
    if (!p) return -ESRCH;
    cpumask mask;
    cpumask_clear(&mask);
    unsigned cpu;
    for_each_cpu(cpu, &p->cpus_mask) if (cpumask_test_cpu(cpu, cpu_active_mask)) cpumask_set_cpu(cpu, &mask);
    put_task_struct(p);
    unsigned n = len < size ? len : size;
    return copy_to_user(user_mask_ptr, &mask, n) ? -EFAULT : n;
}
