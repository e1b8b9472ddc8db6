// The signal system calls (the SYSCALL_DEFINEs of Linux's kernel/signal.c):
// actions, masks, waiting for signals, the alternate stack, and sending.
// Errors come in Linux's order: sigsetsize, then copying in (EFAULT), then the
// arguments' values (EINVAL), then the target (ESRCH, EPERM).
#include <asm/syscall.h>
#include <keel/cred.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <mm/slab.h>
#include <uapi/linux/time_types.h>

namespace {

// The sa_flags bits x86-64 knows; the others are dropped, so a program can
// test for a flag by reading the action back (Linux's UAPI_SA_FLAGS).
constexpr unsigned long UAPI_SA_FLAGS = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART |
                                        SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER;

// sig is handled by default as "ignore" or set to SIG_IGN.
bool sig_handler_ignored(const k_sigaction& ka, int sig) {
    constexpr unsigned long ignore = sigmask(SIGCONT) | sigmask(SIGCHLD) | sigmask(SIGWINCH) | sigmask(SIGURG);
    return ka.sa.sa_handler == SIG_IGN || (ka.sa.sa_handler == SIG_DFL && sig < SIGRTMIN && (ignore & sigmask(sig)));
}

void flush_pending(task_struct* p, int sig) {
    auto flush = [sig](sigpending* pending) {
        if (!sigismember(&pending->signal, sig)) return;
        sigdelset(&pending->signal, sig);
        for (list_head *pos = pending->list.next, *n = pos->next; pos != &pending->list; pos = n, n = pos->next) {
            sigqueue* q = list_entry(pos, sigqueue, list);
            if (q->info.si_signo == sig) {
                list_del(&q->list);
                kfree(q);
            }
        }
    };
    flush(&p->signal->shared_pending);
    for (task_struct* t = p;;) {
        flush(&t->pending);
        if (!t->thread_group.next || (t = next_thread(t)) == p) break;
    }
}

int do_sigaction(int sig, k_sigaction* act, k_sigaction* oact) {
    if (!valid_signal(sig) || sig < 1 || (act && (SIG_KERNEL_ONLY_MASK & sigmask(sig)))) return -EINVAL;
    task_struct* self = current;
    Guard<IrqSave> guard(self->sighand->siglock);
    k_sigaction* k = &self->sighand->action[sig - 1];
    if (oact) {
        *oact = *k;
        oact->sa.sa_flags &= UAPI_SA_FLAGS;
    }
    if (act) {
        act->sa.sa_flags &= UAPI_SA_FLAGS;
        act->sa.sa_mask &= ~SIG_KERNEL_ONLY_MASK;
        *k = *act;
        // POSIX: setting a pending signal to be ignored discards it, in every thread.
        if (sig_handler_ignored(*k, sig)) flush_pending(self, sig);
    }
    return 0;
}

void set_current_blocked(sigset_t newset) {
    newset.sig &= ~SIG_KERNEL_ONLY_MASK;
    Guard<IrqSave> guard(current->sighand->siglock);
    current->blocked = newset;
    recalc_sigpending();
}

// Sleeps until a signal is pending (pause, rt_sigsuspend).
void sleep_until_signal() {
    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (signal_pending(current)) break;
        schedule();
    }
    __set_current_state(TASK_RUNNING);
}

kernel_siginfo user_info(int sig, int code) {
    kernel_siginfo info{};
    info.si_signo = sig;
    info.si_code = code;
    info.fields.kill.pid = task_tgid_nr(current);
    info.fields.kill.uid = current_cred()->uid;
    return info;
}

// kill(pid <= 0): every process of a process group, or all that may be signalled.
int kill_many(int sig, kernel_siginfo* info, int pid) {
    int count = 0, ret = 0;
    int pgrp = pid == 0 ? task_pgrp_nr(current) : -pid;
    Guard<IrqSave> guard(tasklist_lock);
    for_each_process(p) {
        if (p->flags & PF_KTHREAD || p->exit_state) continue;
        if (pid == -1) {
            // Everyone but init and the caller's own process.
            if (p->tgid <= 1 || p->tgid == current->tgid) continue;
        } else if (task_pgrp_nr(p) != pgrp) {
            continue;
        }
        int err = group_send_sig_info(sig, info, p);
        count++;
        if (err != -EPERM) ret = err;
        else if (!ret) ret = err;
    }
    return count ? ret : -ESRCH;
}

