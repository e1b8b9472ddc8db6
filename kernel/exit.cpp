// The end of a task (Linux's kernel/exit.c).
//
// A kernel thread that returns from its function (or calls kthread_exit)
// marks itself TASK_DEAD and schedules away for the last time; the next task
// on that CPU releases it (finish_task_switch).
//
// A user thread lets go of its memory (waking a vfork parent and a
// pthread_join waiter), its files and its children (to another live thread of
// its process, else init). A thread that is not its group's leader is released
// at once: nobody waits for threads. The leader becomes a zombie holding the
// process's wait status, but its parent may reap it only once every other
// thread is gone (Linux's delay_group_leader): until then the process is
// still running. Init's process itself must never end: as in Linux, that is a
// panic.
#include <asm/uaccess.h>
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/mm.h>
#include <keel/panic.h>
#include <keel/preempt.h>
#include <keel/errno.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/signal_fault.h>
#include <keel/syscalls.h>
#include <keel/tty.h>
#include <keel/wait.h>
#include <kernel/sched/sched.h>
#include <uapi/asm/signal.h>
#include <uapi/linux/resource.h>

namespace {

void exit_mm(task_struct* tsk) {
    mm_struct* mm = tsk->mm;
    if (!mm) return;
    // Keep the struct (and its page tables, still loaded) for active_mm until
    // the scheduler switches away; the mappings go with the last user.
    mmgrab(mm);
    {
        Guard<IrqSave> guard(tsk->pi_lock);
        tsk->mm = nullptr;
    }
    mmput(mm);
}

// The task lets go of its root and working directory (Linux's exit_fs).
void exit_fs(task_struct* tsk) {
    fs_struct* fs;
    {
        // /proc/PID/cwd and root take their reference to it under pi_lock.
        Guard<IrqSave> guard(tsk->pi_lock);
        fs = tsk->fs;
        tsk->fs = nullptr;
    }
    if (fs) free_fs_struct(fs);
}

void exit_files(task_struct* tsk) {
    files_struct* files = tsk->files;
    if (!files) return;
    {
        // /proc/PID/fd takes its reference to the table under pi_lock.
        Guard<IrqSave> guard(tsk->pi_lock);
        tsk->files = nullptr;
    }
    put_files_struct(files);
}

// Another thread of tsk's process that is not exiting, or nullptr.
task_struct* find_alive_thread(task_struct* tsk) {
    for_each_thread(tsk, t) if (t != tsk && !(t->flags & PF_EXITING)) return t;
    return nullptr;
}

// True while a zombie leader must wait for the rest of its threads.
bool delay_group_leader(const task_struct* p) {
    return thread_group_leader(p) && next_thread(p) != p;
}

// The process's wait status: exit_group's or a group kill's, else the
// leader's own exit code.
int process_exit_status(const task_struct* leader) {
    const signal_struct* sig = leader->signal;
    return sig && (sig->flags & SIGNAL_GROUP_EXIT) ? sig->group_exit_code : leader->exit_code;
}

// The process of `leader` has ended: its parent hears of it (SIGCHLD, or the
// process's exit signal) and may reap it now. True when the parent wants no
// zombie (SIGCHLD ignored): the leader is then released by the caller.
// tasklist_lock held.
bool notify_process_end(task_struct* leader) {
    leader->exit_code = process_exit_status(leader);
    if (!do_notify_parent(leader, leader->exit_signal)) return false;
    leader->exit_state = EXIT_DEAD;
    return true;
}

// Children of an exiting thread go to a live thread of the same process, else
// to init (PID 1, Linux's child_reaper); a zombie among them is announced to
// its new parent. Called with tasklist_lock held; zombies the new parent does
// not want go on `dead` (through their sibling node) for the caller to release.
void forget_original_parent(task_struct* tsk, task_struct* init, list_head* dead) {
    task_struct* reaper = find_alive_thread(tsk);
    if (!reaper) reaper = init;
    while (!list_empty(&tsk->children)) {
        task_struct* child = list_entry(tsk->children.next, task_struct, sibling);
        list_del(&child->sibling);
        for_each_thread(child, t) t->real_parent = t->parent = reaper;
        bool unwanted = child->exit_state == EXIT_ZOMBIE && !delay_group_leader(child) && notify_process_end(child);
        list_add_tail(&child->sibling, unwanted ? dead : &reaper->children);
    }
}

[[noreturn]] void do_exit_process(task_struct* tsk, int status) {
    exit_signals(tsk);
    mm_release(tsk);
    exit_mm(tsk);
    exit_files(tsk);
    exit_fs(tsk);
    // A session leader's last thread hangs its controlling terminal up (Linux's group_dead).
    bool group_dead;
    {
        Guard<IrqSave> guard(tasklist_lock);
        group_dead = !find_alive_thread(tsk);
    }
    if (group_dead) disassociate_ctty(1);
    task_struct* init = find_task_by_pid(1);
    // One reference for the last switch away (dropped in finish_task_switch).
    get_task_struct(tsk);
    preempt_disable();
    task_struct* release[2] = {};
    LIST_HEAD(dead);
    {
        Guard<IrqSave> guard(tasklist_lock);
        forget_original_parent(tsk, init, &dead);
        tsk->exit_code = status;
        task_struct* leader = tsk->group_leader;
        bool process_dead;
        if (thread_group_leader(tsk)) {
            // The leader stays a zombie, reapable once it is alone.
            process_dead = next_thread(tsk) == tsk;
            __atomic_store_n(&tsk->exit_state, unsigned(EXIT_ZOMBIE), __ATOMIC_RELEASE);
        } else {
            // Other threads leave the group at once and are released by
            // themselves; the last one out announces a zombie leader.
            list_del_init(&tsk->thread_group);
            // Its CPU time stays the process's (Linux's __exit_signal).
            tsk->signal->utime += tsk->utime;
            tsk->signal->stime += tsk->stime;
            tsk->signal->sum_sched_runtime += tsk->se.sum_exec_runtime;
            __atomic_store_n(&tsk->exit_state, unsigned(EXIT_DEAD), __ATOMIC_RELEASE);
            release[0] = tsk;
            process_dead = leader->exit_state == EXIT_ZOMBIE && next_thread(leader) == leader;
        }
        if (process_dead && tsk->tgid == 1)
            panic("Attempted to kill init! exitcode=0x%08x", process_exit_status(leader));
        if (process_dead && notify_process_end(leader)) release[1] = leader;
    }
    // Released here, a task's own reference goes after a grace period; ours
    // for the last switch stays until then. release_task takes each unwanted
    // zombie off `dead`.
    while (!list_empty(&dead)) release_task(list_entry(dead.next, task_struct, sibling));
    for (task_struct* p : release)
        if (p) release_task(p);
    set_current_state(TASK_DEAD);
    schedule_dead();
    __builtin_unreachable();
}

enum : unsigned {
    WNOHANG = 0x00000001,
    WUNTRACED = 0x00000002,
    WSTOPPED = WUNTRACED,
    WEXITED = 0x00000004,
    WCONTINUED = 0x00000008,
    WNOWAIT = 0x01000000,
    __WNOTHREAD = 0x20000000,
    __WALL = 0x40000000,
    __WCLONE = 0x80000000,
};
enum : int { P_ALL = 0, P_PID = 1, P_PGID = 2 };

struct wait_opts {
    int type;  // P_ALL, P_PID, P_PGID
    int pid;
    unsigned flags;
};

// What a reaped or inspected child reports.
struct wait_result {
    int pid;
    int status;   // as wait4 reports it
    int si_code;  // as waitid reports it: CLD_EXITED/KILLED/DUMPED/STOPPED/CONTINUED
    u64 utime, stime;  // its CPU time and its reaped children's (ns)
};

// The reaped child's CPU times as wait4/waitid's rusage; nonzero on a fault.
bool put_rusage(const wait_result& r, rusage __user* ru) {
    rusage u{};
    u.ru_utime = {long(r.utime / NSEC_PER_SEC), long(r.utime / NSEC_PER_USEC % USEC_PER_SEC)};
    u.ru_stime = {long(r.stime / NSEC_PER_SEC), long(r.stime / NSEC_PER_USEC % USEC_PER_SEC)};
    return copy_to_user(ru, &u, sizeof(u));
}

int exit_si_code(int status) {
    if ((status & 0x7f) == 0) return CLD_EXITED;
    return status & 0x80 ? CLD_DUMPED : CLD_KILLED;
}

// A stopped or continued child not yet reported (job control, WUNTRACED /
// WCONTINUED): the signal code's state, under its siglock. Reporting consumes
// the event unless WNOWAIT.
bool wait_task_stopped_or_continued(const wait_opts& wo, task_struct* c, wait_result* out) {
    signal_struct* sig = c->signal;
    if (!sig || !c->sighand || c->exit_state) return false;
    Guard<IrqSave> guard(c->sighand->siglock);
    if (sig->stop_reported) return false;
    if ((wo.flags & WSTOPPED) && (sig->flags & SIGNAL_STOP_STOPPED)) {
        *out = {c->pid, (sig->group_exit_status << 8) | 0x7f, CLD_STOPPED, 0};
    } else if ((wo.flags & WCONTINUED) && (sig->flags & SIGNAL_STOP_CONTINUED)) {
        *out = {c->pid, 0xffff, CLD_CONTINUED, 0};
    } else {
        return false;
    }
    if (!(wo.flags & WNOWAIT)) sig->stop_reported = true;
    return true;
}

bool eligible_child(const wait_opts& wo, const task_struct* p) {
    if (wo.type == P_PID && p->pid != wo.pid) return false;
    if (wo.type == P_PGID && task_pgrp_nr(p) != wo.pid) return false;
    // Without __WALL, __WCLONE selects the children that do not report with
    // SIGCHLD, and its absence those that do.
    if (!(wo.flags & __WALL) && ((p->exit_signal != SIGCHLD) != bool(wo.flags & __WCLONE))) return false;
    return true;
}

// One pass over the children of current's process (or of current alone with
// __WNOTHREAD): > 0 a reportable child found (claimed for reaping unless
// WNOWAIT; *out filled), 0 eligible children but none ready, -ECHILD none.
int wait_scan(const wait_opts& wo, wait_result* out, task_struct** reap) {
    task_struct* self = current;
    bool have_child = false;
    Guard<IrqSave> guard(tasklist_lock);
    for_each_thread(self, t) {
        if ((wo.flags & __WNOTHREAD) && t != self) continue;
        for (list_head* pos = t->children.next; pos != &t->children; pos = pos->next) {
            task_struct* c = list_entry(pos, task_struct, sibling);
            if (!eligible_child(wo, c)) continue;
            have_child = true;
            *reap = nullptr;
            if (wait_task_stopped_or_continued(wo, c, out)) return 1;
            if (!(wo.flags & WEXITED)) continue;
            if (__atomic_load_n(&c->exit_state, __ATOMIC_ACQUIRE) != EXIT_ZOMBIE || delay_group_leader(c)) continue;
            int status = process_exit_status(c);
            // Its threads are all gone: their time is in its signal_struct.
            const signal_struct* cs = c->signal;
            *out = {c->pid, status, exit_si_code(status), c->utime + cs->utime + cs->cutime,
                    c->stime + cs->stime + cs->cstime};
            if (!(wo.flags & WNOWAIT)) {
                c->exit_state = EXIT_DEAD;  // ours: no other waiter can claim it now
                *reap = c;
                self->signal->cutime += out->utime;  // Linux's wait_task_zombie
                self->signal->cstime += out->stime;
            }
            return 1;
        }
    }
    return have_child ? 0 : -ECHILD;
}

// Sleeps until a child is reportable (or returns 0 at once with WNOHANG);
// a signal ends the sleep (restarted after a handler with SA_RESTART).
// Children's exits, stops and continues wake the process's wait_chldexit.
int do_wait(const wait_opts& wo, wait_result* out) {
    if (!current->signal) return -ECHILD;  // kernel threads wait for no process
    wait_queue_head* wq = &current->signal->wait_chldexit;
    wait_queue_entry entry;
    init_wait_entry(&entry, 0);
    for (;;) {
        task_struct* reap = nullptr;
        prepare_to_wait(wq, &entry, TASK_INTERRUPTIBLE);
        int ret = wait_scan(wo, out, &reap);
        if (ret == 0 && !(wo.flags & WNOHANG) && signal_pending(current)) ret = -ERESTARTSYS;
        if (ret != 0 || (wo.flags & WNOHANG)) {
            finish_wait(wq, &entry);
            if (reap) release_task(reap);
            return ret;
        }
        schedule();
    }
}

}  // namespace

