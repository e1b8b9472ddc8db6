// Timekeeping (Linux's kernel/time/timekeeping.c): turns readings of the current
// clocksource into CLOCK_MONOTONIC, and adds offsets for CLOCK_REALTIME and
// CLOCK_BOOTTIME.
//
// The state is the monotonic time `base` at the counter value `cycle_last`;
// a reader adds (counter - cycle_last) converted to ns. The tick folds the
// elapsed cycles into `base` (update_wall_time), so the delta a reader converts
// stays small. Readers never lock: they retry if a sequence count says the
// state changed under them, so ktime_get works from any context, including
// NMIs and the writer's own CPU inside interrupts.
#define pr_fmt(fmt) "timekeeping: " fmt
#include <keel/atomic.h>
#include <keel/jiffies.h>
#include <keel/loadavg.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/timekeeper_internal.h>
#include <keel/timekeeping.h>
#include <kernel/time/tick-internal.h>
#include <uapi/asm/errno.h>
#include <vdso/vsyscall.h>

namespace {

// Writers serialise on the lock and make the count odd while they change the
// timekeeper; readers retry on an odd or changed count. Every writer also
// republishes the vDSO's copy (update_vsyscall) before it closes.
spinlock_t timekeeper_lock;
Atomic<unsigned> tk_seq;
timekeeper tk_core;

unsigned read_seqbegin() {
    for (;;) {
        unsigned seq = tk_seq.load(memory_order::acquire);
        if (!(seq & 1)) return seq;
        __builtin_ia32_pause();
    }
}
bool read_seqretry(unsigned seq) {
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return tk_seq.load(memory_order::relaxed) != seq;
}
void write_seqbegin() {
    tk_seq.fetch_add(1, memory_order::relaxed);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}
void write_seqend() { tk_seq.fetch_add(1, memory_order::release); }

// Cycles since cycle_last. A counter read on another CPU may be a little
// behind cycle_last (TSCs are synchronised only so far): such a "negative"
// delta shows up as a huge one and counts as 0, so time never goes back.
u64 timekeeping_get_delta(const tk_read_base& tkr) {
    u64 now = tkr.clock->read(tkr.clock);
    u64 delta = (now - tkr.cycle_last) & tkr.mask;
    if (delta > (tkr.mask >> 1)) return 0;
    return delta;
}

// 128-bit product: a delta of up to max_cycles times mult would fit 64 bits,
// but one after interrupts were off for long would not.
u64 timekeeping_delta_to_ns(const tk_read_base& tkr, u64 delta) {
    unsigned __int128 nsec = (unsigned __int128)delta * tkr.mult + tkr.xtime_nsec;
    return u64(nsec >> tkr.shift);
}

ktime_t mono_now_locked(const tk_read_base& tkr) {
    if (!tkr.clock) return 0;
    return tkr.base + ktime_t(timekeeping_delta_to_ns(tkr, timekeeping_get_delta(tkr)));
}

// Moves the state to the counter's current value (writer side).
void timekeeping_forward_now(tk_read_base& tkr) {
    if (!tkr.clock) return;
    u64 now = tkr.clock->read(tkr.clock);
    u64 delta = (now - tkr.cycle_last) & tkr.mask;
    if (delta > (tkr.mask >> 1)) return;  // see timekeeping_get_delta
    unsigned __int128 nsec = (unsigned __int128)delta * tkr.mult + tkr.xtime_nsec;
    tkr.base += ktime_t(nsec >> tkr.shift);
    tkr.xtime_nsec = u64(nsec & ((1ull << tkr.shift) - 1));
    tkr.cycle_last = now;
}

void tk_setup_internals(tk_read_base& tkr, clocksource* clock) {
    tkr.clock = clock;
    tkr.mask = clock->mask;
    tkr.mult = clock->mult;
    tkr.shift = clock->shift;
    tkr.cycle_last = clock->read(clock);
    tkr.xtime_nsec = 0;
}

template <typename F> auto tk_read(F f) {
    for (;;) {
        unsigned seq = read_seqbegin();
        auto v = f(tk_core);
        if (!read_seqretry(seq)) return v;
    }
}

}  // namespace

ktime_t ktime_get() {
    return tk_read([](const timekeeper& tk) { return mono_now_locked(tk.tkr_mono); });
}
ktime_t ktime_get_real() {
    return tk_read([](const timekeeper& tk) { return mono_now_locked(tk.tkr_mono) + tk.offs_real; });
}
ktime_t ktime_get_boottime() {
    return tk_read([](const timekeeper& tk) { return mono_now_locked(tk.tkr_mono) + tk.offs_boot; });
}

ktime_t ktime_get_clock(clockid_t clockid) {
    switch (clockid) {
    case CLOCK_MONOTONIC: return ktime_get();
    case CLOCK_REALTIME: return ktime_get_real();
    case CLOCK_BOOTTIME: return ktime_get_boottime();
    default: return -1;
    }
}

ktime_t ktime_get_update_offsets_now(ktime_t* offs_real, ktime_t* offs_boot) {
    for (;;) {
        unsigned seq = read_seqbegin();
        ktime_t now = mono_now_locked(tk_core.tkr_mono);
        *offs_real = tk_core.offs_real;
        *offs_boot = tk_core.offs_boot;
        if (!read_seqretry(seq)) return now;
    }
}

bool timekeeping_valid_for_hres() {
    return tk_read([](const timekeeper& tk) {
        return tk.tkr_mono.clock && (tk.tkr_mono.clock->flags & CLOCK_SOURCE_VALID_FOR_HRES);
    });
}

int do_settimeofday64(const timespec64& ts) {
    if (!timespec64_valid(ts)) return -EINVAL;
    {
        Guard<IrqSave> guard(timekeeper_lock);
        write_seqbegin();
        timekeeping_forward_now(tk_core.tkr_mono);
        tk_core.offs_real = timespec64_to_ktime(ts) - tk_core.tkr_mono.base;
        update_vsyscall(tk_core);
        write_seqend();
    }
    clock_was_set();
    return 0;
}

int timekeeping_notify(clocksource* clock) {
    Guard<IrqSave> guard(timekeeper_lock);
    write_seqbegin();
    timekeeping_forward_now(tk_core.tkr_mono);
    // Whole nanoseconds carry over; the sub-ns remainder is in the old clock's units.
    tk_setup_internals(tk_core.tkr_mono, clock);
    update_vsyscall(tk_core);
    write_seqend();
    return 0;
}

void update_wall_time() {
    Guard<IrqSave> guard(timekeeper_lock);
    write_seqbegin();
    timekeeping_forward_now(tk_core.tkr_mono);
    update_vsyscall(tk_core);
    write_seqend();
}

void do_timer(unsigned long ticks) {
    __atomic_fetch_add(&jiffies_64, ticks, __ATOMIC_RELAXED);
    calc_global_load();
}

void timekeeping_init() {
    init_jiffies_clocksource();
    Guard<IrqSave> guard(timekeeper_lock);
    write_seqbegin();
    tk_setup_internals(tk_core.tkr_mono, clocksource_default_clock());
    tk_core.tkr_mono.base = 0;
    update_vsyscall(tk_core);
    write_seqend();
}
