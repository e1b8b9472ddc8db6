// Signals: sending, dequeuing and the default actions (Linux's kernel/signal.c).
// The system calls are in kernel/signal_syscalls.cpp; building the handler's
// frame on the user stack is arch/x86_64/kernel/signal.cpp.
//
// A signal sent to a thread goes on its own pending queue; one sent to a
// process goes on signal->shared_pending, and complete_signal picks a thread
// that does not block it to wake. Each thread dequeues from its own queue
// first, then the shared one, on its way back to user mode (get_signal).
#include <asm/irqflags.h>
#include <asm/smp.h>
#include <keel/cred.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>
#include <uapi/linux/sched.h>

namespace {

constexpr unsigned long M(int sig) { return sigmask(sig); }
// Default actions (Linux's SIG_KERNEL_*_MASK).
constexpr unsigned long SIG_KERNEL_STOP_MASK = M(SIGSTOP) | M(SIGTSTP) | M(SIGTTIN) | M(SIGTTOU);
constexpr unsigned long SIG_KERNEL_IGNORE_MASK = M(SIGCONT) | M(SIGCHLD) | M(SIGWINCH) | M(SIGURG);
constexpr unsigned long SIG_KERNEL_COREDUMP_MASK = M(SIGQUIT) | M(SIGILL) | M(SIGTRAP) | M(SIGABRT) | M(SIGFPE) |
                                                   M(SIGSEGV) | M(SIGBUS) | M(SIGSYS) | M(SIGXCPU) | M(SIGXFSZ);
// Raised by the instruction that just ran: delivered before anything else, so
// the handler sees the fault, not some unrelated earlier signal.
constexpr unsigned long SYNCHRONOUS_MASK = M(SIGSEGV) | M(SIGBUS) | M(SIGILL) | M(SIGTRAP) | M(SIGFPE) | M(SIGSYS);

bool in_mask(int sig, unsigned long mask) { return sig < SIGRTMIN && (mask & M(sig)); }
bool sig_kernel_ignore(int sig) { return in_mask(sig, SIG_KERNEL_IGNORE_MASK); }
bool sig_kernel_stop(int sig) { return in_mask(sig, SIG_KERNEL_STOP_MASK); }

void init_sigpending(sigpending* p) {
    INIT_LIST_HEAD(&p->list);
    p->signal.sig = 0;
}

// Drops every queued siginfo whose signal is in mask.
void flush_sigqueue_mask(unsigned long mask, sigpending* p) {
    if (!(p->signal.sig & mask)) return;
    p->signal.sig &= ~mask;
    for (list_head *pos = p->list.next, *n = pos->next; pos != &p->list; pos = n, n = pos->next) {
        sigqueue* q = list_entry(pos, sigqueue, list);
        if (mask & M(q->info.si_signo)) {
            list_del(&q->list);
            kfree(q);
        }
    }
}

bool single_thread(const task_struct* p) { return !p->thread_group.next || next_thread(p) == p; }

// t's handler for sig would ignore it (and it is not blocked, so it can be dropped now).
bool sig_ignored(task_struct* t, int sig) {
    if (sigismember(&t->blocked, sig) || sigismember(&t->real_blocked, sig)) return false;
    __sighandler_t h = t->sighand->action[sig - 1].sa.sa_handler;
    return h == SIG_IGN || (h == SIG_DFL && sig_kernel_ignore(sig));
}

// Stop and continue signals cancel each other on arrival, whatever the
// handler (Linux's prepare_signal). Returns false if sig is to be dropped;
// sets *continued when a stopped group was resumed (the parent hears of it).
bool prepare_signal(int sig, task_struct* p, bool* continued) {
    signal_struct* signal = p->signal;
    if (signal->flags & SIGNAL_GROUP_EXIT) return sig == SIGKILL;
    if (sig_kernel_stop(sig)) {
        flush_sigqueue_mask(M(SIGCONT), &signal->shared_pending);
        for_each_thread(p, t) {
            if (single_thread(p) && t != p) break;
            flush_sigqueue_mask(M(SIGCONT), &t->pending);
        }
    } else if (sig == SIGCONT) {
        flush_sigqueue_mask(SIG_KERNEL_STOP_MASK, &signal->shared_pending);
        for (task_struct* t = p;;) {
            flush_sigqueue_mask(SIG_KERNEL_STOP_MASK, &t->pending);
            t->jobctl &= ~JOBCTL_STOP_PENDING;
            wake_up_state(t, __TASK_STOPPED);
            if (single_thread(p) || (t = next_thread(t)) == p) break;
        }
        if (signal->flags & SIGNAL_STOP_STOPPED) {
            signal->flags = (signal->flags & ~SIGNAL_STOP_STOPPED) | SIGNAL_STOP_CONTINUED;
            signal->group_exit_status = SIGCONT;
            signal->stop_reported = false;
            *continued = true;
        }
        signal->group_stop_count = 0;
    }
    return !sig_ignored(p, sig);
}

bool wants_signal(int sig, task_struct* p) {
    if (sigismember(&p->blocked, sig)) return false;
    if (p->flags & PF_EXITING) return false;
    if (sig == SIGKILL) return true;
    if (p->__state.load(memory_order::relaxed) & __TASK_STOPPED) return false;
    return p == current || !signal_pending(p);
}

// Picks the thread to wake for a signal just queued; a fatal one takes the whole group down.
void complete_signal(int sig, task_struct* p, bool group) {
    signal_struct* signal = p->signal;
    task_struct* t = p;
    if (group && !wants_signal(sig, p)) {
        if (single_thread(p)) return;  // it stays pending until p unblocks it
        for (t = next_thread(p); t != p && !wants_signal(sig, t); t = next_thread(t)) {}
        if (t == p) return;
    }
    __sighandler_t h = p->sighand->action[sig - 1].sa.sa_handler;
    bool fatal = sig == SIGKILL || (h == SIG_DFL && !sig_kernel_ignore(sig) && !sig_kernel_stop(sig) &&
                                    !sigismember(&t->real_blocked, sig));
    if (fatal && group && !(signal->flags & SIGNAL_GROUP_EXIT)) {
        // Every thread dies with it: each gets SIGKILL to act on at once.
        signal->flags = SIGNAL_GROUP_EXIT;
        signal->group_exit_code = sig;
        signal->group_stop_count = 0;
        for (task_struct* u = p;;) {
            u->jobctl &= ~JOBCTL_STOP_PENDING;
            sigaddset(&u->pending.signal, SIGKILL);
            signal_wake_up(u, true);
            if (single_thread(p) || (u = next_thread(u)) == p) break;
        }
        return;
    }
    signal_wake_up(t, sig == SIGKILL);
}

int send_signal_locked(int sig, kernel_siginfo* info, task_struct* t, bool group, bool* continued) {
    if (!prepare_signal(sig, t, continued)) return 0;
    sigpending* pending = group ? &t->signal->shared_pending : &t->pending;
    // Standard signals do not queue: a second one while pending is lost.
    if (sig < SIGRTMIN && sigismember(&pending->signal, sig)) return 0;
    auto* q = static_cast<sigqueue*>(kzalloc(sizeof(sigqueue), GFP_ATOMIC));
    if (q) {
        if (info == SEND_SIG_NOINFO) {
            q->info.si_code = SI_USER;
            q->info.fields.kill.pid = task_tgid_nr(current);
            q->info.fields.kill.uid = current_cred()->uid;
        } else if (info == SEND_SIG_PRIV) {
            q->info.si_code = SI_KERNEL;
        } else {
            q->info = *info;
        }
        q->info.si_signo = sig;
        list_add_tail(&q->list, &pending->list);
    } else if (sig >= SIGRTMIN && info != SEND_SIG_NOINFO && info != SEND_SIG_PRIV && info->si_code != SI_USER) {
        return -EAGAIN;  // a queued real-time signal must carry its value
    }
    sigaddset(&pending->signal, sig);
    complete_signal(sig, t, group);
    return 0;
}

// Linux's kill_ok_by_cred: root, or the same real or saved user as the sender's.
bool kill_permitted(int sig, kernel_siginfo* info, task_struct* t) {
    if (info == SEND_SIG_PRIV || (info != SEND_SIG_NOINFO && info->si_code == SI_KERNEL)) return true;
    const cred* me = current_cred();
    const cred* them = t->cred ? t->cred : &init_cred;
    if (me->euid == 0) return true;
    if (me->euid == them->suid || me->euid == them->uid || me->uid == them->suid || me->uid == them->uid)
        return true;
    return sig == SIGCONT && t->session == current->session;
}

// The next signal to act on among pending & ~blocked: faults first, then the lowest number.
int next_signal(sigpending* pending, const sigset_t* mask) {
    unsigned long x = pending->signal.sig & ~mask->sig;
    if (!x) return 0;
    if (x & SYNCHRONOUS_MASK) x &= SYNCHRONOUS_MASK;
    return __builtin_ctzl(x) + 1;
}

void collect_signal(int sig, sigpending* list, kernel_siginfo* info) {
    sigqueue* first = nullptr;
    bool more = false;
    for (list_head* pos = list->list.next; pos != &list->list; pos = pos->next) {
        sigqueue* q = list_entry(pos, sigqueue, list);
        if (q->info.si_signo != sig) continue;
        if (first) {
            more = true;
            break;
        }
        first = q;
    }
    if (!more) sigdelset(&list->signal, sig);
    if (first) {
        list_del(&first->list);
        *info = first->info;
        kfree(first);
    } else {
        // Queued without a siginfo (no memory when it was sent): Linux reports SI_USER.
        memset(info, 0, sizeof(*info));
        info->si_signo = sig;
        info->si_code = SI_USER;
    }
}

int __dequeue_signal(sigpending* pending, const sigset_t* mask, kernel_siginfo* info) {
    int sig = next_signal(pending, mask);
    if (sig) collect_signal(sig, pending, info);
    return sig;
}

bool has_pending_signals(const sigset_t* signal, const sigset_t* blocked) {
    return signal->sig & ~blocked->sig;
}

// Under siglock: current joins the group stop (Linux's do_signal_stop) and is
// TASK_STOPPED once the lock is dropped and it schedules. Returns true for
// the thread that completes the stop: it tells the parent.
bool signal_stop_locked(int signr) {
    task_struct* self = current;
    signal_struct* signal = self->signal;
    if (!(self->jobctl & JOBCTL_STOP_PENDING)) {
        // The first thread to see the stop signal starts the group stop.
        signal->group_exit_status = signr;
        signal->group_stop_count = 0;
        for (task_struct* t = self;;) {
            if (!(t->flags & PF_EXITING)) {
                t->jobctl |= JOBCTL_STOP_PENDING;
                signal->group_stop_count++;
                if (t != self) signal_wake_up(t, false);
            }
            if (single_thread(self) || (t = next_thread(t)) == self) break;
        }
    }
    self->jobctl &= ~JOBCTL_STOP_PENDING;
    bool last = --signal->group_stop_count <= 0;
    if (last) {
        signal->flags = (signal->flags & ~SIGNAL_STOP_CONTINUED) | SIGNAL_STOP_STOPPED;
        signal->stop_reported = false;
    }
    set_current_state(__TASK_STOPPED);
    return last;
}

// The wait status a signal leaves: Linux sets the core bit (0x80) only when a
// core file was written, and Keel writes none, so it is the bare number.
int death_status(int sig) { return sig; }

}  // namespace