void do_exit(long code) {
    task_struct* tsk = current;
    if (tsk->flags & PF_IDLE) panic("Attempted to kill the idle task!");
    tsk->flags |= PF_EXITING;
    if (!(tsk->flags & PF_KTHREAD)) do_exit_process(tsk, int(code));
    tsk->exit_code = int(code);
    preempt_disable();
    set_current_state(TASK_DEAD);
    schedule_dead();
}

// Ends the whole process (Linux's do_group_exit): every other thread gets
// SIGKILL, and the process's wait status is `exit_code` (or that of a group
// exit already under way) whichever thread ends last.
void do_group_exit(int exit_code) {
    task_struct* tsk = current;
    if (signal_struct* sig = tsk->signal) {
        Guard<IrqSave> lock(tasklist_lock);
        Guard<IrqSave> guard(tsk->sighand->siglock);
        if (sig->flags & SIGNAL_GROUP_EXIT) {
            exit_code = sig->group_exit_code;
        } else if (sig->group_exec_task) {
            exit_code = 0;  // an exec is ending the other threads: only this one goes
        } else {
            sig->flags = SIGNAL_GROUP_EXIT;
            sig->group_exit_code = exit_code;
            sig->group_stop_count = 0;
            for_each_thread(tsk, t) {
                if (t == tsk) continue;
                sigaddset(&t->pending.signal, SIGKILL);
                signal_wake_up(t, true);
            }
        }
    }
    do_exit(exit_code);
}

