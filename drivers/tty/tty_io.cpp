// /dev/console as a file (the console part of Linux's drivers/tty/tty_io.c):
// what init gets as fds 0, 1 and 2. Writes go straight to the enabled console
// devices (the serial port under console=ttyS0), not through printk's log, so
// a program's output is not timestamped or filtered by loglevel. Reads return
// end of file: interactive input needs the serial receive path and a line
// discipline (a later issue). The terminal ioctls answer with the settings of
// a plain 80x25 cooked terminal, enough for the C library's isatty() and
// stdio buffering decisions.
#include <asm/uaccess.h>
#include <keel/console.h>
#include <keel/fs.h>
#include <keel/spinlock.h>
#include <lib/string.h>
#include <uapi/asm/ioctls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

// One writer at a time, so lines from two processes do not interleave
// character by character.
spinlock_t console_write_lock;

ssize_t console_read(file*, char __user*, size_t, loff_t*) { return 0; }

ssize_t console_write(file*, const char __user* buf, size_t count, loff_t*) {
    char chunk[256];
    size_t done = 0;
    while (done < count) {
        size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
        unsigned long left = copy_from_user(chunk, buf + done, n);
        n -= left;
        if (n) {
            Guard<IrqSave> guard(console_write_lock);
            console_write_all(chunk, n);
        }
        done += n;
        if (left) return done ? ssize_t(done) : -EFAULT;
    }
    return ssize_t(done);
}

long console_ioctl(file*, unsigned cmd, unsigned long arg) {
    switch (cmd) {
    case TCGETS: {
        termios t{};
        t.c_iflag = ICRNL | IXON;
        t.c_oflag = OPOST | ONLCR;
        t.c_cflag = B38400 | CS8 | CREAD | HUPCL;
        t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
        const unsigned char cc[] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
        memcpy(t.c_cc, cc, sizeof(cc));
        return copy_to_user(reinterpret_cast<void*>(arg), &t, sizeof(t)) ? -EFAULT : 0;
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return 0;  // accepted and ignored: no line discipline yet
    case TIOCGWINSZ: {
        winsize ws{25, 80, 0, 0};
        return copy_to_user(reinterpret_cast<void*>(arg), &ws, sizeof(ws)) ? -EFAULT : 0;
    }
    default:
        return -ENOTTY;
    }
}

int console_getattr(file*, struct stat* st) {
    st->st_mode = S_IFCHR | 0600;
    st->st_rdev = (5u << 8) | 1;  // /dev/console is char 5:1
    st->st_blksize = 1024;
    return 0;
}

const file_operations console_fops = {
    .read = console_read,
    .write = console_write,
    .llseek = nullptr,
    .unlocked_ioctl = console_ioctl,
    .getattr = console_getattr,
    .release = nullptr,
};

}  // namespace

Result<file*> console_open() { return alloc_file(&console_fops, O_RDWR, nullptr); }
