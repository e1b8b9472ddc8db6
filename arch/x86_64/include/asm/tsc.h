// The time-stamp counter (Linux's asm/tsc.h): a per-CPU 64-bit cycle counter.
// It gives sched_clock() (printk timestamps, scheduler accounting), the delay
// loops, and the best clocksource ("tsc", rating 300).
#pragma once
#include <keel/types.h>

extern "C" u64 tsc_boot_start;  // TSC at startup_32: time zero for printk and boot timing
extern unsigned long tsc_khz;

// Quick calibration against the PIT (setup_arch). Until it has run, sched_clock() is 0.
void tsc_early_init();
// Refines the frequency against the HPET (or the PIT clocksource) and registers
// the "tsc" clocksource (time_init).
void tsc_init();
// Nanoseconds since kernel entry.
u64 sched_clock();
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);

// x86's time_init: the clocksources (HPET or PIT, then TSC), the PIT clock
// event device and the boot CPU's LAPIC timer, and the wall clock from the RTC.
// Needs the IRQ layer (request_irq) and timekeeping_init/hrtimers_init done.
void time_init();

// The LAPIC timer (apic_timer.cpp; Linux declares these in asm/apic.h):
// calibrates it and makes it the boot CPU's tick device (from time_init) ...
void setup_boot_APIC_clock();
// ... and each other CPU's, on that CPU as it starts (before it enables IRQs).
void setup_secondary_APIC_clock();
