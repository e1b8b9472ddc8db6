// Process identity (ids, process groups and sessions, credentials,
// priorities), system information, limits, usage and reboot (Linux's
// kernel/sys.c, kernel/reboot.c for reboot(2)).
#include <asm/reboot.h>
#include <asm/uaccess.h>
#include <keel/compile.h>
#include <keel/loadavg.h>
#include <keel/utsname.h>
#include <keel/vmstat.h>
#include <keel/cred.h>
#include <keel/printk.h>
#include <keel/jiffies.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <keel/tty.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/page_alloc.h>
#include <uapi/linux/reboot.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/sysinfo.h>
#include <uapi/linux/utsname.h>

// The names sethostname/setdomainname set (one set: there are no UTS
// namespaces); Linux's defaults until then. /proc/sys/kernel shows them too.
spinlock_t uts_lock;
char uts_nodename[__NEW_UTS_LEN + 1] = "(none)";
char uts_domainname[__NEW_UTS_LEN + 1] = "(none)";

namespace {

void ns_to_timeval(u64 ns, __kernel_old_timeval* tv) {
    tv->tv_sec = long(ns / 1000000000);
    tv->tv_usec = long(ns / 1000 % 1000000);
}

constexpr unsigned long long sysctl_nr_open = 1024 * 1024;  // fs.nr_open's default: RLIMIT_NOFILE's ceiling

// Linux's check_prlimit_permission: one's own process, one whose user ids all
// equal one's real user id and whose group ids one's real group id, or
// CAP_SYS_RESOURCE (root).
bool may_prlimit(task_struct* tsk) {
    const cred* me = current_cred();
    if (tsk->signal == current->signal || capable_of(me)) return true;
    const cred* them = tsk->cred ? tsk->cred : &init_cred;
    return me->uid == them->euid && me->uid == them->suid && me->uid == them->uid && me->gid == them->egid &&
           me->gid == them->sgid && me->gid == them->gid;
}

// Linux's do_prlimit: reads and/or sets one limit of tsk's process. Raising a
// hard limit needs CAP_SYS_RESOURCE; RLIMIT_NOFILE never goes above nr_open.
long do_prlimit(task_struct* tsk, unsigned resource, const rlimit64* new_rlim, rlimit64* old_rlim) {
    if (resource >= RLIM_NLIMITS) return -EINVAL;
    if (new_rlim) {
        if (new_rlim->rlim_cur > new_rlim->rlim_max) return -EINVAL;
        if (resource == RLIMIT_NOFILE && new_rlim->rlim_max > sysctl_nr_open) return -EPERM;
    }
    if (!tsk->sighand || !tsk->signal) return -ESRCH;
    Guard<IrqSave> guard(tsk->sighand->siglock);
    rlimit64* rlim = &tsk->signal->rlim[resource];
    if (new_rlim && new_rlim->rlim_max > rlim->rlim_max && !capable_of(current_cred())) return -EPERM;
    if (old_rlim) *old_rlim = *rlim;
    if (new_rlim) *rlim = *new_rlim;
    return 0;
}

}  // namespace

// Linux's INIT_RLIMITS (include/asm-generic/resource.h) with what fork_init
// derives from memory: RLIMIT_NPROC and RLIMIT_SIGPENDING are half of
// max_threads, the number of 16 KiB kernel stacks (x86-64's THREAD_SIZE) that
// fit in an eighth of RAM.
unsigned long task_rlimit(const task_struct* tsk, unsigned resource) {
    if (const signal_struct* sig = tsk->signal)
        return __atomic_load_n(&sig->rlim[resource].rlim_cur, __ATOMIC_RELAXED);
    // A kernel thread has the limits Linux's kthreads get from init_task.
    rlimit64 rlim[RLIM_NLIMITS];
    init_rlimits(rlim);
    return rlim[resource].rlim_cur;
}

