// The timekeeper's state (Linux's include/linux/timekeeper_internal.h), shared by
// kernel/time/timekeeping.cpp, which owns it, and kernel/time/vsyscall.cpp,
// which copies it into the vDSO data page.
#pragma once
#include <keel/clocksource.h>
#include <keel/ktime.h>

struct tk_read_base {
    clocksource* clock;
    u64 mask;
    u64 cycle_last;
    u32 mult;
    u32 shift;
    u64 xtime_nsec;  // nanoseconds << shift since `base`, not yet whole
    ktime_t base;    // CLOCK_MONOTONIC at cycle_last
};

struct timekeeper {
    tk_read_base tkr_mono;
    ktime_t offs_real;  // CLOCK_REALTIME - CLOCK_MONOTONIC
    ktime_t offs_boot;  // CLOCK_BOOTTIME - CLOCK_MONOTONIC (grows on resume from suspend)
};
