// The kernel log: a ring of records, each with a timestamp and a level, so the
// whole boot can be read back (dmesg) even by consoles that register late.
// A message is printed on the consoles when its level is below console_loglevel
// (loglevel=, quiet, debug).
//
// Readers that follow the log (/dev/kmsg, syslog(2)) keep a printk_cursor and
// sleep on log_wait. printk may run where a wake-up could deadlock (under a
// run-queue lock, in an interrupt): it wakes them directly only from plain
// task context, and otherwise leaves the wake-up to klogd_timer, which ticks
// only while someone waits (Linux defers every wake-up to irq_work).
#include <asm/irqflags.h>
#include <asm/tsc.h>
#include <asm/page_types.h>
#include <keel/console.h>
#include <keel/init.h>
#include <keel/jiffies.h>
#include <keel/preempt.h>
#include <keel/timer.h>
#include <keel/wait.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <kernel/printk/printk.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/memblock.h>

int console_loglevel = 7;  // CONSOLE_LOGLEVEL_DEFAULT

namespace {

// A record in the ring. len covers header + text, rounded up to 8 bytes; a
// record with len == 0 marks the unused tail before the ring wraps to offset 0.
struct printk_log {
    u64 ts_nsec;
    u16 len;
    u16 text_len;
    u8 level;
    bool printed;  // has reached a console
    u8 facility;   // 0 for the kernel's messages, LOG_USER (1) for /dev/kmsg writers by default
    u8 pad;
};

constexpr size_t __LOG_BUF_LEN = 1 << 17;      // CONFIG_LOG_BUF_SHIFT=17, as Debian's kernel
constexpr size_t __LOG_CPU_MAX_BUF_LEN = 1 << 12;  // CONFIG_LOG_CPU_MAX_BUF_SHIFT=12
constexpr size_t LINE_MAX = LOG_TEXT_MAX;         // longest single message
constexpr unsigned long KLOGD_TICK = HZ / 50;     // how late a deferred wake-up may come
alignas(8) char __log_buf[__LOG_BUF_LEN];
// The static buffer serves until setup_log_buf() may swap in a larger one.
char* log_buf = __log_buf;
size_t log_buf_len = __LOG_BUF_LEN;
size_t new_log_buf_len;  // log_buf_len=
size_t log_first_idx, log_next_idx;      // oldest record, where the next one goes
u64 log_first_seq, log_next_seq;
// The newest record may still be open: a /dev/kmsg write without a final
// newline. Readers do not see it until the next record closes it (Linux's
// committed-but-not-finalized records).
bool log_last_open;
size_t log_last_idx;
u64 clear_seq;  // syslog's CLEAR: READ_ALL starts here (if still in the ring)
size_t clear_idx;
spinlock_t logbuf_lock;
Atomic<bool> klogd_pending{false};
timer_list klogd_timer;

// Text of a message still waiting for its newline (pr_cont pieces), and the CPU
// writing it: only that CPU's messages continue or close it.
char cont_buf[LINE_MAX];
size_t cont_len;
int cont_level;
unsigned cont_cpu;

printk_log* log_at(size_t idx) { return reinterpret_cast<printk_log*>(log_buf + idx); }
char* log_text(printk_log* msg) { return reinterpret_cast<char*>(msg + 1); }

size_t log_next(size_t idx) {
    printk_log* msg = log_at(idx);
    if (msg->len == 0) return 0;  // wrap marker
    return idx + msg->len;
}

// Drops the oldest records until `size` bytes fit after log_next_idx.
void log_make_free_space(size_t size) {
    for (;;) {
        if (log_first_seq == log_next_seq) {  // empty
            log_first_idx = log_next_idx = 0;
            return;
        }
        bool fits = log_next_idx >= log_first_idx
                        ? (log_next_idx + size + sizeof(printk_log) <= log_buf_len || size <= log_first_idx)
                        : log_next_idx + size <= log_first_idx;
        if (fits) return;
        log_first_idx = log_next(log_first_idx);
        if (log_at(log_first_idx)->len == 0) log_first_idx = 0;
        log_first_seq++;
        if (clear_seq < log_first_seq) {
            clear_seq = log_first_seq;
            clear_idx = log_first_idx;
        }
    }
}

printk_log* log_store(int facility, int level, u64 ts, const char* text, size_t text_len) {
    log_last_open = false;
    size_t size = align_up(sizeof(printk_log) + text_len, size_t(8));
    log_make_free_space(size);
    if (log_next_idx + size + sizeof(printk_log) > log_buf_len) {
        log_at(log_next_idx)->len = 0;  // no room at the end: wrap
        log_next_idx = 0;
        log_make_free_space(size);
    }
    printk_log* msg = log_at(log_next_idx);
    msg->ts_nsec = ts;
    msg->len = u16(size);
    msg->text_len = u16(text_len);
    msg->level = u8(level);
    msg->facility = u8(facility);
    msg->printed = false;
    memcpy(log_text(msg), text, text_len);
    log_last_idx = log_next_idx;
    log_next_idx += size;
    log_next_seq++;
    return msg;
}

size_t format_record(const printk_log* msg, char* buf, size_t size) {
    u64 ts = msg->ts_nsec;
    return scnprintf(buf, size, "[%5lu.%06lu] %.*s\n", (unsigned long)(ts / 1000000000),
                     (unsigned long)(ts % 1000000000 / 1000), int(msg->text_len),
                     reinterpret_cast<const char*>(msg + 1));
}

// Whether console_loglevel lets a record through, decided when it is written
// out (as Linux does), so `quiet` also hides what was logged before it was parsed.
bool visible(const printk_log* msg) { return msg->level < console_loglevel; }

void emit_to_consoles(printk_log* msg) {
    char line[LINE_MAX + 32];
    size_t n = format_record(msg, line, sizeof(line));
    msg->printed |= console_write_all(line, n);
}

// Splits "\001<level>" off the front of a message.
int printk_get_level(const char*& text, int& level) {
    if (text[0] == KERN_SOH[0] && text[1]) {
        char c = text[1];
        text += 2;
        if (c >= '0' && c <= '7') level = c - '0';
        else if (c == 'c') return 1;  // KERN_CONT
    }
    return 0;
}

void flush_cont() {
    if (!cont_len) return;
    printk_log* msg = log_store(0, cont_level, sched_clock(), cont_buf, cont_len);
    if (visible(msg)) emit_to_consoles(msg);
    cont_len = 0;
}

// Wakes the readers waiting in log_wait now if this context may, else soon.
void wake_up_klogd() {
    if (list_empty(&log_wait.head)) return;  // unlocked peek: see the comment at log_wait
    if (!in_atomic() && !arch_irqs_disabled()) wake_up_interruptible(&log_wait);
    else klogd_pending.store(true, memory_order::release);
}

void klogd_timer_fn(timer_list*) {
    if (klogd_pending.exchange(false, memory_order::acq_rel)) wake_up_interruptible(&log_wait);
    if (!list_empty(&log_wait.head)) mod_timer(&klogd_timer, jiffies + KLOGD_TICK);
}

int vprintk_store(const char* fmt, va_list args) {
    char text[LINE_MAX];
    int n = vscnprintf(text, sizeof(text), fmt, args);
    const char* p = text;
    int level = -1;
    bool is_cont = printk_get_level(p, level);

    Guard<IrqSave> guard(logbuf_lock);
    unsigned cpu = smp_processor_id();
    if (cont_len && cont_cpu != cpu) {
        // Another CPU's line is still open: log this message on its own, whole lines only.
        int lvl = level < 0 ? LOGLEVEL_DEFAULT : level;
        for (const char* nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
            nl = strchr(p, '\n');
            size_t len = nl ? size_t(nl - p) : strlen(p);
            printk_log* msg = log_store(0, lvl, sched_clock(), len ? p : " ", len ? len : 1);
            if (visible(msg)) emit_to_consoles(msg);
        }
        return n;
    }
    if (!is_cont) flush_cont();
    cont_cpu = cpu;
    if (!cont_len) cont_level = level < 0 ? LOGLEVEL_DEFAULT : level;
    // Store one record per line; a trailing partial line waits in cont_buf.
    while (*p) {
        const char* nl = strchr(p, '\n');
        size_t len = nl ? size_t(nl - p) : strlen(p);
        size_t room = sizeof(cont_buf) - cont_len;
        size_t take = len < room ? len : room;
        memcpy(cont_buf + cont_len, p, take);
        cont_len += take;
        if (!nl) break;
        if (cont_len == 0) cont_buf[cont_len++] = ' ';  // keep empty lines visible
        flush_cont();
        p = nl + 1;
        cont_level = level < 0 ? LOGLEVEL_DEFAULT : level;
    }
    return n;
}

}  // namespace

