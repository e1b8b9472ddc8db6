// Reading the clocks from the vDSO data page (Linux's lib/vdso/gettimeofday.c):
// shared by the vDSO, which runs it in user mode, and the vdso ktest, which
// runs the same code in the kernel against ktime_get_*. Header-only and free
// of kernel symbols, since the vDSO links nothing else.
#pragma once
#include <vdso/datapage.h>

namespace vdso {

constexpr u64 NSEC_PER_SEC = 1000000000;

inline u32 read_seq_begin(const vdso_data* vd) {
    for (;;) {
        u32 seq = __atomic_load_n(&vd->seq, __ATOMIC_ACQUIRE);
        if (!(seq & 1)) return seq;
        asm volatile("pause");
    }
}

inline bool read_seq_retry(const vdso_data* vd, u32 seq) {
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return __atomic_load_n(&vd->seq, __ATOMIC_RELAXED) != seq;
}

// lfence keeps rdtsc from running ahead of the seq load before it (Linux's
// rdtsc_ordered); a TSC read early could predate cycle_last.
inline u64 rdtsc_ordered() {
    u32 lo, hi;
    asm volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (u64(hi) << 32) | lo;
}

// Clock clk (REALTIME, MONOTONIC or BOOTTIME) as seconds and nanoseconds, with
// timekeeping's own arithmetic (timekeeping_get_delta, timekeeping_delta_to_ns):
// a TSC a little behind cycle_last on this CPU counts as no time, never as
// going back. False when the clocksource is not the TSC: the caller must ask
// the kernel.
inline bool do_hres(const vdso_data* vd, int clk, u64* sec_out, u64* nsec_out) {
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
    // ns is under a second plus the time since the last tick: the division
    // runs only when ticks were missed for long.
    if (ns >= NSEC_PER_SEC) {
        sec += ns / NSEC_PER_SEC;
        ns %= NSEC_PER_SEC;
    }
    *sec_out = sec;
    *nsec_out = ns;
    return true;
}

// A coarse clock: its time at the last tick.
inline void do_coarse(const vdso_data* vd, int clk, u64* sec, u64* nsec) {
    u32 seq;
    do {
        seq = read_seq_begin(vd);
        *sec = vd->basetime[clk].sec;
        *nsec = vd->basetime[clk].nsec;
    } while (read_seq_retry(vd, seq));
}

}  // namespace vdso
