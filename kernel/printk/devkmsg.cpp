// /dev/kmsg (the devkmsg part of Linux's kernel/printk/printk.c): each read
// returns one log record as
//     "<prio>,<seq>,<usec>,<flag>;<text>\n"
// prio = facility * 8 + level, usec since boot, flag '-' (Linux's 'c' marks
// continuation fragments, which Keel joins before storing). Bytes of the text
// below ' ', above '~' and '\' itself are written as \xNN, so one record is
// always one line. A buffer too small for the record gives EINVAL (and the
// record is skipped, as in Linux); records overwritten before they were read
// give EPIPE once, then reading resumes at the oldest one. Writes log a record:
// an optional "<N>" prefix sets level and facility (default LOG_USER, level 4);
// a write without a final newline leaves its record open, and readers see it
// only once the next record closes it (as in Linux, where it could still be
// continued).
#include <asm/uaccess.h>
#include <keel/cred.h>
#include <keel/fs.h>
#include <keel/jiffies.h>
#include <keel/mutex.h>
#include <keel/poll.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <kernel/printk/printk.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <new>
#include <uapi/linux/fcntl.h>

namespace {

constexpr size_t LOG_LINE_MAX = 1024 - 32;    // longest write (Linux's CONSOLE_LOG_MAX - PREFIX_MAX)
constexpr size_t CONSOLE_EXT_LOG_MAX = 8192;  // longest record as read
constexpr int LOG_USER = 1;
constexpr int default_message_loglevel = LOGLEVEL_DEFAULT;
// Writers are rate-limited per open file as with Linux's default
// printk.devkmsg=ratelimit: a burst of 10 lines per 5 seconds; lines past it
// are dropped (the write still succeeds), and counted when the file is closed.
constexpr unsigned RATELIMIT_BURST = 10;
constexpr unsigned long RATELIMIT_INTERVAL = 5 * HZ;

struct devkmsg_user {
    mutex lock{"devkmsg_user.lock"};  // one reader at a time per open file
    printk_cursor cursor;
    unsigned long rs_begin;
    unsigned rs_printed, rs_missed;
    char text[LOG_TEXT_MAX];
    char buf[CONSOLE_EXT_LOG_MAX];
};

// Linux's devkmsg access rule: reading needs the syslog right
// (CONFIG_SECURITY_DMESG_RESTRICT=y, as Debian builds it: root only).
bool may_read_syslog() { return current_cred()->euid == 0; }

bool ratelimit_ok(devkmsg_user* u) {
    if (!u->rs_begin || time_after(jiffies, u->rs_begin + RATELIMIT_INTERVAL)) {
        u->rs_begin = jiffies;
        u->rs_printed = 0;
    }
    if (u->rs_printed < RATELIMIT_BURST) {
        u->rs_printed++;
        return true;
    }
    u->rs_missed++;
    return false;
}

// Formats r as /dev/kmsg shows it; returns the length (the record never
// exceeds buf: the text is at most LOG_TEXT_MAX bytes, each at most 4 out).
size_t format_ext_record(const printk_record* r, const char* text, char* buf, size_t size) {
    size_t len = scnprintf(buf, size, "%u,%llu,%llu,-;", unsigned(r->facility) << 3 | r->level,
                           (unsigned long long)r->seq, (unsigned long long)(r->ts_nsec / 1000));
    for (size_t i = 0; i < r->text_len; i++) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < ' ' || c >= 127 || c == '\\') len += scnprintf(buf + len, size - len, "\\x%02x", c);
        else if (len + 1 < size) buf[len++] = char(c);
    }
    if (len + 1 < size) buf[len++] = '\n';
    return len;
}

// Sleeps until a record waits at the cursor; -ERESTARTSYS on a signal.
int wait_for_record(devkmsg_user* u) {
    bool lost;
    wait_queue_entry wait;
    init_wait_entry(&wait, 0);
    int ret = 0;
    for (;;) {
        prepare_to_wait(&log_wait, &wait, TASK_INTERRUPTIBLE);
        printk_wait_prepare();
        if (printk_cursor_pending(&u->cursor, &lost)) break;
        if (signal_pending(current)) {
            ret = -ERESTARTSYS;
            break;
        }
        schedule();
    }
    finish_wait(&log_wait, &wait);
    return ret;
}

