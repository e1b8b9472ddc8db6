// Clocksource registration and selection (include/keel/clocksource.h).
#define pr_fmt(fmt) "clocksource: " fmt
#include <keel/clocksource.h>
#include <keel/ktime.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <kernel/time/tick-internal.h>

namespace {

spinlock_t clocksource_lock;
list_head clocksource_list = LIST_HEAD_INIT(clocksource_list);  // by rating, best first
clocksource* curr_clocksource;
bool finished_booting;

// 11% either way is the most NTP may ever steer a clock; the limits below keep
// even such an adjusted mult from overflowing.
u32 clocksource_max_adjustment(const clocksource* cs) { return u32(u64(cs->mult) * 11 / 100); }

void clocksource_enqueue(clocksource* cs) {
    list_head* pos = &clocksource_list;
    clocksource* tmp;
    list_for_each_entry(tmp, &clocksource_list, list) {
        if (tmp->rating < cs->rating) break;  // equal ratings: first registered stays first
        pos = &tmp->list;
    }
    list_add(&cs->list, pos);
}

// Called with clocksource_lock held.
void clocksource_select() {
    if (!finished_booting || list_empty(&clocksource_list)) return;
    clocksource* best = list_first_entry(&clocksource_list, clocksource, list);
    if (best == curr_clocksource) return;
    if (timekeeping_notify(best) == 0) {
        curr_clocksource = best;
        pr_info("Switched to clocksource %s\n", best->name);
    }
}

}  // namespace

void clocks_calc_mult_shift(u32* mult, u32* shift, u32 from, u32 to, u32 maxsec) {
    // How many bits maxsec seconds of `from` cycles take beyond 32: the product
    // cycles * mult must fit in 64 bits, so mult may use only what is left.
    u64 tmp = (u64(maxsec) * from) >> 32;
    u32 sftacc = 32;
    while (tmp) {
        tmp >>= 1;
        sftacc--;
    }
    // The largest shift whose mult (rounded to nearest) fits in sftacc bits.
    u32 sft;
    for (sft = 32; sft > 0; sft--) {
        tmp = ((u64(to) << sft) + from / 2) / from;
        if ((tmp >> sftacc) == 0) break;
    }
    *mult = u32(tmp);
    *shift = sft;
}

u64 clocks_calc_max_nsecs(u32 mult, u32 shift, u32 maxadj, u64 mask, u64* max_cyc) {
    // Cycles that can be multiplied by the largest adjusted mult without overflow,
    // but never more than the counter holds before it wraps.
    u64 max_cycles = ~0ull / (u64(mult) + maxadj);
    if (max_cycles > mask) max_cycles = mask;
    // Nanoseconds for them at the smallest adjusted mult: the shortest span.
    u64 max_nsecs = u64(clocksource_cyc2ns(max_cycles, mult - maxadj, shift));
    if (max_cyc) *max_cyc = max_cycles;
    return max_nsecs >> 1;  // 50% margin for interrupts that come late
}

void __clocksource_update_freq_scale(clocksource* cs, u32 scale, u32 freq) {
    if (freq) {
        // The conversion must stay exact for as long as the counter runs before
        // wrapping, but need not cover more than 10 minutes: a 64-bit counter
        // would otherwise leave mult no precision at all.
        u64 sec = cs->mask / freq / scale;
        if (!sec) sec = 1;
        else if (sec > 600 && cs->mask > 0xffffffffull) sec = 600;
        clocks_calc_mult_shift(&cs->mult, &cs->shift, freq, u32(NSEC_PER_SEC / scale), u32(sec * scale));
    }
    // A mult so small that 11% of it overflows the subtraction cannot be steered
    // that far; trim the adjustment room instead.
    cs->maxadj = clocksource_max_adjustment(cs);
    while (freq && ((cs->mult + cs->maxadj < cs->mult) || (cs->mult - cs->maxadj > cs->mult))) {
        cs->mult >>= 1;
        cs->shift--;
        cs->maxadj = clocksource_max_adjustment(cs);
    }
    cs->max_idle_ns = clocks_calc_max_nsecs(cs->mult, cs->shift, cs->maxadj, cs->mask, &cs->max_cycles);
}

int __clocksource_register_scale(clocksource* cs, u32 scale, u32 freq) {
    __clocksource_update_freq_scale(cs, scale, freq);
    // Linux's watchdog grants this once it has cross-checked the clock against
    // another; Keel has no watchdog and trusts every continuous clock.
    if (cs->flags & CLOCK_SOURCE_IS_CONTINUOUS) cs->flags |= CLOCK_SOURCE_VALID_FOR_HRES;
    pr_info("%s: mask: 0x%llx max_cycles: 0x%llx, max_idle_ns: %llu ns\n", cs->name,
            (unsigned long long)cs->mask, (unsigned long long)cs->max_cycles,
            (unsigned long long)cs->max_idle_ns);
    Guard<IrqSave> guard(clocksource_lock);
    clocksource_enqueue(cs);
    clocksource_select();
    return 0;
}

void clocksource_done_booting() {
    Guard<IrqSave> guard(clocksource_lock);
    finished_booting = true;
    clocksource_select();
}

clocksource* clocksource_best() {
    Guard<IrqSave> guard(clocksource_lock);
    return list_empty(&clocksource_list) ? nullptr : list_first_entry(&clocksource_list, clocksource, list);
}
