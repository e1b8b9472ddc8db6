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

namespace {

constexpr u64 NSEC_PER_SEC = 1000000000;

u32 read_seq_begin(const vdso_data* vd) {
    for (;;) {
        u32 seq = __atomic_load_n(&vd->seq, __ATOMIC_ACQUIRE);
        if (!(seq & 1)) return seq;
        asm volatile("pause");
    }
}

bool read_seq_retry(const vdso_data* vd, u32 seq) {
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return __atomic_load_n(&vd->seq, __ATOMIC_RELAXED) != seq;
}

// lfence keeps rdtsc from running ahead of the seq load before it (Linux's
// rdtsc_ordered); a TSC read early could predate cycle_last.
u64 rdtsc_ordered() {
    u32 lo, hi;
    asm volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (u64(hi) << 32) | lo;
}

// Same arithmetic as timekeeping_get_delta/timekeeping_delta_to_ns: a TSC a
// little behind cycle_last on this CPU counts as no time, never as going back.
bool do_hres(const vdso_data* vd, int clk, __kernel_timespec* ts) {
    u64 sec, ns;
    u32 seq;
    do {
        seq = read_seq_begin(vd);
        if (vd->clock_mode != VDSO_CLOCKMODE_TSC) return false;
        u64 delta = (rdtsc_ordered() - vd->cycle_last) & vd->mask;
        if (delta > (vd->mask >> 1)) delta = 0;
        const vdso_timestamp& base = vd->basetime[clk];
        sec = base.sec;
        ns = u64(((unsigned __int128)delta * vd->mult + base.nsec) >> vd->shift);
    } while (read_seq_retry(vd, seq));
    // ns is under a second plus the time since the last tick: a division
    // only runs when a tick was missed for long.
    if (ns >= NSEC_PER_SEC) {
        sec += ns / NSEC_PER_SEC;
        ns %= NSEC_PER_SEC;
    }
    ts->tv_sec = long(sec);
    ts->tv_nsec = long(ns);
    return true;
}

void do_coarse(const vdso_data* vd, int clk, __kernel_timespec* ts) {
    u32 seq;
    do {
        seq = read_seq_begin(vd);
        ts->tv_sec = long(vd->basetime[clk].sec);
        ts->tv_nsec = long(vd->basetime[clk].nsec);
    } while (read_seq_retry(vd, seq));
}

}  // namespace

extern "C" {

int __vdso_clock_gettime(int clock, __kernel_timespec* ts) {
    const vdso_data* vd = &vvar_page;
    switch (clock) {
    case VDSO_CLOCK_REALTIME:
    case VDSO_CLOCK_MONOTONIC:
    case VDSO_CLOCK_BOOTTIME:
        if (do_hres(vd, clock, ts)) return 0;
        break;
    case VDSO_CLOCK_REALTIME_COARSE:
    case VDSO_CLOCK_MONOTONIC_COARSE:
        do_coarse(vd, clock, ts);
        return 0;
    }
    return int(vdso_syscall2(__NR_clock_gettime, clock, long(ts)));
}

int __vdso_gettimeofday(__kernel_old_timeval* tv, struct timezone* tz) {
    const vdso_data* vd = &vvar_page;
    if (tv) {
        __kernel_timespec ts;
        if (!do_hres(vd, VDSO_CLOCK_REALTIME, &ts))
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