void init_rlimits(rlimit64* rlim) {
    constexpr unsigned long long inf = RLIM_INFINITY;
    for (unsigned i = 0; i < RLIM_NLIMITS; i++) rlim[i] = {inf, inf};
    unsigned long long max_threads = totalram_pages() * PAGE_SIZE / (8 * 16384);
    if (max_threads < 20) max_threads = 20;  // MIN_THREADS
    if (max_threads > 0x3fffffff) max_threads = 0x3fffffff;  // FUTEX_TID_MASK
    rlim[RLIMIT_STACK] = {8ull << 20, inf};  // _STK_LIM
    rlim[RLIMIT_CORE] = {0, inf};
    rlim[RLIMIT_NPROC] = {max_threads / 2, max_threads / 2};
    rlim[RLIMIT_NOFILE] = {1024, 4096};  // INR_OPEN_CUR, INR_OPEN_MAX
    rlim[RLIMIT_MEMLOCK] = {8ull << 20, 8ull << 20};  // MLOCK_LIMIT
    rlim[RLIMIT_SIGPENDING] = rlim[RLIMIT_NPROC];
    rlim[RLIMIT_MSGQUEUE] = {819200, 819200};  // MQ_BYTES_MAX
    rlim[RLIMIT_NICE] = {0, 0};
    rlim[RLIMIT_RTPRIO] = {0, 0};
}

namespace {

}  // namespace

long sys_getpid() { return current->tgid; }
long sys_gettid() { return current->pid; }
long sys_getppid() {
    task_struct* parent = current->real_parent;
    return parent ? parent->tgid : 0;
}
long sys_getuid() { return current_cred()->uid; }
long sys_geteuid() { return current_cred()->euid; }
long sys_getgid() { return current_cred()->gid; }
long sys_getegid() { return current_cred()->egid; }

// ---- process groups and sessions ---------------------------------------------

namespace {

// The process (its leader) with this id, a zombie too until it is reaped, or
// nullptr; tasklist_lock held.
task_struct* find_process(int pid) {
    for_each_process(p) if (p->pid == pid && p->exit_state != EXIT_DEAD) return p;
    return nullptr;
}

bool pgrp_exists(int pgrp) {
    for_each_process(p) if (task_pgrp_nr(p) == pgrp) return true;
    return false;
}

void set_process_ids(task_struct* leader, int pgrp, int session) {
    for_each_thread(leader, t) {
        t->pgrp = pgrp;
        t->session = session;
    }
}

}  // namespace

long sys_setpgid(int pid, int pgid) {
    task_struct* self = current->group_leader;
    if (!pid) pid = self->pid;
    if (!pgid) pgid = pid;
    if (pgid < 0) return -EINVAL;
    Guard<IrqSave> guard(tasklist_lock);
    task_struct* p = find_process(pid);
    if (!p) return -ESRCH;
    // Only ourselves or a child of ours, and a child only in our session.
    if (p != self) {
        if (p->real_parent->tgid != self->tgid) return -ESRCH;
        if (task_session_nr(p) != task_session_nr(self)) return -EPERM;
    }
    if (task_session_nr(p) == p->pid) return -EPERM;  // a session leader stays in its group
    // Joining an existing group: it must be in our session.
    if (pgid != pid) {
        bool found = false;
        for_each_process(q) if (task_pgrp_nr(q) == pgid && task_session_nr(q) == task_session_nr(self)) found = true;
        if (!found) return -EPERM;
    }
    set_process_ids(p, pgid, task_session_nr(p));
    return 0;
}

long sys_getpgid(int pid) {
    if (!pid) return task_pgrp_nr(current);
    Guard<IrqSave> guard(tasklist_lock);
    task_struct* p = find_process(pid);
    return p ? task_pgrp_nr(p) : -ESRCH;
}

long sys_getpgrp() { return task_pgrp_nr(current); }

long sys_getsid(int pid) {
    if (!pid) return task_session_nr(current);
    Guard<IrqSave> guard(tasklist_lock);
    task_struct* p = find_process(pid);
    return p ? task_session_nr(p) : -ESRCH;
}

// A new session and group, both named after the caller, unless some group
// already bears its id (it leads one).
long sys_setsid() {
    task_struct* self = current->group_leader;
    {
        Guard<IrqSave> guard(tasklist_lock);
        if (pgrp_exists(self->pid)) return -EPERM;
        set_process_ids(self, self->pid, self->pid);
    }
    proc_clear_tty(self);  // a new session starts without a controlling terminal
    return self->pid;
}