// Killed by a signal (a fatal fault, until signal delivery exists): the wait
// status is the signal number, as for any death by signal.
void do_exit_for_signal(int sig) {
    arch_local_irq_enable();
    do_group_exit(sig & 0x7f);
}

long sys_exit(int error_code) { do_exit((error_code & 0xff) << 8); }

long sys_exit_group(int error_code) { do_group_exit((error_code & 0xff) << 8); }

long sys_wait4(int pid, int __user* stat_addr, int options, rusage __user* ru) {
    if (unsigned(options) & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)) return -EINVAL;
    if (pid == -2147483647 - 1) return -ESRCH;  // -INT_MIN overflows
    wait_opts wo{P_ALL, 0, unsigned(options) | WEXITED};
    if (pid > 0) wo = {P_PID, pid, wo.flags};
    else if (pid == 0) wo = {P_PGID, task_pgrp_nr(current), wo.flags};
    else if (pid < -1) wo = {P_PGID, -pid, wo.flags};
    wait_result r{};
    int ret = do_wait(wo, &r);
    if (ret <= 0) return ret;
    if (stat_addr && put_user(r.status, stat_addr)) return -EFAULT;
    if (ru) {
        if (put_rusage(r, ru)) return -EFAULT;
    }
    return r.pid;
}

