// clock_gettime, gettimeofday and time without entering the kernel (Linux's
// lib/vdso/gettimeofday.c and arch/x86/entry/vdso/vclock_gettime.c). Runs in
// user mode inside every process: no kernel symbols, no relocations, no stack
// protector, no SSE. It reads the data page (vdso_data) under its sequence
// count and converts the TSC cycles since the last tick with the same mult and
// shift the kernel's timekeeping uses, so both give the same nanosecond.
// When the current clocksource cannot be read from user mode, or for a clock it
// does not compute, it makes the system call instead.
#include "vdso_data.h"

#include <uapi/asm/unistd_64.h>
#include <uapi/linux/time_types.h>
#include <vdso/gettimeofday.h>

namespace {

bool hres(const vdso_data* vd, int clk, __kernel_timespec* ts) {
    u64 sec, nsec;
    if (!vdso::do_hres(vd, clk, &sec, &nsec)) return false;
    ts->tv_sec = s64(sec);
    ts->tv_nsec = long(nsec);
    return true;
}

}  // namespace

extern "C" {

int __vdso_clock_gettime(int clock, __kernel_timespec* ts) {
    const vdso_data* vd = &vvar_page;
    switch (clock) {
    case VDSO_CLOCK_REALTIME:
    case VDSO_CLOCK_MONOTONIC:
    case VDSO_CLOCK_BOOTTIME:
        if (hres(vd, clock, ts)) return 0;
        break;
    case VDSO_CLOCK_REALTIME_COARSE:
    case VDSO_CLOCK_MONOTONIC_COARSE: {
        u64 sec, nsec;
        vdso::do_coarse(vd, clock, &sec, &nsec);
        ts->tv_sec = s64(sec);
        ts->tv_nsec = long(nsec);
        return 0;
    }
    }
    return int(vdso_syscall2(__NR_clock_gettime, clock, long(ts)));
}

int __vdso_gettimeofday(__kernel_old_timeval* tv, struct timezone* tz) {
    const vdso_data* vd = &vvar_page;
    if (tv) {
        __kernel_timespec ts;
        if (!hres(vd, VDSO_CLOCK_REALTIME, &ts))
            return int(vdso_syscall2(__NR_gettimeofday, long(tv), long(tz)));
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    if (tz) {
        tz->tz_minuteswest = vd->tz_minuteswest;
        tz->tz_dsttime = vd->tz_dsttime;
    }
    return 0;
}

// The seconds of the last tick, as Linux's vDSO time() returns (it may trail
// gettimeofday by up to a tick at a second's boundary, as in Linux).
long __vdso_time(long* t) {
    long secs = long(__atomic_load_n(&vvar_page.basetime[VDSO_CLOCK_REALTIME].sec, __ATOMIC_RELAXED));
    if (t) *t = secs;
    return secs;
}

int clock_gettime(int, __kernel_timespec*) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(__kernel_old_timeval*, struct timezone*) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long*) __attribute__((weak, alias("__vdso_time")));

}  // extern "C"
