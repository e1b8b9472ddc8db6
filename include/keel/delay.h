// Waiting (Linux's include/linux/delay.h). Two kinds:
//   udelay/mdelay/ndelay spin on the TSC: for short waits, in any context;
//   msleep/usleep_range/ssleep sleep: the CPU runs other tasks meanwhile, only
//   from task context, and they may take longer than asked, never shorter.
#pragma once
#include <asm/tsc.h>

// Sleeps at least msecs ms (on the jiffy grid: up to a jiffy longer).
void msleep(unsigned int msecs);
// As msleep, but woken tasks return early with the ms left (no signals yet: 0).
unsigned long msleep_interruptible(unsigned int msecs);
static inline void ssleep(unsigned int seconds) { msleep(seconds * 1000); }
// Sleeps between min and max µs on an hrtimer; the range lets the wake-up share
// an interrupt with other timers.
void usleep_range(unsigned long min, unsigned long max);
