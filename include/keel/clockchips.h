// Clock event devices: timers that raise an interrupt at a programmed time
// (Linux's include/linux/clockchips.h). Where a clocksource answers "what time
// is it?", a clock_event_device answers "wake me at t". The LAPIC timer (one per
// CPU), the LAPIC in TSC-deadline mode ("lapic-deadline") and the PIT (one for
// the machine) are such devices. Each CPU's tick device is the best-rated one
// that can interrupt that CPU (kernel/time/tick-common.cpp).
#pragma once
#include <keel/ktime.h>
#include <keel/types.h>
#include <lib/cpumask.h>
#include <lib/list.h>
#include <uapi/asm/errno.h>

// "Timer expired": what programming a time already past returns (Linux's value;
// belongs in uapi/asm/errno.h).
#ifndef ETIME
#define ETIME 62
#endif

enum clock_event_state {
    CLOCK_EVT_STATE_DETACHED,         // registered but not in use
    CLOCK_EVT_STATE_SHUTDOWN,
    CLOCK_EVT_STATE_PERIODIC,
    CLOCK_EVT_STATE_ONESHOT,
    CLOCK_EVT_STATE_ONESHOT_STOPPED,  // one-shot, nothing programmed
};

// What the hardware can do (values as in Linux).
enum : unsigned {
    CLOCK_EVT_FEAT_PERIODIC = 0x000001,
    CLOCK_EVT_FEAT_ONESHOT = 0x000002,
    CLOCK_EVT_FEAT_C3STOP = 0x000008,   // stops in deep C-states
};

struct clock_event_device {
    // Called from the device's interrupt; set by the tick layer
    // (tick_handle_periodic, hrtimer_interrupt).
    void (*event_handler)(clock_event_device* dev);
    // Arms the device `delta` device ticks from now. 0, or -ETIME if too late.
    int (*set_next_event)(unsigned long delta, clock_event_device* dev);
    ktime_t next_event;       // what it is programmed for (KTIME_MAX: nothing)
    u64 max_delta_ns;
    u64 min_delta_ns;
    u32 mult;                 // device ticks = (ns * mult) >> shift
    u32 shift;
    clock_event_state state_use_accessors;
    unsigned features;
    unsigned long retries;    // programming attempts that were already too late
    int (*set_state_periodic)(clock_event_device* dev);
    int (*set_state_oneshot)(clock_event_device* dev);
    int (*set_state_oneshot_stopped)(clock_event_device* dev);
    int (*set_state_shutdown)(clock_event_device* dev);
    unsigned long min_delta_ticks;
    unsigned long max_delta_ticks;
    const char* name;
    int rating;
    int irq;                  // -1 for per-CPU devices on a system vector
    const ::cpumask* cpumask;  // CPUs it can interrupt
    list_head list;
};

static inline clock_event_state clockevent_get_state(const clock_event_device* dev) {
    return dev->state_use_accessors;
}
static inline bool clockevent_state_periodic(const clock_event_device* dev) {
    return dev->state_use_accessors == CLOCK_EVT_STATE_PERIODIC;
}
static inline bool clockevent_state_oneshot(const clock_event_device* dev) {
    return dev->state_use_accessors == CLOCK_EVT_STATE_ONESHOT;
}

// Nanoseconds that `latch` device ticks take (rounded so the result is never
// shorter than asked when used as a minimum).
u64 clockevent_delta2ns(unsigned long latch, clock_event_device* dev);

// Computes mult/shift and the ns limits from the device frequency and its
// min/max programmable ticks, then registers it.
void clockevents_config_and_register(clock_event_device* dev, u32 freq, unsigned long min_delta,
                                     unsigned long max_delta);
// Registers a device whose mult/shift/limits are set; the tick layer may take it
// over for the CPUs in dev->cpumask.
void clockevents_register_device(clock_event_device* dev);
void clockevents_switch_state(clock_event_device* dev, clock_event_state state);
void clockevents_shutdown(clock_event_device* dev);
// Programs a one-shot device for `expires` (CLOCK_MONOTONIC). A time in the
// past is -ETIME, unless `force`, which then fires the device as soon as it can.
int clockevents_program_event(clock_event_device* dev, ktime_t expires, bool force);