// No process of current's group has a parent in another group of the same
// session (Linux's is_current_pgrp_orphaned; init does not count as such a
// parent): nobody is left to continue the group if it stopped.
bool current_pgrp_orphaned() {
    int pgrp = task_pgrp_nr(current), session = task_session_nr(current);
    Guard<IrqSave> guard(tasklist_lock);
    for_each_process(p) {
        if (task_pgrp_nr(p) != pgrp || p->exit_state) continue;
        task_struct* parent = p->real_parent;
        if (!parent || parent->pid == 1) continue;
        if (task_pgrp_nr(parent) != pgrp && task_session_nr(parent) == session) return false;
    }
    return true;
}

// Linux's kill_pgrp: sig to every process of process group pgrp, as the
// kernel (priv) or as current (SI_USER, permission checked).
int kill_pgrp(int pgrp, int sig, bool priv) {
    if (pgrp <= 0) return -ESRCH;
    int ret = -ESRCH;
    Guard<IrqSave> guard(tasklist_lock);
    for_each_process(p) {
        if (!p->sighand || p->exit_state || task_pgrp_nr(p) != pgrp) continue;
        int err = group_send_sig_info(sig, priv ? SEND_SIG_PRIV : SEND_SIG_NOINFO, p);
        if (ret) ret = err;
    }
    return ret;
}

