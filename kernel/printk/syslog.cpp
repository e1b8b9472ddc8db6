// syslog(2) (klogctl in the C libraries; Linux's do_syslog in
// kernel/printk/printk.c): reading the kernel log in the syslog format
//     "<prio>[    5.123456] text\n"
// (prio = facility * 8 + level), clearing it, and setting the console level.
// busybox dmesg asks SIZE_BUFFER, then READ_ALL; `dmesg -c` READ_CLEAR,
// `dmesg -n N` CONSOLE_LEVEL. Every action needs the syslog right, root here,
// as with Debian's CONFIG_SECURITY_DMESG_RESTRICT=y.
#include <asm/uaccess.h>
#include <keel/cred.h>
#include <keel/mutex.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <kernel/printk/printk.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>

namespace {

enum {
    SYSLOG_ACTION_CLOSE = 0,
    SYSLOG_ACTION_OPEN = 1,
    SYSLOG_ACTION_READ = 2,
    SYSLOG_ACTION_READ_ALL = 3,
    SYSLOG_ACTION_READ_CLEAR = 4,
    SYSLOG_ACTION_CLEAR = 5,
    SYSLOG_ACTION_CONSOLE_OFF = 6,
    SYSLOG_ACTION_CONSOLE_ON = 7,
    SYSLOG_ACTION_CONSOLE_LEVEL = 8,
    SYSLOG_ACTION_SIZE_UNREAD = 9,
    SYSLOG_ACTION_SIZE_BUFFER = 10,
};

constexpr int minimum_console_loglevel = 1;  // CONSOLE_LOGLEVEL_MIN
constexpr int NO_SAVED_LEVEL = -1;           // Linux's LOGLEVEL_DEFAULT sentinel
// One record in syslog format: every line of its text gets the prefix.
constexpr size_t SYSLOG_TEXT_MAX = LOG_TEXT_MAX * 2 + 64;

// SYSLOG_ACTION_READ consumes the log: its place (and how much of a record
// that did not fit was already returned) is shared by every caller.
mutex syslog_lock{"syslog_lock"};
printk_cursor syslog_cursor;
bool syslog_cursor_set;
size_t syslog_partial;
int saved_console_loglevel = NO_SAVED_LEVEL;

struct syslog_record {
    printk_record r;
    char text[LOG_TEXT_MAX];
    char out[SYSLOG_TEXT_MAX];
};

// Linux's record_print_text(r, syslog=true, time=true).
size_t format_syslog(syslog_record* s) {
    const printk_record& r = s->r;
    char prefix[48];
    size_t plen = scnprintf(prefix, sizeof(prefix), "<%u>[%5lu.%06lu] ", unsigned(r.facility) << 3 | r.level,
                            (unsigned long)(r.ts_nsec / 1000000000), (unsigned long)(r.ts_nsec % 1000000000 / 1000));
    size_t len = 0;
    const char* line = s->text;
    const char* end = s->text + r.text_len;
    for (;;) {
        const char* nl = line;
        while (nl < end && *nl != '\n') nl++;
        len += scnprintf(s->out + len, sizeof(s->out) - len, "%.*s%.*s\n", int(plen), prefix, int(nl - line), line);
        if (nl >= end) break;
        line = nl + 1;
    }
    return len;
}

// The next record at c in syslog format; false at the end of the log.
// A record overwritten meanwhile is skipped: the cursor moves to the oldest.
bool next_record(printk_cursor* c, syslog_record* s) {
    for (;;) {
        int err = printk_cursor_read(c, &s->r, s->text, sizeof(s->text));
        if (err == -EPIPE) continue;
        return err == 0;
    }
}

syslog_record* alloc_record() { return static_cast<syslog_record*>(kmalloc(sizeof(syslog_record), GFP_KERNEL)); }

// Linux's syslog_print: as many whole records as fit, or, when not even the
// first does, as much of it as fits (the rest comes with the next call).
long syslog_print(char __user* buf, size_t size) {
    syslog_record* s = alloc_record();
    if (!s) return -ENOMEM;
    long done = 0;
    while (size) {
        mutex_lock(&syslog_lock);
        printk_cursor at = syslog_cursor;
        if (!next_record(&at, s)) {
            mutex_unlock(&syslog_lock);
            break;
        }
        if (at.seq - 1 != syslog_cursor.seq) syslog_partial = 0;  // ours was overwritten
        size_t skip = syslog_partial;
        size_t n = format_syslog(s);
        if (n - syslog_partial <= size) {
            syslog_cursor = at;
            n -= syslog_partial;
            syslog_partial = 0;
        } else if (!done) {
            n = size;
            syslog_partial += n;
        } else {
            n = 0;
        }
        mutex_unlock(&syslog_lock);
        if (!n) break;
        if (copy_to_user(buf, s->out + skip, n)) {
            if (!done) done = -EFAULT;
            break;
        }
        done += long(n);
        size -= n;
        buf += n;
    }
    kfree(s);
    return done;
}

// Linux's syslog_print_all: the newest records since the last CLEAR that fit
// in size bytes, oldest first.
long syslog_print_all(char __user* buf, size_t size, bool clear) {
    syslog_record* s = alloc_record();
    if (!s) return -ENOMEM;
    printk_cursor start, c;
    printk_cursor_set(&start, printk_whence::clear);
    // How much there is, up to the records present now.
    size_t total = 0;
    c = start;
    printk_cursor end;
    printk_cursor_set(&end, printk_whence::next);
    while (c.seq < end.seq && next_record(&c, s)) total += format_syslog(s);
    // Leave out the oldest until the rest fits, then copy.
    c = start;
    long len = 0;
    for (printk_cursor before = c; c.seq < end.seq && next_record(&c, s); before = c) {
        size_t n = format_syslog(s);
        if (total > size) {
            total -= n;
            continue;
        }
        if (size_t(len) + n > size) {  // grown meanwhile (a longer overwriting record)
            c = before;
            break;
        }
        if (copy_to_user(buf + len, s->out, n)) {
            len = -EFAULT;
            break;
        }
        len += long(n);
    }
    if (clear) printk_clear_to(&c);
    kfree(s);
    return len;
}

// Bytes SYSLOG_ACTION_READ would return now.
long syslog_size_unread() {
    syslog_record* s = alloc_record();
    if (!s) return -ENOMEM;
    mutex_lock(&syslog_lock);
    printk_cursor c = syslog_cursor;
    long n = 0;
    while (next_record(&c, s)) n += long(format_syslog(s));
    n -= long(syslog_partial);
    mutex_unlock(&syslog_lock);
    kfree(s);
    return n < 0 ? 0 : n;
}

// Sleeps until SYSLOG_ACTION_READ has a record; -ERESTARTSYS on a signal.
int wait_for_syslog() {
    wait_queue_entry wait;
    init_wait_entry(&wait, 0);
    int ret = 0;
    for (;;) {
        prepare_to_wait(&log_wait, &wait, TASK_INTERRUPTIBLE);
        printk_wait_prepare();
        bool lost;
        mutex_lock(&syslog_lock);
        bool ready = printk_cursor_pending(&syslog_cursor, &lost);
        mutex_unlock(&syslog_lock);
        if (ready) break;
        if (signal_pending(current)) {
            ret = -ERESTARTSYS;
            break;
        }
        schedule();
    }
    finish_wait(&log_wait, &wait);
    return ret;
}

}  // namespace