// A reader adds itself to log_wait before it looks for records (prepare_to_wait),
// and a writer stores its record before it peeks at the queue, both in order
// through logbuf_lock: a writer that finds the queue empty stored a record the
// reader's look will see.
wait_queue_head log_wait;

int vprintk(const char* fmt, va_list args) {
    int n = vprintk_store(fmt, args);
    wake_up_klogd();
    return n;
}

void printk_emit(int facility, int level, const char* text, size_t len, bool open) {
    if (len > LINE_MAX) len = LINE_MAX;
    {
        Guard<IrqSave> guard(logbuf_lock);
        flush_cont();
        printk_log* msg = log_store(facility, level, sched_clock(), text, len);
        if (visible(msg)) emit_to_consoles(msg);
        log_last_open = open;
    }
    wake_up_klogd();
}

namespace {
// Where readers stop: before an open last record.
printk_cursor log_end() {
    return log_last_open ? printk_cursor{log_next_seq - 1, log_last_idx} : printk_cursor{log_next_seq, log_next_idx};
}
}  // namespace

void printk_wait_prepare() {
    if (!timer_pending(&klogd_timer)) mod_timer(&klogd_timer, jiffies + KLOGD_TICK);
}

void printk_cursor_set(printk_cursor* c, printk_whence where) {
    Guard<IrqSave> guard(logbuf_lock);
    switch (where) {
    case printk_whence::first:
        *c = {log_first_seq, log_first_idx};
        break;
    case printk_whence::clear:
        *c = {clear_seq, clear_idx};
        break;
    case printk_whence::next:
        *c = log_end();
        break;
    }
}

