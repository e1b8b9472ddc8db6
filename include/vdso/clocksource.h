// Whether user space may read a clocksource itself (Linux's include/vdso/clocksource.h).
// A clocksource names its mode; timekeeping publishes the current one's in the
// vDSO data page, and the vDSO makes the system call when it is NONE.
#pragma once

enum vdso_clock_mode : int {
    VDSO_CLOCKMODE_NONE = 0,  // only the kernel can read it (HPET, PIT, jiffies)
    VDSO_CLOCKMODE_TSC = 1,   // rdtsc, allowed in user mode
};
