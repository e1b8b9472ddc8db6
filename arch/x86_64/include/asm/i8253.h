// The 8253/8254 programmable interval timer (Linux's asm/i8253.h): three
// 16-bit down-counters fed by a 1.193182 MHz clock. Channel 0 drives IRQ 0 and
// is Keel's fallback clock event device; channel 2, whose output is readable in
// port 0x61, runs free as a 16-bit clocksource when there is no HPET.
#pragma once
#include <keel/types.h>

constexpr u32 PIT_TICK_RATE = 1193182;
constexpr u16 PIT_CH0 = 0x40, PIT_CH2 = 0x42, PIT_MODE = 0x43, PIT_PORT_B = 0x61;

// Registers the "pit" clock event device on channel 0 with IRQ 0 (the global
// tick until each CPU's LAPIC timer takes over). False if the IRQ is not
// available.
bool pit_timer_init();
// Registers channel 2 as the "pit" clocksource.
void pit_clocksource_init();