int printk_cursor_read(printk_cursor* c, printk_record* r, char* text, size_t size) {
    Guard<IrqSave> guard(logbuf_lock);
    if (c->seq < log_first_seq) {  // overwritten since the last read
        *c = {log_first_seq, log_first_idx};
        return -EPIPE;
    }
    if (c->seq >= log_end().seq) return -EAGAIN;
    // The oldest record's place is always known (the ring may have been reset
    // while empty); a later one stays where the cursor saw it, unless the ring
    // wrapped there.
    size_t idx = c->seq == log_first_seq ? log_first_idx : c->idx;
    if (log_at(idx)->len == 0) idx = 0;
    const printk_log* msg = log_at(idx);
    r->seq = c->seq;
    r->ts_nsec = msg->ts_nsec;
    r->level = msg->level;
    r->facility = msg->facility;
    r->text_len = msg->text_len < size ? msg->text_len : size;
    memcpy(text, reinterpret_cast<const char*>(msg + 1), r->text_len);
    *c = {c->seq + 1, log_next(idx)};
    return 0;
}

bool printk_cursor_pending(const printk_cursor* c, bool* lost) {
    Guard<IrqSave> guard(logbuf_lock);
    *lost = c->seq < log_first_seq;
    return c->seq < log_end().seq;
}

void printk_clear() {
    Guard<IrqSave> guard(logbuf_lock);
    printk_cursor end = log_end();
    clear_seq = end.seq;
    clear_idx = end.idx;
}

void printk_clear_to(const printk_cursor* c) {
    Guard<IrqSave> guard(logbuf_lock);
    if (c->seq < log_first_seq) return;
    clear_seq = c->seq;
    clear_idx = c->idx;
}

size_t printk_log_buf_len() { return log_buf_len; }

static int klogd_timer_init() {
    timer_setup(&klogd_timer, klogd_timer_fn, 0);
    return 0;
}
core_initcall(klogd_timer_init);

int printk(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = vprintk(fmt, args);
    va_end(args);
    return n;
}

namespace {
template <typename F> void for_each_record(F f) {
    for (size_t idx = log_first_idx; idx != log_next_idx;) {
        f(log_at(idx));
        idx = log_next(idx);
        if (log_at(idx)->len == 0 && idx != log_next_idx) idx = 0;
    }
}
}  // namespace