ssize_t devkmsg_read(file* f, char __user* ubuf, size_t count, loff_t*) {
    auto* u = static_cast<devkmsg_user*>(f->private_data);
    if (!u) return -EBADF;
    // Linux takes this lock interruptibly; Keel's mutexes cannot be (a second
    // reader of the same open file waits for the first one's record).
    mutex_lock(&u->lock);
    printk_record r;
    ssize_t ret;
    for (;;) {
        int err = printk_cursor_read(&u->cursor, &r, u->text, sizeof(u->text));
        if (err != -EAGAIN) {
            ret = err;
            break;
        }
        if (f->f_flags & O_NONBLOCK) {
            ret = -EAGAIN;
            break;
        }
        ret = wait_for_record(u);
        if (ret) break;
    }
    if (!ret) {
        size_t len = format_ext_record(&r, u->text, u->buf, sizeof(u->buf));
        if (len > count) ret = -EINVAL;
        else if (copy_to_user(ubuf, u->buf, len)) ret = -EFAULT;
        else ret = ssize_t(len);
    }
    mutex_unlock(&u->lock);
    return ret;
}

// Only offset 0 is accepted: SEEK_SET the oldest record, SEEK_DATA the first
// one after syslog's last CLEAR, SEEK_END the next to come.
loff_t devkmsg_llseek(file* f, loff_t offset, int whence) {
    auto* u = static_cast<devkmsg_user*>(f->private_data);
    if (!u) return -EBADF;
    if (offset) return -ESPIPE;
    switch (whence) {
    case SEEK_SET:
        printk_cursor_set(&u->cursor, printk_whence::first);
        return 0;
    case SEEK_DATA:
        printk_cursor_set(&u->cursor, printk_whence::clear);
        return 0;
    case SEEK_END:
        printk_cursor_set(&u->cursor, printk_whence::next);
        return 0;
    default:
        return -EINVAL;
    }
}

__poll_t devkmsg_poll(file* f, poll_table* pt) {
    auto* u = static_cast<devkmsg_user*>(f->private_data);
    if (!u) return EPOLLERR | EPOLLNVAL;
    poll_wait(f, &log_wait, pt);
    printk_wait_prepare();
    bool lost;
    if (!printk_cursor_pending(&u->cursor, &lost)) return 0;
    return lost ? EPOLLIN | EPOLLRDNORM | EPOLLERR | EPOLLPRI : EPOLLIN | EPOLLRDNORM;
}

ssize_t devkmsg_write_iter(kiocb* iocb, iov_iter* from) {
    auto* u = static_cast<devkmsg_user*>(iocb->ki_filp->private_data);
    size_t len = iov_iter_count(from);
    if (!u || len > LOG_LINE_MAX) return -EINVAL;
    if (!ratelimit_ok(u)) return ssize_t(len);  // dropped, yet "written", as in Linux
    char line[LOG_LINE_MAX + 1];
    if (copy_from_iter(line, len, from) != len) return -EFAULT;
    line[len] = '\0';
    int level = default_message_loglevel, facility = LOG_USER;
    const char* text = line;
    // "<N>": N's low three bits are the level, the rest the facility (kept
    // at LOG_USER if zero: user space may not pose as the kernel).
    if (line[0] == '<') {
        char* end;
        unsigned long long v = simple_strtoull(line + 1, &end, 10);
        if (end[0] == '>') {
            level = int(v & 7);
            if (v >> 3) facility = int((v >> 3) & 0xff);
            text = end + 1;
        }
    }
    size_t text_len = strlen(text);
    bool newline = text_len && text[text_len - 1] == '\n';
    printk_emit(facility, level, text, text_len - newline, !newline);
    return ssize_t(len);
}

int devkmsg_open(inode*, file* f) {
    // Writers need no right: anyone may log (the node's mode decides).
    if ((f->f_flags & O_ACCMODE) != O_WRONLY && !may_read_syslog()) return -EPERM;
    void* mem = kmalloc(sizeof(devkmsg_user), GFP_KERNEL);
    if (!mem) return -ENOMEM;
    auto* u = new (mem) devkmsg_user{};
    printk_cursor_set(&u->cursor, printk_whence::first);
    f->private_data = u;
    return 0;
}

int devkmsg_release(inode*, file* f) {
    auto* u = static_cast<devkmsg_user*>(f->private_data);
    if (!u) return 0;
    if (u->rs_missed)
        pr_warn("%s: %u output lines suppressed due to ratelimiting\n", current->comm, u->rs_missed);
    u->~devkmsg_user();
    kfree(u);
    return 0;
}

}  // namespace

const file_operations kmsg_fops = {
    .llseek = devkmsg_llseek,
    .read = devkmsg_read,
    .write_iter = devkmsg_write_iter,
    .poll = devkmsg_poll,
    .open = devkmsg_open,
    .release = devkmsg_release,
};
