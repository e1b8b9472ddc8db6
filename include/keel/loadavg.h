// The load average (Linux's include/linux/sched/loadavg.h): exponentially
// decaying averages over 1, 5 and 15 minutes of the number of tasks running,
// runnable or in uninterruptible sleep, sampled every LOAD_FREQ.
#pragma once
#include <keel/jiffies.h>

constexpr unsigned FSHIFT = 11;               // bits of fraction
constexpr unsigned long FIXED_1 = 1ul << FSHIFT;
constexpr unsigned long LOAD_FREQ = 5 * HZ + 1;  // 5 s: off by a tick so it does not beat with other periodic work
constexpr unsigned long EXP_1 = 1884;          // 2048 / exp(5 s / 1 min)
constexpr unsigned long EXP_5 = 2014;          // 2048 / exp(5 s / 5 min)
constexpr unsigned long EXP_15 = 2037;         // 2048 / exp(5 s / 15 min)
constexpr unsigned long LOAD_INT(unsigned long x) { return x >> FSHIFT; }
constexpr unsigned long LOAD_FRAC(unsigned long x) { return LOAD_INT((x & (FIXED_1 - 1)) * 100); }

extern unsigned long avenrun[3];  // fixed point, FSHIFT bits of fraction
// Copies avenrun, adding offset and shifting left by shift (as Linux's get_avenrun).
void get_avenrun(unsigned long* loads, unsigned long offset, int shift);
// From do_timer, every jiffy: a new sample once LOAD_FREQ has passed.
void calc_global_load();
// The fold itself, exposed for the host test.
unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active);