// ---- credentials (Linux's rules for each call; privilege is euid 0) -------------

namespace {

constexpr unsigned INVALID_ID = ~0u;

// Applies `change` to a copy of current's cred; it returns 0 or -errno.
template <typename Change> long change_creds(Change change) {
    cred* c = prepare_creds();
    if (!c) return -ENOMEM;
    if (long err = change(c, current_cred())) {
        abort_creds(c);
        return err;
    }
    commit_creds(c);
    return 0;
}

bool is_one_of(unsigned id, unsigned a, unsigned b, unsigned c) { return id == a || id == b || id == c; }

}  // namespace

long sys_setuid(unsigned uid) {
    if (uid == INVALID_ID) return -EINVAL;
    return change_creds([&](cred* c, const cred* old) -> long {
        if (capable_of(old)) c->uid = c->suid = uid;
        else if (uid != old->uid && uid != old->suid) return -EPERM;
        c->euid = c->fsuid = uid;
        return 0;
    });
}

long sys_setgid(unsigned gid) {
    if (gid == INVALID_ID) return -EINVAL;
    return change_creds([&](cred* c, const cred* old) -> long {
        if (capable_of(old)) c->gid = c->sgid = gid;
        else if (gid != old->gid && gid != old->sgid) return -EPERM;
        c->egid = c->fsgid = gid;
        return 0;
    });
}

long sys_setreuid(unsigned ruid, unsigned euid) {
    return change_creds([&](cred* c, const cred* old) -> long {
        bool priv = capable_of(old);
        if (ruid != INVALID_ID) {
            if (!priv && ruid != old->uid && ruid != old->euid) return -EPERM;
            c->uid = ruid;
        }
        if (euid != INVALID_ID) {
            if (!priv && !is_one_of(euid, old->uid, old->euid, old->suid)) return -EPERM;
            c->euid = euid;
        }
        // The saved id follows the effective one when the real id is set or
        // the effective one moves away from the old real id.
        if (ruid != INVALID_ID || (euid != INVALID_ID && euid != old->uid)) c->suid = c->euid;
        c->fsuid = c->euid;
        return 0;
    });
}

long sys_setregid(unsigned rgid, unsigned egid) {
    return change_creds([&](cred* c, const cred* old) -> long {
        bool priv = capable_of(old);
        if (rgid != INVALID_ID) {
            if (!priv && rgid != old->gid && rgid != old->egid) return -EPERM;
            c->gid = rgid;
        }
        if (egid != INVALID_ID) {
            if (!priv && !is_one_of(egid, old->gid, old->egid, old->sgid)) return -EPERM;
            c->egid = egid;
        }
        if (rgid != INVALID_ID || (egid != INVALID_ID && egid != old->gid)) c->sgid = c->egid;
        c->fsgid = c->egid;
        return 0;
    });
}

long sys_setresuid(unsigned ruid, unsigned euid, unsigned suid) {
    return change_creds([&](cred* c, const cred* old) -> long {
        if (!capable_of(old)) {
            for (unsigned id : {ruid, euid, suid})
                if (id != INVALID_ID && !is_one_of(id, old->uid, old->euid, old->suid)) return -EPERM;
        }
        if (ruid != INVALID_ID) c->uid = ruid;
        if (euid != INVALID_ID) c->euid = euid;
        if (suid != INVALID_ID) c->suid = suid;
        c->fsuid = c->euid;
        return 0;
    });
}

long sys_setresgid(unsigned rgid, unsigned egid, unsigned sgid) {
    return change_creds([&](cred* c, const cred* old) -> long {
        if (!capable_of(old)) {
            for (unsigned id : {rgid, egid, sgid})
                if (id != INVALID_ID && !is_one_of(id, old->gid, old->egid, old->sgid)) return -EPERM;
        }
        if (rgid != INVALID_ID) c->gid = rgid;
        if (egid != INVALID_ID) c->egid = egid;
        if (sgid != INVALID_ID) c->sgid = sgid;
        c->fsgid = c->egid;
        return 0;
    });
}

