// The TTY layer's file side (Linux's drivers/tty/tty_io.c): drivers register
// their devices here, open(2) finds the tty behind a device number (with the
// aliases /dev/tty for the caller's controlling terminal, /dev/console for
// the console's terminal and /dev/tty0 for the foreground virtual terminal),
// and read, write, poll and ioctl go to the line discipline, the job-control
// code or the driver. A hangup turns the terminal's files into dead ends
// (hung_up_tty_fops) so a new session can take the terminal over.
#include <keel/console.h>
#include <keel/init.h>
#include <keel/poll.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/tty.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/signal.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

constexpr unsigned TTY_MAJOR = 4, TTYAUX_MAJOR = 5;

// Opens and closes (tty->count, tty->tty_files) and the driver list.
mutex tty_mutex{"tty_mutex"};
constexpr unsigned MAX_TTY_DRIVERS = 4;
tty_driver* tty_drivers[MAX_TTY_DRIVERS];

tty_struct* tty_lookup(dev_t device) {
    for (tty_driver* d : tty_drivers) {
        if (!d || MAJOR(device) != d->major) continue;
        unsigned minor = MINOR(device);
        if (minor >= d->minor_start && minor < d->minor_start + d->num) return d->ttys[minor - d->minor_start];
    }
    return nullptr;
}

tty_file_private* file_priv(file* f) { return static_cast<tty_file_private*>(f->private_data); }

ssize_t tty_read(kiocb* iocb, iov_iter* to) {
    file* f = iocb->ki_filp;
    return n_tty_read(file_tty(f), f, to);
}

ssize_t tty_write(kiocb* iocb, iov_iter* from) {
    file* f = iocb->ki_filp;
    return n_tty_write(file_tty(f), f, from);
}

__poll_t tty_poll(file* f, poll_table* wait) { return n_tty_poll(file_tty(f), f, wait); }

// TIOCSWINSZ: a new size is signalled to the foreground group (Linux's tiocswinsz).
int tiocswinsz(tty_struct* tty, winsize __user* arg) {
    winsize ws;
    if (copy_from_user(&ws, arg, sizeof(ws))) return -EFAULT;
    mutex_lock(&tty->ldisc_lock);
    bool changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
    tty->winsize = ws;
    mutex_unlock(&tty->ldisc_lock);
    if (changed) tty_signal_pgrp(tty, SIGWINCH);
    return 0;
}

// TIOCSTI: a byte as if typed; only on one's own controlling terminal unless privileged.
int tiocsti(tty_struct* tty, const char __user* p) {
    if (get_current_tty() != tty && !capable_of(current_cred())) return -EPERM;
    unsigned char c;
    if (copy_from_user(&c, p, 1)) return -EFAULT;
    n_tty_receive_buf(tty, &c, 1);
    return 0;
}

long tty_ioctl(file* f, unsigned cmd, unsigned long arg) {
    tty_struct* tty = file_tty(f);
    void __user* p = reinterpret_cast<void __user*>(arg);
    switch (cmd) {
    case TIOCSTI:
        return tiocsti(tty, static_cast<const char __user*>(p));
    case TIOCGWINSZ: {
        mutex_lock(&tty->ldisc_lock);
        winsize ws = tty->winsize;
        mutex_unlock(&tty->ldisc_lock);
        return copy_to_user(p, &ws, sizeof(ws)) ? -EFAULT : 0;
    }
    case TIOCSWINSZ:
        return tiocswinsz(tty, static_cast<winsize __user*>(p));
    case TIOCGETD: {
        int ldisc = N_TTY;
        return copy_to_user(p, &ldisc, sizeof(ldisc)) ? -EFAULT : 0;
    }
    case TIOCSETD: {
        int ldisc;
        if (copy_from_user(&ldisc, p, sizeof(ldisc))) return -EFAULT;
        return ldisc == N_TTY ? 0 : -EINVAL;  // N_TTY is the only discipline
    }
    case TIOCVHANGUP:
        if (!capable_of(current_cred())) return -EPERM;
        tty_vhangup(tty, false);
        return 0;
    case TCSBRK:
    case TCSBRKP: {
        // Output is written synchronously, so it is drained already; no
        // driver sends a break (Linux returns 0 for those too).
        int ret = tty_check_change(tty);
        if (ret) return ret;
        return signal_pending(current) ? -EINTR : 0;
    }
    }
    long ret = tty_jobctrl_ioctl(tty, f, cmd, arg);
    if (ret != -ENOIOCTLCMD) return ret;
    if (tty->ops->ioctl) {
        ret = tty->ops->ioctl(tty, cmd, arg);
        if (ret != -ENOIOCTLCMD) return ret;
    }
    ret = tty_mode_ioctl(tty, f, cmd, arg);
    return ret == -ENOIOCTLCMD ? -ENOTTY : ret;
}

