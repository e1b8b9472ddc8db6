// The kernel's clocks (Linux's include/linux/timekeeping.h), kept by
// kernel/time/timekeeping.cpp from the current clocksource:
//   CLOCK_MONOTONIC  ktime_get()           since boot, never jumps, stops in suspend
//   CLOCK_REALTIME   ktime_get_real()      wall time since 1970, set from the RTC
//   CLOCK_BOOTTIME   ktime_get_boottime()  monotonic plus time spent suspended
// All are safe from any context, including hard interrupts and other CPUs.
#pragma once
#include <keel/ktime.h>

ktime_t ktime_get();
ktime_t ktime_get_real();
ktime_t ktime_get_boottime();
// The clock `clockid` names; -1 (never a valid time) for a clock Keel does not keep.
ktime_t ktime_get_clock(clockid_t clockid);
static inline u64 ktime_get_ns() { return u64(ktime_get()); }
static inline u64 ktime_get_real_ns() { return u64(ktime_get_real()); }
static inline s64 ktime_get_real_seconds() { return ktime_get_real() / NSEC_PER_SEC; }
static inline timespec64 ktime_get_ts64() { return ktime_to_timespec64(ktime_get()); }
static inline timespec64 ktime_get_real_ts64() { return ktime_to_timespec64(ktime_get_real()); }

// Sets CLOCK_REALTIME (settimeofday, clock_settime, the RTC at boot). EINVAL for
// an invalid timespec.
int do_settimeofday64(const timespec64& ts);

// Starts the clocks on the jiffies clocksource (start_kernel, before time_init).
void timekeeping_init();

// Seconds since 1970-01-01 00:00:00 UTC of a date (year e.g. 2026, mon 1..12,
// day 1..31), as Linux's mktime64.
s64 mktime64(unsigned year, unsigned mon, unsigned day, unsigned hour, unsigned min, unsigned sec);