long sys_getresuid(unsigned __user* ruid, unsigned __user* euid, unsigned __user* suid) {
    const cred* c = current_cred();
    if (put_user(c->uid, ruid) || put_user(c->euid, euid) || put_user(c->suid, suid)) return -EFAULT;
    return 0;
}

long sys_getresgid(unsigned __user* rgid, unsigned __user* egid, unsigned __user* sgid) {
    const cred* c = current_cred();
    if (put_user(c->gid, rgid) || put_user(c->egid, egid) || put_user(c->sgid, sgid)) return -EFAULT;
    return 0;
}

// ---- scheduling priority (nice) --------------------------------------------------

namespace {
enum : int { PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2 };

// Calls fn on each thread `which`/`who` names; false when none matched.
template <typename Fn> bool for_each_prio_target(int which, int who, Fn fn) {
    bool found = false;
    Guard<IrqSave> guard(tasklist_lock);
    task_struct* self = current;
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) {
        task_struct* t = list_entry(pos, task_struct, tasks);
        if ((t->flags & PF_KTHREAD) || t->exit_state == EXIT_DEAD) continue;
        bool match = which == PRIO_PROCESS ? t->pid == (who ? who : self->pid)
                     : which == PRIO_PGRP  ? task_pgrp_nr(t) == (who ? who : task_pgrp_nr(self))
                                           : t->cred && t->cred->uid == unsigned(who ? who : int(current_cred()->uid));
        if (match) {
            found = true;
            fn(t);
        }
    }
    return found;
}
}  // namespace

// The highest priority among the targets, as 20 - nice (1..40), so that no
// valid answer is negative.
long sys_getpriority(int which, int who) {
    if (which < PRIO_PROCESS || which > PRIO_USER) return -EINVAL;
    long best = 0;
    if (!for_each_prio_target(which, who, [&](task_struct* t) {
            long v = 20 - task_nice(t);
            if (v > best) best = v;
        }))
        return -ESRCH;
    return best;
}

long sys_setpriority(int which, int who, int niceval) {
    if (which < PRIO_PROCESS || which > PRIO_USER) return -EINVAL;
    if (niceval < -20) niceval = -20;
    if (niceval > 19) niceval = 19;
    const cred* me = current_cred();
    long err = 0;
    task_struct* targets[64];
    int n = 0;
    bool found = for_each_prio_target(which, who, [&](task_struct* t) {
        // Another user's task needs privilege; so does raising priority.
        if (!capable_of(me) && t->cred && t->cred->uid != me->euid && t->cred->euid != me->euid) err = -EPERM;
        else if (niceval < task_nice(t) && !capable_of(me)) err = -EACCES;
        else if (n < 64) {
            get_task_struct(t);
            targets[n++] = t;
        }
    });
    // set_user_nice takes run-queue locks: outside tasklist_lock.
    for (int i = 0; i < n; i++) {
        set_user_nice(targets[i], niceval);
        put_task_struct(targets[i]);
    }
    if (!found) return -ESRCH;
    return err;
}

long sys_set_tid_address(int __user* tidptr) {
    current->clear_child_tid = tidptr;
    return current->pid;
}