void signal_wake_up(task_struct* t, bool fatal) {
    t->thread_flags.fetch_or(1ul << TIF_SIGPENDING, memory_order::seq_cst);
    // A fatal signal also ends a job-control stop (Linux's TASK_WAKEKILL).
    unsigned state = TASK_INTERRUPTIBLE | (fatal ? unsigned(__TASK_STOPPED) : 0u);
    // Running in user mode on another CPU: an interrupt sends it through the
    // exit-to-user path, where the signal is seen (Linux's kick_process).
    if (!wake_up_state(t, state) && t != current && t->on_cpu) smp_send_reschedule(t->cpu);
}

namespace {
void recalc_sigpending_tsk(task_struct* t) {
    if ((t->jobctl & JOBCTL_STOP_PENDING) || has_pending_signals(&t->pending.signal, &t->blocked) ||
        has_pending_signals(&t->signal->shared_pending.signal, &t->blocked))
        t->thread_flags.fetch_or(1ul << TIF_SIGPENDING, memory_order::relaxed);
    else if (t == current)
        t->thread_flags.fetch_and(~(1ul << TIF_SIGPENDING), memory_order::relaxed);
}

}  // namespace

void recalc_sigpending() {
    if (current->sighand) recalc_sigpending_tsk(current);
}

int dequeue_signal(task_struct* tsk, const sigset_t* mask, kernel_siginfo* info) {
    int sig = __dequeue_signal(&tsk->pending, mask, info);
    if (!sig) sig = __dequeue_signal(&tsk->signal->shared_pending, mask, info);
    recalc_sigpending_tsk(tsk);
    return sig;
}