// The fields of siginfo_t waitid writes (Linux writes just these, too).
struct waitid_info {
    int si_signo, si_errno, si_code, pad;
    int si_pid;
    unsigned si_uid;
    int si_status;
};

long sys_waitid(int which, int upid, void __user* infop, int options, rusage __user* ru) {
    wait_opts wo{which, upid, unsigned(options)};
    int ret = 0;
    if (unsigned(options) & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
        ret = -EINVAL;
    if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) ret = -EINVAL;
    if (!ret) switch (which) {
    case P_ALL: wo.pid = 0; break;
    case P_PID:
        if (upid <= 0) ret = -EINVAL;
        break;
    case P_PGID:
        if (upid < 0) ret = -EINVAL;
        if (upid == 0) wo.pid = task_pgrp_nr(current);
        break;
    default: ret = -EINVAL;  // P_PIDFD needs pidfds
    }
    wait_result r{};
    if (!ret) ret = do_wait(wo, &r);
    waitid_info info{};
    if (ret > 0) {
        int status = r.si_code == CLD_EXITED                                   ? (r.status >> 8) & 0xff
                     : r.si_code == CLD_STOPPED                                ? (r.status >> 8) & 0x7f
                     : r.si_code == CLD_CONTINUED                              ? SIGCONT
                                                                               : r.status & 0x7f;
        info = {SIGCHLD, 0, r.si_code, 0, r.pid, 0, status};
        if (ru) {
            if (put_rusage(r, ru)) return -EFAULT;
        }
    }
    // Written whatever the outcome, zeroed when there is nothing to report
    // (WNOHANG) or an error, as Linux does.
    if (infop) {
        auto* ui = static_cast<char __user*>(infop);
        if (put_user(info.si_signo, reinterpret_cast<int*>(ui)) || put_user(info.si_errno, reinterpret_cast<int*>(ui + 4)) ||
            put_user(info.si_code, reinterpret_cast<int*>(ui + 8)) || put_user(info.si_pid, reinterpret_cast<int*>(ui + 16)) ||
            put_user(info.si_uid, reinterpret_cast<unsigned*>(ui + 20)) ||
            put_user(info.si_status, reinterpret_cast<int*>(ui + 24)))
            return -EFAULT;
    }
    return ret < 0 ? ret : 0;
}