size_t log_buf_read_all(char* buf, size_t size) {
    if (!size) return 0;
    Guard<IrqSave> guard(logbuf_lock);
    char line[LINE_MAX + 32];
    size_t need = 0;
    for_each_record([&](printk_log* m) { need += format_record(m, line, sizeof(line)); });
    // Drop the oldest lines until the rest fit, so the newest survive.
    size_t total = 0;
    for_each_record([&](printk_log* m) {
        size_t n = format_record(m, line, sizeof(line));
        if (need > size - 1) {
            need -= n;
            return;
        }
        memcpy(buf + total, line, n);
        total += n;
    });
    buf[total] = '\0';
    return total;
}

void printk_dump_suppressed_tail(unsigned lines) {
    unsigned total = 0;
    auto suppressed = [](const printk_log* m) { return !m->printed && !visible(m); };
    for_each_record([&](printk_log* m) { total += suppressed(m); });
    if (!total) return;
    static const char header[] = "Last suppressed log lines:\n";
    console_write_all(header, sizeof(header) - 1);
    unsigned index = 0;
    for_each_record([&](printk_log* m) {
        if (suppressed(m) && index++ + lines >= total) emit_to_consoles(m);
    });
}

void printk_replay(console* con) {
    char line[LINE_MAX + 32];
    for_each_record([&](printk_log* m) {
        if (!visible(m)) return;
        size_t n = format_record(m, line, sizeof(line));
        con->write(con, line, n);
        m->printed = true;
    });
}

// log_buf_len=<size>: a larger log buffer, rounded up to a power of two as in Linux.
static int log_buf_len_setup(const char* val) {
    if (!val) return -EINVAL;
    char* end;
    unsigned long long size = memparse(val, &end);
    if (end == val || *end || size > (1ull << 31)) return -EINVAL;
    new_log_buf_len = size > __LOG_BUF_LEN ? size_t(1) << (64 - __builtin_clzll(size - 1)) : 0;
    return 0;
}
early_param("log_buf_len", log_buf_len_setup);

void setup_log_buf(unsigned possible_cpus) {
    // Each CPU beyond the first may add 4 KiB, but only once that adds up to more
    // than half the default buffer does it count (Linux's log_buf_add_cpu).
    size_t cpu_extra = (possible_cpus - 1) * __LOG_CPU_MAX_BUF_LEN;
    if (!new_log_buf_len && cpu_extra > __LOG_BUF_LEN / 2)
        new_log_buf_len = size_t(1) << (64 - __builtin_clzll(__LOG_BUF_LEN + cpu_extra - 1));
    if (new_log_buf_len <= log_buf_len) return;
    auto* buf = static_cast<char*>(memblock_alloc(new_log_buf_len, PAGE_SIZE));
    if (!buf) {
        pr_err("log_buf_len: %zu bytes not available\n", new_log_buf_len);
        return;
    }
    size_t used = 0;
    {
        // The new buffer is larger: the records fit end to end, oldest first.
        Guard<IrqSave> guard(logbuf_lock);
        for_each_record([&](printk_log* m) {
            memcpy(buf + used, m, m->len);
            used += m->len;
        });
        log_buf = buf;
        log_buf_len = new_log_buf_len;
        log_first_idx = 0;
        log_next_idx = used;
        clear_seq = log_first_seq;  // no reader can have cleared yet
        clear_idx = 0;
    }
    pr_info("log_buf_len: %zu bytes\n", log_buf_len);
    pr_info("early log buf free: %zu(%zu%%)\n", __LOG_BUF_LEN - used, (__LOG_BUF_LEN - used) * 100 / __LOG_BUF_LEN);
}

// ---- the command-line words that set console_loglevel ------------------------
static int loglevel_setup(const char* val) { return param_set_int(val, &console_loglevel); }
early_param("loglevel", loglevel_setup);

static int quiet_setup(const char*) {
    console_loglevel = 4;  // CONSOLE_LOGLEVEL_QUIET
    return 0;
}
early_param("quiet", quiet_setup);

static int debug_setup(const char*) {
    console_loglevel = 10;  // CONSOLE_LOGLEVEL_DEBUG
    return 0;
}
early_param("debug", debug_setup);