int do_send_sig_info(int sig, kernel_siginfo* info, task_struct* p, bool group) {
    if (!p->sighand || !p->signal) return 0;  // kernel threads take no signals
    bool continued = false;
    int ret;
    {
        Guard<IrqSave> guard(p->sighand->siglock);
        ret = send_signal_locked(sig, info, p, group, &continued);
    }
    if (continued) do_notify_parent_cldstop(p, CLD_CONTINUED);
    return ret;
}

int send_sig_info(int sig, kernel_siginfo* info, task_struct* p) {
    if (!valid_signal(sig)) return -EINVAL;
    return do_send_sig_info(sig, info, p, false);
}

int group_send_sig_info(int sig, kernel_siginfo* info, task_struct* p) {
    if (!valid_signal(sig)) return -EINVAL;
    if (!kill_permitted(sig, info, p)) return -EPERM;
    if (!sig) return 0;  // only the existence and permission check
    return do_send_sig_info(sig, info, p, true);
}


// Looks up a process (pid = its leader's id) and holds a reference.
task_struct* signal_find_task(int pid, bool thread, bool zombies) {
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) {
        task_struct* p = list_entry(pos, task_struct, tasks);
        if (p->pid != pid || (p->exit_state && !(zombies && p->exit_state == EXIT_ZOMBIE))) continue;
        if (!thread && p->group_leader && p->group_leader != p) continue;
        get_task_struct(p);
        return p;
    }
    return nullptr;
}