// The last close of a terminal ends its role as a controlling terminal
// (Linux frees the tty then; here it stays, keeping its settings as Linux's
// saved driver termios do).
int tty_release(inode*, file* f) {
    tty_file_private* priv = file_priv(f);
    tty_struct* tty = priv->tty;
    mutex_lock(&tty_mutex);
    list_del(&priv->list);
    bool last = --tty->count == 0;
    mutex_unlock(&tty_mutex);
    if (last) {
        {
            Guard<IrqSave> guard(tasklist_lock);
            session_clear_tty(tty->session);
            tty->session = tty->pgrp = 0;
        }
        n_tty_flush_buffer(tty);
    }
    kfree(priv);
    return 0;
}

int tty_open(inode* ino, file* f);

const file_operations tty_fops = {
    .read_iter = tty_read,
    .write_iter = tty_write,
    .poll = tty_poll,
    .unlocked_ioctl = tty_ioctl,
    .open = tty_open,
    .release = tty_release,
};

// What a hung-up terminal's files do (Linux's hung_up_tty_*).
ssize_t hung_up_tty_read(kiocb*, iov_iter*) { return 0; }
ssize_t hung_up_tty_write(kiocb*, iov_iter*) { return -EIO; }
__poll_t hung_up_tty_poll(file*, poll_table*) {
    return EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDNORM | EPOLLWRNORM;
}
long hung_up_tty_ioctl(file*, unsigned cmd, unsigned long) { return cmd == TIOCSPGRP ? -ENOTTY : -EIO; }

const file_operations hung_up_tty_fops = {
    .read_iter = hung_up_tty_read,
    .write_iter = hung_up_tty_write,
    .poll = hung_up_tty_poll,
    .unlocked_ioctl = hung_up_tty_ioctl,
    .release = tty_release,
};

int tty_open(inode* ino, file* f) {
    dev_t device = ino->i_rdev;
    tty_struct* tty;
    bool console = false;
    // /dev/console and /dev/tty0 never become a controlling terminal by opening them.
    bool noctty = f->f_flags & O_NOCTTY;
    if (device == MKDEV(TTYAUX_MAJOR, 0)) {
        tty = get_current_tty();
        if (!tty) return -ENXIO;
    } else if (device == MKDEV(TTYAUX_MAJOR, 1)) {
        tty = tty_console();
        console = noctty = true;
        if (!tty) return -ENODEV;
    } else if (device == MKDEV(TTY_MAJOR, 0)) {
        tty = tty_lookup(MKDEV(TTY_MAJOR, 1));  // the one virtual terminal, tty1
        noctty = true;
    } else {
        tty = tty_lookup(device);
    }
    if (!tty) return -ENXIO;
    auto* priv = static_cast<tty_file_private*>(kzalloc(sizeof(tty_file_private), GFP_KERNEL));
    if (!priv) return -ENOMEM;
    priv->tty = tty;
    priv->file = f;
    priv->console = console;
    mutex_lock(&tty_mutex);
    tty->count++;
    list_add(&priv->list, &tty->tty_files);
    mutex_unlock(&tty_mutex);
    f->private_data = priv;
    if (!noctty) tty_open_proc_set_tty(f, tty);
    return 0;
}

// The flip buffer's bytes to the line discipline, in a kworker. What it cannot
// take yet stays here until a read makes room (tty_buffer_restart_work).
void flush_to_ldisc(work_struct* work) {
    tty_port* port = container_of(work, tty_port, work);
    MutexGuard serialise(&port->buf_lock);
    unsigned char chunk[64];
    for (;;) {
        size_t n = 0;
        {
            Guard<IrqSave> guard(port->lock);
            for (size_t t = port->tail; n < sizeof(chunk) && t != port->head; t++) chunk[n++] = port->flip[t % TTY_FLIPBUF_SIZE];
        }
        if (!n) return;
        size_t taken = n_tty_receive_buf(port->tty, chunk, n);
        {
            Guard<IrqSave> guard(port->lock);
            port->tail += taken;
        }
        if (taken < n) return;
    }
}

int tty_aux_init() {
    static const struct {
        const char* name;
        dev_t dev;
        umode_t mode;
    } nodes[] = {
        {"tty", MKDEV(TTYAUX_MAJOR, 0), 0666},
        {"console", MKDEV(TTYAUX_MAJOR, 1), 0600},
        {"tty0", MKDEV(TTY_MAJOR, 0), 0600},
    };
    int err = register_chrdev_region_fops(TTYAUX_MAJOR, 0, 1, "/dev/tty", &tty_fops);
    if (!err) err = register_chrdev_region_fops(TTYAUX_MAJOR, 1, 1, "/dev/console", &tty_fops);
    if (!err) err = register_chrdev_region_fops(TTY_MAJOR, 0, 1, "/dev/vc/0", &tty_fops);
    for (const auto& n : nodes)
        if (!err) err = devtmpfs_create_node(n.name, S_IFCHR | n.mode, n.dev);
    return err;
}
device_initcall(tty_aux_init);

}  // namespace

