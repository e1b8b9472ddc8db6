// The data page the kernel shares read-only with every process (Linux's
// include/vdso/datapage.h, the "vvar" page): what the vDSO needs to tell the
// time without entering the kernel. Built into both the kernel and the vDSO, so
// it holds only fixed-width fields and has one layout in both.
//
// A reader computes, for clock `id` with high resolution:
//   ns  = (basetime[id].nsec + ((rdtsc - cycle_last) & mask) * mult) >> shift
//   now = basetime[id].sec s + ns
// basetime[id].nsec is shifted left by `shift` (it carries the timekeeper's
// sub-nanosecond remainder). The coarse clocks' entries hold plain nanoseconds
// at the last tick. All of it is valid only while `seq` is even and unchanged.
#pragma once
#include <keel/types.h>
#include <vdso/clocksource.h>

// Indexed by clockid, as Linux does; the slots of clocks the vDSO does not
// compute (CPU-time clocks, MONOTONIC_RAW, alarms, TAI) stay unused.
constexpr unsigned VDSO_BASES = 12;  // CLOCK_TAI + 1
constexpr int VDSO_CLOCK_REALTIME = 0, VDSO_CLOCK_MONOTONIC = 1, VDSO_CLOCK_REALTIME_COARSE = 5,
              VDSO_CLOCK_MONOTONIC_COARSE = 6, VDSO_CLOCK_BOOTTIME = 7;

struct vdso_timestamp {
    u64 sec;
    u64 nsec;
};

struct vdso_data {
    u32 seq;         // odd while the kernel rewrites the page
    s32 clock_mode;  // vdso_clock_mode of the current clocksource
    u64 cycle_last;  // counter value the bases were taken at
    u64 mask;
    u32 mult;
    u32 shift;
    vdso_timestamp basetime[VDSO_BASES];
    s32 tz_minuteswest;  // for gettimeofday's struct timezone (always 0: Keel has no settimeofday tz)
    s32 tz_dsttime;
};