int kill_pid_info(int sig, kernel_siginfo* info, int pid) {
    task_struct* p = signal_find_task(pid, false);
    if (!p) return -ESRCH;
    int ret = group_send_sig_info(sig, info, p);
    put_task_struct(p);
    return ret;
}

// Faults: the signal must reach the handler (or kill), so a blocked or ignored
// one is unblocked and reset to the default first (Linux's force_sig_info_to_task).
namespace {
int force_sig_info(kernel_siginfo* info) {
    task_struct* t = current;
    int sig = info->si_signo;
    bool continued = false;
    Guard<IrqSave> guard(t->sighand->siglock);
    k_sigaction* action = &t->sighand->action[sig - 1];
    bool blocked = sigismember(&t->blocked, sig);
    if (action->sa.sa_handler == SIG_IGN || blocked) {
        action->sa.sa_handler = SIG_DFL;
        if (blocked) sigdelset(&t->blocked, sig);
    }
    return send_signal_locked(sig, info, t, false, &continued);
}

}  // namespace

int force_sig_fault(int sig, int code, void __user* addr) {
    kernel_siginfo info{};
    info.si_signo = sig;
    info.si_code = code;
    info.fields.sigfault.addr = addr;
    return force_sig_info(&info);
}

void force_sig(int sig) {
    kernel_siginfo info{};
    info.si_signo = sig;
    info.si_code = SI_KERNEL;
    force_sig_info(&info);
}

void force_sigsegv(int sig) {
    // A handler whose frame could not be built: SIGSEGV, and if SIGSEGV itself failed, the default.
    if (sig == SIGSEGV) {
        Guard<IrqSave> guard(current->sighand->siglock);
        current->sighand->action[SIGSEGV - 1].sa.sa_handler = SIG_DFL;
    }
    force_sig(SIGSEGV);
}

bool unhandled_signal(int sig) {
    task_struct* t = current;
    if (!t->sighand) return true;
    Guard<IrqSave> guard(t->sighand->siglock);
    __sighandler_t h = t->sighand->action[sig - 1].sa.sa_handler;
    return h == SIG_DFL || h == SIG_IGN || sigismember(&t->blocked, sig);
}

bool get_signal(ksignal* ksig) {
    task_struct* self = current;
    sighand_struct* sighand = self->sighand;
    if (!sighand) return false;
    for (;;) {
        bool stopping = false, stop_last = false;
        int exit_sig = 0, orphan_check = 0;
        {
            Guard<IrqSave> guard(sighand->siglock);
            if (self->jobctl & JOBCTL_STOP_PENDING) {
                stopping = true;
                stop_last = signal_stop_locked(self->signal->group_exit_status);
            } else {
                int signr = dequeue_signal(self, &self->blocked, &ksig->info);
                if (!signr) return false;
                k_sigaction* ka = &sighand->action[signr - 1];
                if (ka->sa.sa_handler == SIG_IGN) continue;
                if (ka->sa.sa_handler != SIG_DFL) {
                    ksig->ka = *ka;
                    ksig->sig = signr;
                    if (ka->sa.sa_flags & SA_RESETHAND) ka->sa.sa_handler = SIG_DFL;
                    return true;
                }
                if (sig_kernel_ignore(signr)) continue;
                if (sig_kernel_stop(signr)) {
                    // The terminal's stop signals leave an orphaned process
                    // group running (no shell is left to continue it);
                    // finding out takes tasklist_lock, outside siglock.
                    if (signr != SIGSTOP) orphan_check = signr;
                    else stopping = true, stop_last = signal_stop_locked(signr);
                } else {
                    // Everything else ends the whole process (a group exit
                    // already under way keeps its status).
                    exit_sig = signr;
                }
            }
        }
        if (orphan_check) {
            if (current_pgrp_orphaned()) continue;
            Guard<IrqSave> guard(sighand->siglock);
            stopping = true;
            stop_last = signal_stop_locked(orphan_check);
        }
        if (stopping) {
            if (stop_last) do_notify_parent_cldstop(self, CLD_STOPPED);
            schedule();
            continue;
        }
        arch_local_irq_enable();
        do_group_exit(death_status(exit_sig));
    }
}