long sys_syslog(int type, char __user* buf, int len) {
    if (current_cred()->euid != 0) return -EPERM;  // CAP_SYSLOG
    {
        // The destructive reader starts at the oldest record.
        mutex_lock(&syslog_lock);
        if (!syslog_cursor_set) printk_cursor_set(&syslog_cursor, printk_whence::first);
        syslog_cursor_set = true;
        mutex_unlock(&syslog_lock);
    }
    switch (type) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN:
        return 0;
    case SYSLOG_ACTION_READ: {
        if (!buf || len < 0) return -EINVAL;
        if (!len) return 0;
        if (!access_ok(buf, size_t(len))) return -EFAULT;
        int err = wait_for_syslog();
        if (err) return err;
        return syslog_print(buf, size_t(len));
    }
    case SYSLOG_ACTION_READ_CLEAR:
    case SYSLOG_ACTION_READ_ALL:
        if (!buf || len < 0) return -EINVAL;
        if (!len) return 0;
        if (!access_ok(buf, size_t(len))) return -EFAULT;
        return syslog_print_all(buf, size_t(len), type == SYSLOG_ACTION_READ_CLEAR);
    case SYSLOG_ACTION_CLEAR:
        printk_clear();
        return 0;
    case SYSLOG_ACTION_CONSOLE_OFF:
        if (saved_console_loglevel == NO_SAVED_LEVEL) saved_console_loglevel = console_loglevel;
        console_loglevel = minimum_console_loglevel;
        return 0;
    case SYSLOG_ACTION_CONSOLE_ON:
        if (saved_console_loglevel != NO_SAVED_LEVEL) {
            console_loglevel = saved_console_loglevel;
            saved_console_loglevel = NO_SAVED_LEVEL;
        }
        return 0;
    case SYSLOG_ACTION_CONSOLE_LEVEL:
        if (len < 1 || len > 8) return -EINVAL;
        console_loglevel = len < minimum_console_loglevel ? minimum_console_loglevel : len;
        saved_console_loglevel = NO_SAVED_LEVEL;  // setting a level turns the console back on
        return 0;
    case SYSLOG_ACTION_SIZE_UNREAD:
        return syslog_size_unread();
    case SYSLOG_ACTION_SIZE_BUFFER:
        return long(printk_log_buf_len());
    default:
        return -EINVAL;
    }
}