// tkill/tgkill/rt_tgsigqueueinfo: one thread, optionally checked to belong to tgid.
int do_send_specific(int tgid, int pid, int sig, kernel_siginfo* info) {
    task_struct* p = signal_find_task(pid, true);
    if (!p) return -ESRCH;
    int ret = -ESRCH;
    if (tgid <= 0 || p->tgid == tgid) {
        ret = valid_signal(sig) ? 0 : -EINVAL;
        if (!ret) {
            // The permission check is the process's (group_send_sig_info with
            // sig 0), the delivery the thread's.
            ret = group_send_sig_info(0, info, p);
            if (!ret && sig) ret = do_send_sig_info(sig, info, p, false);
        }
    }
    put_task_struct(p);
    return ret;
}

bool on_sig_stack(unsigned long sp) {
    task_struct* t = current;
    if (t->sas_ss_flags & SS_AUTODISARM) return false;
    return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

}  // namespace

long sys_rt_sigaction(int sig, const sigaction __user* act, sigaction __user* oact, size_t sigsetsize) {
    if (sigsetsize != sizeof(sigset_t)) return -EINVAL;
    k_sigaction new_ka{}, old_ka{};
    if (act && copy_from_user(&new_ka.sa, act, sizeof(new_ka.sa))) return -EFAULT;
    if (int err = do_sigaction(sig, act ? &new_ka : nullptr, oact ? &old_ka : nullptr)) return err;
    if (oact && copy_to_user(oact, &old_ka.sa, sizeof(old_ka.sa))) return -EFAULT;
    return 0;
}

long sys_rt_sigprocmask(int how, const sigset_t __user* nset, sigset_t __user* oset, size_t sigsetsize) {
    if (sigsetsize != sizeof(sigset_t)) return -EINVAL;
    sigset_t old = current->blocked;
    if (nset) {
        sigset_t set;
        if (copy_from_user(&set, nset, sizeof(set))) return -EFAULT;
        sigset_t next = old;
        switch (how) {
        case SIG_BLOCK: next.sig |= set.sig; break;
        case SIG_UNBLOCK: next.sig &= ~set.sig; break;
        case SIG_SETMASK: next = set; break;
        default: return -EINVAL;
        }
        set_current_blocked(next);
    }
    if (oset && copy_to_user(oset, &old, sizeof(old))) return -EFAULT;
    return 0;
}

long sys_rt_sigpending(sigset_t __user* uset, size_t sigsetsize) {
    if (sigsetsize > sizeof(sigset_t)) return -EINVAL;
    sigset_t pending;
    {
        Guard<IrqSave> guard(current->sighand->siglock);
        pending.sig = (current->pending.signal.sig | current->signal->shared_pending.signal.sig) & current->blocked.sig;
    }
    return copy_to_user(uset, &pending, sigsetsize) ? -EFAULT : 0;
}

long sys_rt_sigsuspend(const sigset_t __user* unewset, size_t sigsetsize) {
    if (sigsetsize != sizeof(sigset_t)) return -EINVAL;
    sigset_t newset;
    if (copy_from_user(&newset, unewset, sizeof(newset))) return -EFAULT;
    // The old mask comes back when the handler returns (it is the frame's
    // uc_sigmask), or at once if no handler runs.
    current->saved_sigmask = current->blocked;
    current->restore_sigmask = true;
    set_current_blocked(newset);
    sleep_until_signal();
    return -ERESTARTNOHAND;
}

long sys_pause() {
    sleep_until_signal();
    return -ERESTARTNOHAND;
}