// Handlers go back to the default; ignored stays ignored (POSIX exec).
int flush_signal_handlers(task_struct* tsk) {
    if (!tsk->sighand) {
        // A kernel thread becoming the first process (init) gets its own.
        if (int err = copy_sighand(0, tsk)) return err;
        if (int err = copy_signal(0, tsk)) return err;
    }
    Guard<IrqSave> guard(tsk->sighand->siglock);
    for (k_sigaction& ka : tsk->sighand->action) {
        if (ka.sa.sa_handler != SIG_IGN) ka.sa.sa_handler = SIG_DFL;
        ka.sa.sa_flags = 0;
        ka.sa.sa_restorer = nullptr;
        ka.sa.sa_mask = 0;
    }
    tsk->sas_ss_sp = tsk->sas_ss_size = 0;
    tsk->sas_ss_flags = 0;
    return 0;
}

int copy_sighand(unsigned long clone_flags, task_struct* tsk) {
    sighand_struct* parent = current->sighand;
    if ((clone_flags & CLONE_SIGHAND) && parent) {
        parent->count.fetch_add(1, memory_order::relaxed);
        tsk->sighand = parent;
        return 0;
    }
    auto* sh = static_cast<sighand_struct*>(kzalloc(sizeof(sighand_struct), GFP_KERNEL));
    if (!sh) return -ENOMEM;
    new (sh) sighand_struct;
    if (parent && parent != sh) {
        Guard<IrqSave> guard(parent->siglock);
        memcpy(sh->action, parent->action, sizeof(sh->action));
    }
    tsk->sighand = sh;
    return 0;
}

int copy_signal(unsigned long clone_flags, task_struct* tsk) {
    init_sigpending(&tsk->pending);
    if ((clone_flags & CLONE_THREAD) && current->signal) {
        current->signal->sigcnt.fetch_add(1, memory_order::relaxed);
        tsk->signal = current->signal;
        return 0;
    }
    auto* sig = static_cast<signal_struct*>(kzalloc(sizeof(signal_struct), GFP_KERNEL));
    if (!sig) return -ENOMEM;
    new (sig) signal_struct;
    init_sigpending(&sig->shared_pending);
    init_itimer_real(sig);
    // Limits are inherited (fork); the first process starts from Linux's defaults.
    if (signal_struct* parent = current->signal) {
        Guard<IrqSave> guard(current->sighand->siglock);
        memcpy(sig->rlim, parent->rlim, sizeof(sig->rlim));
        sig->tty = parent->tty;
    } else {
        init_rlimits(sig->rlim);
    }
    sig->leader = tsk;
    tsk->signal = sig;
    return 0;
}

void copy_signal_task_state(task_struct* child) {
    // The mask and the alternate stack are inherited; nothing pending is (POSIX fork).
    child->blocked = current->blocked;
    child->real_blocked.sig = 0;
    child->restore_sigmask = false;
    child->jobctl = 0;
    init_sigpending(&child->pending);
    child->thread_flags.fetch_and(~(1ul << TIF_SIGPENDING), memory_order::relaxed);
}