long sys_newuname(new_utsname __user* name) {
    new_utsname u{};
    strscpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
    strscpy(u.release, UTS_RELEASE, sizeof(u.release));
    strscpy(u.version, UTS_VERSION, sizeof(u.version));
    strscpy(u.machine, "x86_64", sizeof(u.machine));
    {
        Guard<IrqSave> guard(uts_lock);
        strscpy(u.nodename, uts_nodename, sizeof(u.nodename));
        strscpy(u.domainname, uts_domainname, sizeof(u.domainname));
    }
    return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

namespace {

// sethostname/setdomainname: privileged, at most 64 bytes, not NUL-terminated.
long set_uts_name(char* field, const char __user* name, int len) {
    if (!capable_of(current_cred())) return -EPERM;
    if (len < 0 || len > __NEW_UTS_LEN) return -EINVAL;
    char buf[__NEW_UTS_LEN + 1] = {};
    if (copy_from_user(buf, name, unsigned(len))) return -EFAULT;
    Guard<IrqSave> guard(uts_lock);
    memcpy(field, buf, sizeof(buf));
    return 0;
}

}  // namespace

long sys_sethostname(const char __user* name, int len) { return set_uts_name(uts_nodename, name, len); }
long sys_setdomainname(const char __user* name, int len) { return set_uts_name(uts_domainname, name, len); }

long sys_sysinfo(sysinfo __user* info) {
    sysinfo s{};
    s.uptime = long(ktime_get_boottime() / NSEC_PER_SEC);
    get_avenrun(s.loads, 0, 16 - FSHIFT);  // SI_LOAD_SHIFT: loads are 16.16 fixed point
    s.totalram = totalram_pages() * PAGE_SIZE;
    s.freeram = nr_free_pages() * PAGE_SIZE;
    s.sharedram = global_node_page_state(NR_SHMEM) * PAGE_SIZE;
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
    rlimit64 nr, old;
    if (new_rlim && copy_from_user(&nr, new_rlim, sizeof(nr))) return -EFAULT;
    task_struct* tsk = current;
    if (pid) {
        // Any thread's id names its process, as in Linux; an unreaped zombie
        // still has its limits (Linux answers for it too).
        tsk = signal_find_task(pid, true, true);
        if (!tsk) return -ESRCH;
    }
    long ret = may_prlimit(tsk) ? do_prlimit(tsk, resource, new_rlim ? &nr : nullptr, old_rlim ? &old : nullptr)
                                : -EPERM;
    if (pid) put_task_struct(tsk);
    if (!ret && old_rlim && copy_to_user(old_rlim, &old, sizeof(old))) return -EFAULT;
    return ret;
}

long sys_getrlimit(unsigned resource, rlimit __user* rlim) {
    rlimit64 r;
    if (long ret = do_prlimit(current, resource, nullptr, &r)) return ret;
    rlimit out{r.rlim_cur, r.rlim_max};
    return copy_to_user(rlim, &out, sizeof(out)) ? -EFAULT : 0;
}

long sys_setrlimit(unsigned resource, const rlimit __user* rlim) {
    rlimit in;
    if (copy_from_user(&in, rlim, sizeof(in))) return -EFAULT;
    rlimit64 r{in.rlim_cur, in.rlim_max};
    return do_prlimit(current, resource, &r, nullptr);
}

// Linux's getrusage: CPU times as the ticks sampled them (user/system), for
// the process (live and dead threads), its reaped children, or this thread.
long sys_getrusage(int who, rusage __user* ru) {
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) return -EINVAL;
    rusage r{};
    task_struct* t = current;
    u64 utime = t->utime, stime = t->stime;
    if (who == RUSAGE_SELF) {
        task_cputime c;
        thread_group_cputime(t, &c);
        utime = c.utime;
        stime = c.stime;
    } else if (who == RUSAGE_CHILDREN) {
        Guard<IrqSave> guard(tasklist_lock);
        utime = t->signal->cutime;
        stime = t->signal->cstime;
    }
    ns_to_timeval(utime, &r.ru_utime);
    ns_to_timeval(stime, &r.ru_stime);
    if (who != RUSAGE_CHILDREN) {
        r.ru_nvcsw = long(t->stats.nr_voluntary_switches);
        r.ru_nivcsw = long(t->stats.nr_involuntary_switches);
    }
    return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

long sys_times(tms __user* tbuf) {
    constexpr u64 ns_per_tick = NSEC_PER_SEC / USER_HZ;
    if (tbuf) {
        task_cputime c;
        thread_group_cputime(current, &c);
        u64 cutime, cstime;
        {
            Guard<IrqSave> guard(tasklist_lock);
            cutime = current->signal->cutime;
            cstime = current->signal->cstime;
        }
        tms t{long(c.utime / ns_per_tick), long(c.stime / ns_per_tick), long(cutime / ns_per_tick),
              long(cstime / ns_per_tick)};
        if (copy_to_user(tbuf, &t, sizeof(t))) return -EFAULT;
    }
    // jiffies_64 in clock ticks, as Linux returns it: counted from
    // INITIAL_JIFFIES (so not from 0 at boot), which makes wrap bugs show early.
    return long(jiffies_64_to_clock_t(get_jiffies_64()));
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
