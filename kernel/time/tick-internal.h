// Declarations shared between the files of kernel/time/ (Linux's
// kernel/time/tick-internal.h and timekeeping_internal.h).
#pragma once
#include <asm/irq_regs.h>
#include <asm/ptrace.h>
#include <keel/clockchips.h>
#include <keel/clocksource.h>
#include <keel/ktime.h>
#include <keel/spinlock.h>
#include <keel/tick.h>

// ---- timekeeping ----------------------------------------------------------
// Switches timekeeping to `clock`; 0 on success.
int timekeeping_notify(clocksource* clock);
// Folds the time since the last update into the clocks (do_timer CPU, each tick).
void update_wall_time();
// jiffies_64 += ticks (with jiffies_lock held).
void do_timer(unsigned long ticks);
// The monotonic time and the REALTIME and BOOTTIME offsets from it, read
// together, for hrtimer expiry.
ktime_t ktime_get_update_offsets_now(ktime_t* offs_real, ktime_t* offs_boot);
// Whether the clocksource is fine enough for high-resolution timers.
bool timekeeping_valid_for_hres();

// ---- tick -------------------------------------------------------------------
// Whether the tick interrupted user mode (Linux's user_mode(get_irq_regs())):
// the tick is charged as user or system time by that. Outside an interrupt
// (no registers recorded) it is kernel time.
static inline int tick_user_mode() {
    pt_regs* regs = get_irq_regs();
    return regs && user_mode(regs);
}
extern int tick_do_timer_cpu;  // owner of jiffies; -1 until a tick device exists
// Takes `dev` as this CPU's tick device if it is better than the current one.
void tick_check_new_device(clock_event_device* dev);
// Programs this CPU's tick device (one-shot mode) for `expires`.
int tick_program_event(ktime_t expires, bool force);
// Switches this CPU's tick device to one-shot mode with `handler`; -EINVAL if it
// cannot do one-shot.
int tick_switch_to_oneshot(void (*handler)(clock_event_device*));
bool tick_oneshot_possible();
// Jiffies and wall time up to `now` (hres tick on the do_timer CPU).
void tick_do_update_jiffies64(ktime_t now);
// Starts the hrtimer that emulates the tick in high-resolution mode.
void tick_setup_sched_timer();

// ---- hrtimer ----------------------------------------------------------------
void hrtimer_run_queues();                      // low-res: from the tick
void hrtimer_interrupt(clock_event_device* dev);  // high-res: the device handler

// ---- jiffies ------------------------------------------------------------------
// The jiffies clocksource, timekeeping's clock until a better one takes over.
clocksource* clocksource_default_clock();
// CLOCK_REALTIME jumped: timers on it must be re-evaluated (hrtimer.cpp).
void clock_was_set();
// Calls fn for every registered clock event device.
void clockevents_for_each(void (*fn)(clock_event_device*));
// Prints a CPU's hrtimer base for timer_list_show.
void hrtimer_show_cpu(unsigned cpu);
extern ktime_t tick_next_period;
extern spinlock_t jiffies_lock;  // serialises jiffies_64 and tick_next_period
