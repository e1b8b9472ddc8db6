// The terminal-settings ioctls (Linux's drivers/tty/tty_ioctl.c and the
// ioctl part of n_tty.c): termios get/set, flushing, flow control, and the
// byte counts of the input and output queues. Changing anything is a
// job-control check first: a background process gets SIGTTOU.
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/tty.h>

namespace {

// TCSETS/TCSETSW/TCSETSF: output is written synchronously, so "wait until
// sent" has nothing to wait for; TCSETSF also drops pending input.
long set_termios(tty_struct* tty, const termios __user* p, bool flush) {
    int ret = tty_check_change(tty);
    if (ret) return ret;
    termios t;
    if (copy_from_user(&t, p, sizeof(t))) return -EFAULT;
    if (flush) n_tty_flush_buffer(tty);
    tty_set_termios(tty, &t);
    return 0;
}

long tty_perform_flush(tty_struct* tty, unsigned long arg) {
    int ret = tty_check_change(tty);
    if (ret) return ret;
    switch (arg) {
    case TCIFLUSH:
    case TCIOFLUSH:
        n_tty_flush_buffer(tty);
        return 0;
    case TCOFLUSH:
        return 0;  // nothing is queued for output: writes are synchronous
    default:
        return -EINVAL;
    }
}

// Sends a flow-control character to the other end.
void send_char(tty_struct* tty, unsigned slot) {
    unsigned char c = tty->termios.c_cc[slot];
    if (c != _POSIX_VDISABLE) tty_write_out(tty, &c, 1);
}

long tty_xonc(tty_struct* tty, unsigned long arg) {
    int ret = tty_check_change(tty);
    if (ret) return ret;
    switch (arg) {
    case TCOOFF:
        n_tty_stop(tty);
        return 0;
    case TCOON:
        n_tty_start(tty);
        return 0;
    case TCIOFF:
    case TCION: {
        MutexGuard guard(&tty->ldisc_lock);
        send_char(tty, arg == TCIOFF ? VSTOP : VSTART);
        return 0;
    }
    default:
        return -EINVAL;
    }
}

}  // namespace

void tty_set_termios(tty_struct* tty, const termios* t) {
    {
        MutexGuard guard(&tty->ldisc_lock);
        termios old = tty->termios;
        tty->termios = *t;
        if (tty->ops->set_termios) tty->ops->set_termios(tty, &old);
    }
    n_tty_termios_changed(tty);
}

long tty_mode_ioctl(tty_struct* tty, file*, unsigned cmd, unsigned long arg) {
    void __user* p = reinterpret_cast<void __user*>(arg);
    switch (cmd) {
    case TCGETS: {
        mutex_lock(&tty->ldisc_lock);
        termios t = tty->termios;
        mutex_unlock(&tty->ldisc_lock);
        return copy_to_user(p, &t, sizeof(t)) ? -EFAULT : 0;
    }
    case TCSETS:
    case TCSETSW:
        return set_termios(tty, static_cast<const termios __user*>(p), false);
    case TCSETSF:
        return set_termios(tty, static_cast<const termios __user*>(p), true);
    case TCFLSH:
        return tty_perform_flush(tty, arg);
    case TCXONC:
        return tty_xonc(tty, arg);
    case FIONREAD: {
        mutex_lock(&tty->ldisc_lock);
        int n = int(n_tty_inq(&tty->ldisc));
        mutex_unlock(&tty->ldisc_lock);
        return put_user(n, static_cast<int __user*>(p));
    }
    case TIOCOUTQ: {
        int n = tty->ops->chars_in_buffer ? int(tty->ops->chars_in_buffer(tty)) : 0;
        return put_user(n, static_cast<int __user*>(p));
    }
    }
    return -ENOIOCTLCMD;
}