void release_task_signals(task_struct* tsk) {
    if (sighand_struct* sh = tsk->sighand) {
        tsk->sighand = nullptr;
        if (sh->count.fetch_sub(1, memory_order::acq_rel) == 1) kfree(sh);
    }
    if (signal_struct* sig = tsk->signal) {
        flush_sigqueue_mask(~0ul, &tsk->pending);
        tsk->signal = nullptr;
        // The alarm is the process's, but it is addressed to the leader.
        if (sig->leader == tsk) sig->leader = nullptr;
        if (sig->sigcnt.fetch_sub(1, memory_order::acq_rel) == 1) {
            exit_itimers(sig);
            flush_sigqueue_mask(~0ul, &sig->shared_pending);
            kfree(sig);
        }
    }
}

void exit_signals(task_struct* tsk) {
    if (!tsk->sighand) return;
    Guard<IrqSave> guard(tsk->sighand->siglock);
    tsk->flags |= PF_EXITING;
    // A group stop waiting for this thread no longer has to.
    if (tsk->jobctl & JOBCTL_STOP_PENDING) {
        tsk->jobctl &= ~JOBCTL_STOP_PENDING;
        tsk->signal->group_stop_count--;
    }
}

bool do_notify_parent(task_struct* tsk, int sig) {
    task_struct* parent = tsk->parent;
    if (!parent) return false;
    int status = tsk->exit_code;
    kernel_siginfo info{};
    info.si_signo = sig;
    info.fields.sigchld.pid = tsk->tgid;
    info.fields.sigchld.uid = tsk->cred ? tsk->cred->uid : 0;
    info.fields.sigchld.utime = long(tsk->se.sum_exec_runtime / 10000000);  // clock ticks (USER_HZ 100)
    if ((status & 0x7f) == 0) {
        info.si_code = CLD_EXITED;
        info.fields.sigchld.status = (status >> 8) & 0xff;
    } else {
        info.si_code = status & 0x80 ? CLD_DUMPED : CLD_KILLED;
        info.fields.sigchld.status = status & 0x7f;
    }
    bool autoreap = false;
    if (parent->sighand) {
        Guard<IrqSave> guard(parent->sighand->siglock);
        k_sigaction* ka = &parent->sighand->action[SIGCHLD - 1];
        // A parent ignoring SIGCHLD, or asking SA_NOCLDWAIT, leaves no zombies.
        if (sig == SIGCHLD && (ka->sa.sa_handler == SIG_IGN || (ka->sa.sa_flags & SA_NOCLDWAIT))) {
            autoreap = true;
            if (ka->sa.sa_handler == SIG_IGN) sig = 0;
        }
    }
    if (valid_signal(sig) && sig) do_send_sig_info(sig, &info, parent, true);
    if (parent->signal) wake_up_all(&parent->signal->wait_chldexit);
    return autoreap;
}

void do_notify_parent_cldstop(task_struct* tsk, int why) {
    task_struct* leader = tsk->group_leader ? tsk->group_leader : tsk;
    task_struct* parent = leader->parent;
    if (!parent || !parent->sighand) return;
    kernel_siginfo info{};
    info.si_signo = SIGCHLD;
    info.si_code = why;
    info.fields.sigchld.pid = leader->tgid;
    info.fields.sigchld.uid = leader->cred ? leader->cred->uid : 0;
    info.fields.sigchld.status = why == CLD_CONTINUED ? SIGCONT : tsk->signal->group_exit_status;
    bool send;
    {
        Guard<IrqSave> guard(parent->sighand->siglock);
        k_sigaction* ka = &parent->sighand->action[SIGCHLD - 1];
        send = ka->sa.sa_handler != SIG_IGN && !(ka->sa.sa_flags & SA_NOCLDSTOP);
    }
    if (send) do_send_sig_info(SIGCHLD, &info, parent, true);
    if (parent->signal) wake_up_all(&parent->signal->wait_chldexit);
}
