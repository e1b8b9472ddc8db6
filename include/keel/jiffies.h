// jiffies: the number of timer ticks since boot (Linux's include/linux/jiffies.h).
// HZ = 250 ticks per second, so one jiffy is 4 ms.
//
// As in Linux, the count does not start at 0 but 300 seconds before the 32-bit
// wrap (INITIAL_JIFFIES), so code that compares jiffies with < instead of
// time_after() breaks five minutes after boot rather than after 49 days.
#pragma once
#include <keel/ktime.h>
#include <keel/types.h>

constexpr unsigned long HZ = 250;
constexpr u64 TICK_NSEC = (NSEC_PER_SEC + HZ / 2) / HZ;
constexpr unsigned long INITIAL_JIFFIES = (unsigned long)(unsigned int)(-300 * int(HZ));
// The longest timeout schedule_timeout() accepts; it means "no timeout".
constexpr long MAX_SCHEDULE_TIMEOUT = __LONG_MAX__;
// Conversions saturate here, so a huge timeout stays positive as a long.
constexpr unsigned long MAX_JIFFY_OFFSET = (__LONG_MAX__ >> 1) - 1;

// Advanced by the CPU that owns the tick (do_timer); read anywhere. On x86_64
// jiffies and jiffies_64 are the same 64-bit word (one symbol aliases the other,
// as Linux's linker script does).
extern "C" u64 jiffies_64;
extern "C" volatile unsigned long jiffies;
static inline u64 get_jiffies_64() { return __atomic_load_n(&jiffies_64, __ATOMIC_RELAXED); }

// Wrap-safe comparisons: true if a is after b, even across a wrap of the counter,
// as long as the two are less than half the counter range apart.
constexpr bool time_after(unsigned long a, unsigned long b) { return long(b - a) < 0; }
constexpr bool time_before(unsigned long a, unsigned long b) { return time_after(b, a); }
constexpr bool time_after_eq(unsigned long a, unsigned long b) { return long(a - b) >= 0; }
constexpr bool time_before_eq(unsigned long a, unsigned long b) { return time_after_eq(b, a); }
// a in [b, c]
constexpr bool time_in_range(unsigned long a, unsigned long b, unsigned long c) {
    return time_after_eq(a, b) && time_before_eq(a, c);
}
// The same comparisons for 32-bit tick counts (a device's counter, a saved
// low word): the wrap comes every 2^32 ticks.
constexpr bool time_after32(u32 a, u32 b) { return s32(b - a) < 0; }
constexpr bool time_before32(u32 a, u32 b) { return time_after32(b, a); }

// Conversions round up, so a timeout of m ms never waits less than m ms.
constexpr unsigned long msecs_to_jiffies(unsigned int m) {
    if (int(m) < 0) return MAX_JIFFY_OFFSET;
    return (m + (MSEC_PER_SEC / HZ) - 1) / (MSEC_PER_SEC / HZ);
}
constexpr unsigned long usecs_to_jiffies(unsigned int u) {
    if (int(u) < 0) return MAX_JIFFY_OFFSET;
    return (u + (USEC_PER_SEC / HZ) - 1) / (USEC_PER_SEC / HZ);
}
constexpr unsigned long nsecs_to_jiffies(u64 n) { return n / (NSEC_PER_SEC / HZ); }
constexpr unsigned int jiffies_to_msecs(unsigned long j) { return unsigned(j * (MSEC_PER_SEC / HZ)); }
constexpr unsigned int jiffies_to_usecs(unsigned long j) { return unsigned(j * (USEC_PER_SEC / HZ)); }
constexpr u64 jiffies_to_nsecs(unsigned long j) { return u64(j) * TICK_NSEC; }
// Jiffies in the clock ticks user space counts (USER_HZ = 100: times(2)).
constexpr u64 jiffies_64_to_clock_t(u64 j) { return j * TICK_NSEC / (NSEC_PER_SEC / 100); }

// The jiffies clocksource: the clock of last resort, good to one tick.
void init_jiffies_clocksource();
