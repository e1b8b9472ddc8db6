// Job control on terminals (Linux's drivers/tty/tty_jobctrl.c): which session
// a terminal controls and which of its process groups is in the foreground;
// background processes that read (SIGTTIN) or write with TOSTOP or change the
// settings (SIGTTOU) are stopped, or get EIO when their group is orphaned.
//
// Keel names groups and sessions by number (task_struct::pgrp/session), where
// Linux holds struct pid references.
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/tty.h>

namespace {

bool is_session_leader(const task_struct* p) { return task_session_nr(p) == p->tgid; }

// Blocked or ignored: the signal would not stop anyone.
bool is_ignored(int sig) {
    return sigismember(&current->blocked, sig) || current->sighand->action[sig - 1].sa.sa_handler == SIG_IGN;
}

// The session of process group pgrp, or of process pgrp when no group has
// that number (Linux's session_of_pgrp); -1 if neither exists. (Session 0 is
// real: init and the kernel's threads are in it.)
int session_of_pgrp(int pgrp) {
    int session = -1;
    for_each_process(p) {
        if (p->exit_state == EXIT_DEAD) continue;
        if (task_pgrp_nr(p) == pgrp) return task_session_nr(p);
        if (p->tgid == pgrp) session = task_session_nr(p);
    }
    return session;
}

void __proc_set_tty(tty_struct* tty) {
    tty->session = task_session_nr(current);
    tty->pgrp = task_pgrp_nr(current);
    current->signal->tty = tty;
}

// TIOCSCTTY: a session leader without a terminal takes this one; arg 1 lets
// a privileged caller steal it from another session.
int tiocsctty(tty_struct* tty, file* f, unsigned long arg) {
    Guard<IrqSave> guard(tasklist_lock);
    if (is_session_leader(current) && task_session_nr(current) == tty->session) return 0;
    if (!is_session_leader(current) || current->signal->tty) return -EPERM;
    if (tty->session) {
        if (arg != 1 || !capable_of(current_cred())) return -EPERM;
        session_clear_tty(tty->session);
    }
    // Write access alone does not earn a controlling terminal.
    if (!(f->f_mode & FMODE_READ) && !capable_of(current_cred())) return -EPERM;
    __proc_set_tty(tty);
    return 0;
}

// TIOCGPGRP / TIOCGSID answer only for one's own controlling terminal.
long tiocgpgrp(tty_struct* tty, int __user* p) {
    if (get_current_tty() != tty) return -ENOTTY;
    int pgrp;
    {
        Guard<IrqSave> guard(tasklist_lock);
        pgrp = tty->pgrp;
    }
    return put_user(pgrp, p);
}

long tiocgsid(tty_struct* tty, int __user* p) {
    if (get_current_tty() != tty) return -ENOTTY;
    int session;
    {
        Guard<IrqSave> guard(tasklist_lock);
        session = tty->session;
    }
    if (!session) return -ENOTTY;
    return put_user(session, p);
}

// TIOCSPGRP: the foreground group must be one of the caller's session; a
// background caller is stopped first (SIGTTOU), as for any change.
long tiocspgrp(tty_struct* tty, const int __user* p) {
    int ret = tty_check_change(tty);
    if (ret == -EIO) return -ENOTTY;
    if (ret) return ret;
    int pgrp;
    if (get_user(pgrp, p)) return -EFAULT;
    if (pgrp < 0) return -EINVAL;
    Guard<IrqSave> guard(tasklist_lock);
    if (get_current_tty() != tty || tty->session != task_session_nr(current)) return -ENOTTY;
    int session = pgrp ? session_of_pgrp(pgrp) : -1;  // no process is numbered 0
    if (session < 0) return -ESRCH;
    if (session != task_session_nr(current)) return -EPERM;
    tty->pgrp = pgrp;
    return 0;
}

// TIOCNOTTY: give up the controlling terminal (Linux's no_tty).
long tiocnotty(tty_struct* tty) {
    if (get_current_tty() != tty) return -ENOTTY;
    if (is_session_leader(current)) disassociate_ctty(0);
    proc_clear_tty(current);
    return 0;
}

}  // namespace

tty_struct* get_current_tty() { return current->signal ? current->signal->tty : nullptr; }

int __tty_check_change(tty_struct* tty, int sig) {
    if (get_current_tty() != tty) return 0;
    int tty_pgrp;
    {
        Guard<IrqSave> guard(tasklist_lock);
        tty_pgrp = tty->pgrp;
    }
    if (!tty_pgrp || tty_pgrp == task_pgrp_nr(current)) return 0;
    if (is_ignored(sig)) return sig == SIGTTIN ? -EIO : 0;
    if (current_pgrp_orphaned()) return -EIO;
    kill_pgrp(task_pgrp_nr(current), sig, true);
    return -ERESTARTSYS;
}

void tty_open_proc_set_tty(file* f, tty_struct* tty) {
    Guard<IrqSave> guard(tasklist_lock);
    if (is_session_leader(current) && !current->signal->tty && !tty->session && (f->f_mode & FMODE_READ))
        __proc_set_tty(tty);
}

void tty_signal_pgrp(tty_struct* tty, int sig) {
    int pgrp;
    {
        Guard<IrqSave> guard(tasklist_lock);
        pgrp = tty->pgrp;
    }
    if (pgrp) kill_pgrp(pgrp, sig, true);
}

void session_clear_tty(int session) {
    if (!session) return;
    for_each_process(p) if (task_session_nr(p) == session && p->signal) p->signal->tty = nullptr;
}

void proc_clear_tty(task_struct* p) {
    Guard<IrqSave> guard(tasklist_lock);
    if (p->signal) p->signal->tty = nullptr;
}

void disassociate_ctty(int on_exit) {
    if (!current->signal || !is_session_leader(current)) return;
    tty_struct* tty = get_current_tty();
    if (tty) {
        if (on_exit) {
            tty_vhangup(tty, true);
        } else {
            int pgrp;
            {
                Guard<IrqSave> guard(tasklist_lock);
                pgrp = tty->pgrp;
            }
            if (pgrp) {
                kill_pgrp(pgrp, SIGHUP, false);
                kill_pgrp(pgrp, SIGCONT, false);
            }
        }
    }
    Guard<IrqSave> guard(tasklist_lock);
    if (tty_struct* t = current->signal->tty) t->session = t->pgrp = 0;
    session_clear_tty(task_session_nr(current));
}

long tty_jobctrl_ioctl(tty_struct* tty, file* f, unsigned cmd, unsigned long arg) {
    int __user* p = reinterpret_cast<int __user*>(arg);
    switch (cmd) {
    case TIOCNOTTY:
        return tiocnotty(tty);
    case TIOCSCTTY:
        return tiocsctty(tty, f, arg);
    case TIOCGPGRP:
        return tiocgpgrp(tty, p);
    case TIOCSPGRP:
        return tiocspgrp(tty, p);
    case TIOCGSID:
        return tiocgsid(tty, p);
    }
    return -ENOIOCTLCMD;
}
