// Time values crossing the system-call boundary (include/uapi/linux/time_types.h,
// time.h): 64-bit seconds everywhere on x86_64.
#pragma once
#include <keel/types.h>
#include <stddef.h>

struct __kernel_timespec {
    s64 tv_sec;
    long tv_nsec;
};
static_assert(sizeof(__kernel_timespec) == 16 && offsetof(__kernel_timespec, tv_nsec) == 8);

struct __kernel_old_timeval {
    long tv_sec;
    long tv_usec;
};
static_assert(sizeof(__kernel_old_timeval) == 16 && offsetof(__kernel_old_timeval, tv_usec) == 8);

struct timezone {
    int tz_minuteswest;
    int tz_dsttime;
};
static_assert(sizeof(timezone) == 8);

// times(2) (include/uapi/linux/times.h), in clock ticks (USER_HZ = 100).
struct tms {
    long tms_utime, tms_stime, tms_cutime, tms_cstime;
};
static_assert(sizeof(tms) == 32 && offsetof(tms, tms_cstime) == 24);

constexpr int TIMER_ABSTIME = 0x01;  // clock_nanosleep flag
constexpr long USER_HZ = 100;        // what times() and AT_CLKTCK count in
