// Clock event devices (Linux's kernel/time/clockevents.c): registration, state
// changes and programming in nanoseconds, converted to device ticks here so the
// drivers only ever see tick counts.
#define pr_fmt(fmt) "clockevents: " fmt
#include <keel/clockchips.h>
#include <keel/clocksource.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <kernel/time/tick-internal.h>
#include <uapi/asm/errno.h>

namespace {

spinlock_t clockevents_lock;
list_head clockevent_devices = LIST_HEAD_INIT(clockevent_devices);

int __clockevents_switch_state(clock_event_device* dev, clock_event_state state) {
    switch (state) {
    case CLOCK_EVT_STATE_DETACHED:
    case CLOCK_EVT_STATE_SHUTDOWN:
        return dev->set_state_shutdown ? dev->set_state_shutdown(dev) : 0;
    case CLOCK_EVT_STATE_PERIODIC:
        if (!(dev->features & CLOCK_EVT_FEAT_PERIODIC)) return -ENOSYS;
        return dev->set_state_periodic ? dev->set_state_periodic(dev) : 0;
    case CLOCK_EVT_STATE_ONESHOT:
        if (!(dev->features & CLOCK_EVT_FEAT_ONESHOT)) return -ENOSYS;
        return dev->set_state_oneshot ? dev->set_state_oneshot(dev) : 0;
    case CLOCK_EVT_STATE_ONESHOT_STOPPED:
        return dev->set_state_oneshot_stopped ? dev->set_state_oneshot_stopped(dev) : 0;
    }
    return -ENOSYS;
}

}  // namespace

u64 clockevent_delta2ns(unsigned long latch, clock_event_device* dev) {
    u64 clc = u64(latch) << dev->shift;
    if ((clc >> dev->shift) != u64(latch)) clc = ~0ull;  // the shift overflowed: saturate
    // Round up so that programming the result never asks for fewer ticks.
    u64 rnd = u64(dev->mult) - 1;
    if (~0ull - clc > rnd) clc += rnd;
    clc /= dev->mult;
    if (clc > u64(KTIME_MAX)) return u64(KTIME_MAX);
    return clc < 1000 ? 1000 : clc;  // at least 1 µs: nothing finer is useful
}

void clockevents_switch_state(clock_event_device* dev, clock_event_state state) {
    if (clockevent_get_state(dev) == state) return;
    if (__clockevents_switch_state(dev, state)) return;
    dev->state_use_accessors = state;
    // A one-shot device whose mult is 0 cannot be programmed; catch it here.
    if (state == CLOCK_EVT_STATE_ONESHOT && !dev->mult) {
        dev->mult = 1;
        pr_warn("%s: mult=0, fixed up\n", dev->name);
    }
}

void clockevents_shutdown(clock_event_device* dev) {
    clockevents_switch_state(dev, CLOCK_EVT_STATE_SHUTDOWN);
    dev->next_event = KTIME_MAX;
}

int clockevents_program_event(clock_event_device* dev, ktime_t expires, bool force) {
    dev->next_event = expires;
    if (clockevent_get_state(dev) == CLOCK_EVT_STATE_SHUTDOWN) return 0;
    if (clockevent_get_state(dev) != CLOCK_EVT_STATE_ONESHOT) return -EINVAL;

    s64 delta = expires - ktime_get();
    if (delta <= 0 && !force) return -ETIME;
    u64 ns = delta < 0 ? 0 : u64(delta);
    if (ns > dev->max_delta_ns) ns = dev->max_delta_ns;
    if (ns < dev->min_delta_ns) ns = dev->min_delta_ns;
    unsigned long clc = (unsigned long)(((unsigned __int128)ns * dev->mult) >> dev->shift);
    int rc = dev->set_next_event(clc, dev);
    if (rc && force) {
        // Too close to now for the device: retry with its minimum, then grow.
        for (int i = 0; rc && i < 10; i++) {
            dev->retries++;
            rc = dev->set_next_event(dev->min_delta_ticks << i, dev);
        }
    }
    return rc;
}

void clockevents_register_device(clock_event_device* dev) {
    if (!dev->cpumask) {
        pr_err("%s: no cpumask, not registered\n", dev->name);
        return;
    }
    dev->state_use_accessors = CLOCK_EVT_STATE_DETACHED;
    dev->next_event = KTIME_MAX;
    Guard<IrqSave> guard(clockevents_lock);
    list_add(&dev->list, &clockevent_devices);
    tick_check_new_device(dev);
}

void clockevents_config_and_register(clock_event_device* dev, u32 freq, unsigned long min_delta,
                                     unsigned long max_delta) {
    dev->min_delta_ticks = min_delta;
    dev->max_delta_ticks = max_delta;
    // ns -> ticks must not overflow for the longest programmable interval.
    u64 sec = dev->max_delta_ticks / freq;
    if (!sec) sec = 1;
    else if (sec > 600 && dev->max_delta_ticks > 0xffffffffull) sec = 600;
    clocks_calc_mult_shift(&dev->mult, &dev->shift, u32(NSEC_PER_SEC), freq, u32(sec));
    dev->min_delta_ns = clockevent_delta2ns(dev->min_delta_ticks, dev);
    dev->max_delta_ns = clockevent_delta2ns(dev->max_delta_ticks, dev);
    clockevents_register_device(dev);
}

// For timer_list_show.
void clockevents_for_each(void (*fn)(clock_event_device*)) {
    Guard<IrqSave> guard(clockevents_lock);
    clock_event_device* dev;
    list_for_each_entry(dev, &clockevent_devices, list) fn(dev);
}