tty_struct* file_tty(file* f) { return file_priv(f)->tty; }

bool tty_hung_up_p(file* f) { return f->f_op == &hung_up_tty_fops; }

bool tty_file_console(file* f) { return f->private_data && file_priv(f)->console; }

void tty_port_init(tty_port* port) { INIT_WORK(&port->work, flush_to_ldisc); }

bool tty_insert_flip_char(tty_port* port, unsigned char c) {
    Guard<IrqSave> guard(port->lock);
    if (port->head - port->tail == TTY_FLIPBUF_SIZE) {
        port->overruns++;
        return false;
    }
    port->flip[port->head++ % TTY_FLIPBUF_SIZE] = c;
    return true;
}

void tty_flip_buffer_push(tty_port* port) {
    if (port->tty) schedule_work(&port->work);
}

void tty_buffer_restart_work(tty_port* port) {
    bool pending;
    {
        Guard<IrqSave> guard(port->lock);
        pending = port->head != port->tail;
    }
    if (pending) schedule_work(&port->work);
}

void tty_init_dev(tty_struct* tty, tty_driver* driver, unsigned index) {
    tty->driver = driver;
    tty->ops = driver->ops;
    tty->index = int(index);
    tty->port = driver->ports[index];
    tty->port->tty = tty;
    snprintf(tty->name, sizeof(tty->name), "%s%u", driver->name, driver->name_base + index);
    tty->termios = driver->init_termios;
    tty->winsize = driver->init_winsize;
    INIT_LIST_HEAD(&tty->tty_files);
    n_tty_open(tty);
}

int tty_register_driver(tty_driver* driver) {
    auto** ttys = static_cast<tty_struct**>(kzalloc(driver->num * sizeof(tty_struct*), GFP_KERNEL));
    if (!ttys) return -ENOMEM;
    driver->ttys = ttys;
    for (unsigned i = 0; i < driver->num; i++) {
        if (!driver->ports[i]) continue;
        auto* tty = static_cast<tty_struct*>(kzalloc(sizeof(tty_struct), GFP_KERNEL));
        if (!tty) return -ENOMEM;
        new (tty) tty_struct;
        tty_init_dev(tty, driver, i);
        ttys[i] = tty;
    }
    {
        MutexGuard guard(&tty_mutex);
        unsigned slot = 0;
        while (slot < MAX_TTY_DRIVERS && tty_drivers[slot]) slot++;
        if (slot == MAX_TTY_DRIVERS) return -ENOSPC;
        tty_drivers[slot] = driver;
    }
    if (int err = register_chrdev_region_fops(driver->major, driver->minor_start, driver->num, driver->name, &tty_fops))
        return err;
    for (unsigned i = 0; i < driver->num; i++)
        if (ttys[i])
            if (int err = devtmpfs_create_node(ttys[i]->name, S_IFCHR | 0600, MKDEV(driver->major, driver->minor_start + i)))
                return err;
    return 0;
}

tty_struct* tty_console() {
    int index = 0;
    tty_driver* driver = console_device(&index);
    if (!driver || index < 0 || unsigned(index) >= driver->num) return nullptr;
    return driver->ttys[index];
}

void tty_write_out(tty_struct* tty, const unsigned char* buf, size_t n) {
    while (n) {
        size_t done = tty->ops->write(tty, buf, n);
        buf += done;
        n -= done;
    }
}

void tty_vhangup(tty_struct* tty, bool exit_session) {
    {
        MutexGuard guard(&tty_mutex);
        tty_file_private* priv;
        list_for_each_entry(priv, &tty->tty_files, list)
            if (!priv->console) priv->file->f_op = &hung_up_tty_fops;
    }
    n_tty_flush_buffer(tty);
    wake_up_interruptible_poll(&tty->read_wait, EPOLLIN | EPOLLHUP);
    wake_up_interruptible_poll(&tty->write_wait, EPOLLOUT | EPOLLHUP);
    // Every process of the session loses the terminal; session leaders are
    // told with SIGHUP and SIGCONT (Linux's tty_signal_session_leader).
    int pgrp;
    {
        Guard<IrqSave> guard(tasklist_lock);
        pgrp = tty->pgrp;
        if (tty->session) {
            for_each_process(p) {
                if (task_session_nr(p) != tty->session || p->exit_state || !p->signal) continue;
                if (p->signal->tty == tty) p->signal->tty = nullptr;
                if (p->tgid != task_session_nr(p)) continue;
                group_send_sig_info(SIGHUP, SEND_SIG_PRIV, p);
                group_send_sig_info(SIGCONT, SEND_SIG_PRIV, p);
            }
        }
        tty->session = tty->pgrp = 0;
    }
    if (exit_session && pgrp) kill_pgrp(pgrp, SIGHUP, true);
}
