// The tick in high-resolution mode (Linux's kernel/time/tick-sched.c, without
// NO_HZ): once the tick device is programmed per hrtimer, the tick itself is
// an hrtimer that fires every TICK_NSEC.
#include <keel/hrtimer.h>
#include <keel/jiffies.h>
#include <keel/percpu.h>
#include <keel/spinlock.h>
#include <kernel/time/tick-internal.h>

struct tick_sched {
    hrtimer sched_timer;
};
DEFINE_PER_CPU(tick_sched, tick_cpu_sched);

namespace {

hrtimer_restart tick_sched_timer(hrtimer* timer) {
    ktime_t now = ktime_get();
    if (tick_do_timer_cpu == int(smp_processor_id())) tick_do_update_jiffies64(now);
    update_process_times(tick_user_mode());
    hrtimer_forward(timer, now, TICK_NSEC);
    return HRTIMER_RESTART;
}

}  // namespace

// Counts the jiffies that began by `now`: normally one, more if the tick was
// held off.
void tick_do_update_jiffies64(ktime_t now) {
    {
        Guard<NoIrqSave> guard(jiffies_lock);
        if (now < tick_next_period) return;
        unsigned long ticks = 1 + (unsigned long)((now - tick_next_period) / ktime_t(TICK_NSEC));
        tick_next_period += ktime_t(ticks * TICK_NSEC);
        do_timer(ticks);
    }
    update_wall_time();
}

void tick_setup_sched_timer() {
    tick_sched* ts = this_cpu_ptr(&tick_cpu_sched);
    hrtimer_init(&ts->sched_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
    ts->sched_timer.function = tick_sched_timer;
    // On the jiffy grid, so every CPU ticks when a jiffy begins.
    ktime_t next;
    {
        Guard<IrqSave> guard(jiffies_lock);
        next = tick_next_period;
    }
    hrtimer_set_expires(&ts->sched_timer, next);
    hrtimer_forward(&ts->sched_timer, ktime_get(), TICK_NSEC);
    hrtimer_start_expires(&ts->sched_timer, HRTIMER_MODE_ABS_PINNED_HARD);
}
