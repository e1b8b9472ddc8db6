// Tick devices (Linux's kernel/time/tick-common.c): each CPU takes the best
// clock event device that can interrupt it and gets a tick from it every
// TICK_NSEC, periodic if the device can, else by reprogramming a one-shot
// device at every tick.
#define pr_fmt(fmt) "tick: " fmt
#include <keel/jiffies.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/rcupdate.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/spinlock.h>
#include <keel/tick.h>
#include <keel/timer.h>
#include <kernel/time/tick-internal.h>
#include <uapi/asm/errno.h>

DEFINE_PER_CPU(tick_device, tick_cpu_device);

int tick_do_timer_cpu = -1;
ktime_t tick_next_period;  // CLOCK_MONOTONIC when the next jiffy is due
spinlock_t jiffies_lock;

namespace {

// The do_timer CPU's share of the tick: one more jiffy, and the clocks move on.
void tick_periodic(unsigned cpu) {
    if (tick_do_timer_cpu == int(cpu)) {
        {
            Guard<NoIrqSave> guard(jiffies_lock);
            tick_next_period += TICK_NSEC;
            do_timer(1);
        }
        update_wall_time();
    }
    update_process_times(tick_user_mode());
}

// A device can replace the current one if it does at least as much (one-shot
// beats periodic-only: high-resolution timers need it) and is rated higher.
bool tick_check_preferred(const clock_event_device* curdev, const clock_event_device* newdev) {
    if (!curdev) return true;
    if ((curdev->features & CLOCK_EVT_FEAT_ONESHOT) && !(newdev->features & CLOCK_EVT_FEAT_ONESHOT))
        return false;
    return newdev->rating > curdev->rating;
}

void tick_setup_periodic(clock_event_device* dev) {
    dev->event_handler = tick_handle_periodic;
    if (dev->features & CLOCK_EVT_FEAT_PERIODIC) {
        clockevents_switch_state(dev, CLOCK_EVT_STATE_PERIODIC);
        return;
    }
    ktime_t next;
    {
        Guard<IrqSave> guard(jiffies_lock);
        next = tick_next_period;
    }
    clockevents_switch_state(dev, CLOCK_EVT_STATE_ONESHOT);
    while (clockevents_program_event(dev, next, false)) next += TICK_NSEC;
}

void tick_setup_device(tick_device* td, clock_event_device* newdev, unsigned cpu) {
    void (*handler)(clock_event_device*) = nullptr;
    ktime_t next_event = 0;
    if (!td->evtdev) {
        // The first tick device of all: its CPU keeps jiffies, with jiffies
        // boundaries on whole multiples of TICK_NSEC.
        if (tick_do_timer_cpu == -1) {
            Guard<IrqSave> guard(jiffies_lock);
            tick_do_timer_cpu = int(cpu);
            ktime_t now = ktime_get();
            tick_next_period = now - now % TICK_NSEC + TICK_NSEC;
        }
        td->mode = TICKDEV_MODE_PERIODIC;
    } else {
        handler = td->evtdev->event_handler;
        next_event = td->evtdev->next_event;
        clockevents_shutdown(td->evtdev);
    }
    td->evtdev = newdev;
    if (td->mode == TICKDEV_MODE_PERIODIC) {
        tick_setup_periodic(newdev);
    } else {
        // Already in high-resolution mode: the new device carries on where the old stopped.
        newdev->event_handler = handler;
        clockevents_switch_state(newdev, CLOCK_EVT_STATE_ONESHOT);
        clockevents_program_event(newdev, next_event, true);
    }
}

void print_device(clock_event_device* dev) {
    printk(KERN_INFO "Clock Event Device: %s\n max_delta_ns: %llu\n min_delta_ns: %llu\n mult: %u\n shift: %u\n"
                     " mode: %d\n next_event: %lld nsecs\n retries: %lu\n",
           dev->name, (unsigned long long)dev->max_delta_ns, (unsigned long long)dev->min_delta_ns, dev->mult,
           dev->shift, int(clockevent_get_state(dev)), (long long)dev->next_event, dev->retries);
}

}  // namespace

tick_device* tick_get_device(unsigned cpu) { return &per_cpu(tick_cpu_device, cpu); }

void tick_handle_periodic(clock_event_device* dev) {
    unsigned cpu = smp_processor_id();
    ktime_t next = dev->next_event;
    tick_periodic(cpu);
    // The tick may just have switched this CPU to high-resolution mode
    // (update_process_times -> hrtimer_run_queues); then it is not ours any more.
    if (dev->event_handler != tick_handle_periodic) return;
    if (!clockevent_state_oneshot(dev)) return;
    for (;;) {
        next += TICK_NSEC;
        if (!clockevents_program_event(dev, next, false)) return;
        // The next tick is due already (interrupts were off for long). With a
        // real clocksource the lost jiffies are counted here; on the jiffies
        // clocksource the tick is the only clock, so it just runs late.
        if (timekeeping_valid_for_hres()) tick_periodic(cpu);
    }
}

void update_process_times(int user_tick) {
    account_process_tick(current, user_tick);
    run_local_timers();
    hrtimer_run_queues();
    scheduler_tick();
    rcu_sched_clock_irq(user_tick);
}

void tick_check_new_device(clock_event_device* newdev) {
    unsigned cpu = smp_processor_id();
    if (!cpumask_test_cpu(cpu, newdev->cpumask)) return;
    tick_device* td = this_cpu_ptr(&tick_cpu_device);
    if (!tick_check_preferred(td->evtdev, newdev)) return;
    tick_setup_device(td, newdev, cpu);
}

int tick_program_event(ktime_t expires, bool force) {
    clock_event_device* dev = this_cpu_ptr(&tick_cpu_device)->evtdev;
    if (expires == KTIME_MAX) {
        // Nothing to wait for: stop the device rather than program "never".
        clockevents_switch_state(dev, CLOCK_EVT_STATE_ONESHOT_STOPPED);
        dev->next_event = KTIME_MAX;
        return 0;
    }
    if (clockevent_get_state(dev) == CLOCK_EVT_STATE_ONESHOT_STOPPED)
        clockevents_switch_state(dev, CLOCK_EVT_STATE_ONESHOT);
    return clockevents_program_event(dev, expires, force);
}

bool tick_oneshot_possible() {
    clock_event_device* dev = this_cpu_ptr(&tick_cpu_device)->evtdev;
    return dev && (dev->features & CLOCK_EVT_FEAT_ONESHOT);
}

int tick_switch_to_oneshot(void (*handler)(clock_event_device*)) {
    tick_device* td = this_cpu_ptr(&tick_cpu_device);
    clock_event_device* dev = td->evtdev;
    if (!dev || !(dev->features & CLOCK_EVT_FEAT_ONESHOT)) return -EINVAL;
    td->mode = TICKDEV_MODE_ONESHOT;
    dev->event_handler = handler;
    clockevents_switch_state(dev, CLOCK_EVT_STATE_ONESHOT);
    return 0;
}

void timer_list_show() {
    printk(KERN_INFO "Timer List Version: keel 1\nnow at %lld nsecs\njiffies: %lu\n", (long long)ktime_get(),
           (unsigned long)jiffies);
    unsigned cpu;
    for_each_online_cpu(cpu) {
        hrtimer_show_cpu(cpu);
        tick_device* td = tick_get_device(cpu);
        printk(KERN_INFO "Tick Device: mode: %d\n", int(td->mode));
        if (td->evtdev) print_device(td->evtdev);
    }
}
