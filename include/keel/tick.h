// The tick (Linux's include/linux/tick.h and kernel/time/tick-*.c): every CPU
// gets an interrupt HZ times a second from its tick device. The CPU that owns
// the tick (tick_do_timer_cpu) advances jiffies and the clocks; every CPU does
// its accounting: the scheduler's tick, expired timers.
//
// The tick starts periodic (or emulated periodic on one-shot devices); once a
// CPU has a one-shot device and the clocksource is precise, it switches to
// high-resolution mode: the device is programmed for the next hrtimer and the
// tick itself becomes an hrtimer (kernel/time/tick-sched.cpp).
#pragma once
#include <keel/clockchips.h>

enum tick_device_mode { TICKDEV_MODE_PERIODIC, TICKDEV_MODE_ONESHOT };

struct tick_device {
    clock_event_device* evtdev;
    tick_device_mode mode;
};

// This CPU's tick device.
tick_device* tick_get_device(unsigned cpu);
// Periodic-mode handler of a tick device.
void tick_handle_periodic(clock_event_device* dev);
// Per-CPU accounting every tick: the tick's CPU time to current (user time if
// user_tick: the tick interrupted user mode), scheduler_tick, expired hrtimers (low-res mode).
void update_process_times(int user_tick);
// Prints the tick devices, their modes and the hrtimer bases (a debug dump, the
// start of Linux's /proc/timer_list).
void timer_list_show();
