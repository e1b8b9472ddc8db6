// ktime_t: a point or span of time as signed 64-bit nanoseconds (Linux's
// include/linux/ktime.h). Signed so that differences of two times are plain
// subtractions; 2^63 ns is 292 years, so it never overflows in practice, but
// user-supplied values go through ktime_add_safe, which saturates at KTIME_MAX.
#pragma once
#include <keel/types.h>

using ktime_t = s64;

constexpr long MSEC_PER_SEC = 1000L;
constexpr long USEC_PER_MSEC = 1000L;
constexpr long USEC_PER_SEC = 1000000L;
constexpr long NSEC_PER_USEC = 1000L;
constexpr long NSEC_PER_MSEC = 1000000L;
constexpr long NSEC_PER_SEC = 1000000000L;

constexpr ktime_t KTIME_MAX = INT64_MAX;
constexpr s64 KTIME_SEC_MAX = KTIME_MAX / NSEC_PER_SEC;

// Clock ids (the values of uapi/linux/time.h: user space passes them to
// clock_gettime and nanosleep).
using clockid_t = int;
#ifndef CLOCK_REALTIME  // host tests get the same values as macros from <time.h>
enum : clockid_t {
    CLOCK_REALTIME = 0,
    CLOCK_MONOTONIC = 1,
    CLOCK_BOOTTIME = 7,
};
#endif

struct timespec64 {
    s64 tv_sec;
    long tv_nsec;  // 0..999999999 when valid
};

constexpr ktime_t ktime_set(s64 secs, unsigned long nsecs) {
    if (secs >= KTIME_SEC_MAX) return KTIME_MAX;
    return secs * NSEC_PER_SEC + s64(nsecs);
}
constexpr ktime_t ktime_add(ktime_t a, ktime_t b) { return a + b; }
constexpr ktime_t ktime_sub(ktime_t a, ktime_t b) { return a - b; }
constexpr ktime_t ktime_add_ns(ktime_t t, u64 ns) { return t + s64(ns); }
constexpr ktime_t ktime_sub_ns(ktime_t t, u64 ns) { return t - s64(ns); }
constexpr ktime_t ktime_add_us(ktime_t t, u64 us) { return t + s64(us * NSEC_PER_USEC); }
constexpr ktime_t ktime_add_ms(ktime_t t, u64 ms) { return t + s64(ms * NSEC_PER_MSEC); }
// a + b, but KTIME_MAX instead of wrapping into the past (a relative timeout
// from user space can be anything up to KTIME_MAX).
constexpr ktime_t ktime_add_safe(ktime_t a, ktime_t b) {
    ktime_t res;
    if (__builtin_add_overflow(a, b, &res)) return KTIME_MAX;
    return res;
}

constexpr s64 ktime_to_ns(ktime_t t) { return t; }
constexpr s64 ktime_to_us(ktime_t t) { return t / NSEC_PER_USEC; }
constexpr s64 ktime_to_ms(ktime_t t) { return t / NSEC_PER_MSEC; }
constexpr ktime_t ns_to_ktime(u64 ns) { return ktime_t(ns); }
constexpr ktime_t us_to_ktime(u64 us) { return ktime_t(us * NSEC_PER_USEC); }
constexpr ktime_t ms_to_ktime(u64 ms) { return ktime_t(ms * NSEC_PER_MSEC); }
constexpr s64 ktime_us_delta(ktime_t later, ktime_t earlier) { return ktime_to_us(later - earlier); }
constexpr s64 ktime_ms_delta(ktime_t later, ktime_t earlier) { return ktime_to_ms(later - earlier); }

constexpr int ktime_compare(ktime_t a, ktime_t b) { return a < b ? -1 : a > b ? 1 : 0; }
constexpr bool ktime_after(ktime_t a, ktime_t b) { return a > b; }
constexpr bool ktime_before(ktime_t a, ktime_t b) { return a < b; }

constexpr bool timespec64_valid(const timespec64& ts) {
    return ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC;
}
constexpr ktime_t timespec64_to_ktime(const timespec64& ts) { return ktime_set(ts.tv_sec, ts.tv_nsec); }
// Floor division, so that negative times get a tv_nsec in 0..NSEC_PER_SEC-1.
constexpr timespec64 ktime_to_timespec64(ktime_t t) {
    s64 sec = t / NSEC_PER_SEC;
    long nsec = long(t % NSEC_PER_SEC);
    if (nsec < 0) {
        sec--;
        nsec += NSEC_PER_SEC;
    }
    return {sec, nsec};
}

#include <keel/timekeeping.h>
