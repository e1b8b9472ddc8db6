// The time-stamp counter: Keel's clock until the clocksource framework (issue 3).
#pragma once
#include <keel/types.h>

extern "C" u64 tsc_boot_start;  // TSC at startup_32: time zero for printk and boot timing
extern unsigned long tsc_khz;

// Measures the TSC frequency against the PIT. Until it has run, sched_clock() is 0.
void tsc_early_init();
// Nanoseconds since kernel entry.
u64 sched_clock();
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);