long sys_rt_sigtimedwait(const sigset_t __user* uthese, kernel_siginfo __user* uinfo,
                         const __kernel_timespec __user* uts, size_t sigsetsize) {
    if (sigsetsize != sizeof(sigset_t)) return -EINVAL;
    sigset_t these;
    if (copy_from_user(&these, uthese, sizeof(these))) return -EFAULT;
    ktime_t timeout = KTIME_MAX;
    if (uts) {
        __kernel_timespec ts;
        if (copy_from_user(&ts, uts, sizeof(ts))) return -EFAULT;
        timespec64 t{ts.tv_sec, ts.tv_nsec};
        if (!timespec64_valid(t)) return -EINVAL;
        timeout = timespec64_to_ktime(t);
    }
    // SIGKILL and SIGSTOP are never waited for: they keep their effect.
    these.sig &= ~SIG_KERNEL_ONLY_MASK;
    sigset_t mask{~these.sig};
    task_struct* self = current;
    kernel_siginfo info{};
    int sig;
    {
        Guard<IrqSave> guard(self->sighand->siglock);
        sig = dequeue_signal(self, &mask, &info);
        if (!sig && timeout) {
            // Unblock the awaited signals while asleep so that sending them wakes us.
            self->real_blocked = self->blocked;
            self->blocked.sig &= mask.sig;
            recalc_sigpending();
        }
    }
    if (!sig && timeout) {
        ktime_t expires = timeout == KTIME_MAX ? KTIME_MAX : ktime_get() + timeout;
        set_current_state(TASK_INTERRUPTIBLE);
        if (!signal_pending(self)) {
            if (expires == KTIME_MAX) schedule();
            else schedule_hrtimeout(&expires, HRTIMER_MODE_ABS);
        }
        __set_current_state(TASK_RUNNING);
        Guard<IrqSave> guard(self->sighand->siglock);
        self->blocked = self->real_blocked;
        self->real_blocked.sig = 0;
        sig = dequeue_signal(self, &mask, &info);
        if (!sig) timeout = ktime_get() < expires ? 1 : 0;
    }
    if (!sig) return timeout ? -EINTR : -EAGAIN;
    if (uinfo && copy_to_user(uinfo, &info, sizeof(info))) return -EFAULT;
    return sig;
}

long sys_sigaltstack(const stack_t __user* uss, stack_t __user* uoss) {
    task_struct* t = current;
    unsigned long sp = task_pt_regs(t)->sp;
    stack_t old{};
    old.ss_sp = reinterpret_cast<void*>(t->sas_ss_sp);
    old.ss_size = t->sas_ss_size;
    old.ss_flags = int((on_sig_stack(sp) ? SS_ONSTACK : t->sas_ss_size ? 0 : SS_DISABLE) | t->sas_ss_flags);
    if (uss) {
        stack_t ss;
        if (copy_from_user(&ss, uss, sizeof(ss))) return -EFAULT;
        if (on_sig_stack(sp)) return -EPERM;
        unsigned mode = unsigned(ss.ss_flags) & ~SS_AUTODISARM;
        if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) return -EINVAL;
        if (mode == SS_DISABLE) {
            ss.ss_size = 0;
            ss.ss_sp = nullptr;
        } else if (ss.ss_size < MINSIGSTKSZ) {
            return -ENOMEM;
        }
        t->sas_ss_sp = reinterpret_cast<unsigned long>(ss.ss_sp);
        t->sas_ss_size = ss.ss_size;
        t->sas_ss_flags = unsigned(ss.ss_flags) & SS_AUTODISARM;
    }
    if (uoss && copy_to_user(uoss, &old, sizeof(old))) return -EFAULT;
    return 0;
}

long sys_kill(int pid, int sig) {
    kernel_siginfo info = user_info(sig, SI_USER);
    if (pid > 0) return kill_pid_info(sig, &info, pid);
    // INT_MIN cannot be negated into a process group id.
    if (pid == int(0x80000000)) return -ESRCH;
    if (!valid_signal(sig)) return -EINVAL;
    return kill_many(sig, &info, pid);
}

long sys_tkill(int pid, int sig) {
    if (pid <= 0) return -EINVAL;
    kernel_siginfo info = user_info(sig, SI_TKILL);
    return do_send_specific(0, pid, sig, &info);
}

long sys_tgkill(int tgid, int pid, int sig) {
    if (pid <= 0 || tgid <= 0) return -EINVAL;
    kernel_siginfo info = user_info(sig, SI_TKILL);
    return do_send_specific(tgid, pid, sig, &info);
}

long sys_rt_sigqueueinfo(int pid, int sig, kernel_siginfo __user* uinfo) {
    kernel_siginfo info;
    if (copy_from_user(&info, uinfo, sizeof(info))) return -EFAULT;
    // Nobody may forge a kernel- or kill()-originated siginfo for another process.
    if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != task_tgid_nr(current)) return -EPERM;
    info.si_signo = sig;
    return kill_pid_info(sig, &info, pid);
}

long sys_rt_tgsigqueueinfo(int tgid, int pid, int sig, kernel_siginfo __user* uinfo) {
    if (pid <= 0 || tgid <= 0) return -EINVAL;
    kernel_siginfo info;
    if (copy_from_user(&info, uinfo, sizeof(info))) return -EFAULT;
    if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->pid) return -EPERM;
    info.si_signo = sig;
    return do_send_specific(tgid, pid, sig, &info);
}

long sys_restart_syscall() {
    restart_block* rb = &current->restart_block;
    return rb->fn ? rb->fn(rb) : -EINTR;
}
