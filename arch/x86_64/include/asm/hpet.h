// The High Precision Event Timer (Linux's asm/hpet.h): a memory-mapped counter
// of at least 10 MHz (QEMU: 100 MHz) with a few comparators. Keel uses its main
// counter as a clocksource and to calibrate the TSC; its comparators are left
// alone (the PIT and the LAPIC timer provide the clock events).
#pragma once
#include <keel/types.h>

enum : u32 {
    HPET_ID = 0x000,       // bits 63-32: period in femtoseconds; 12-8: comparators - 1
    HPET_CFG = 0x010,
    HPET_COUNTER = 0x0f0,
};
constexpr u64 HPET_ID_64BIT = 1ull << 13;
constexpr u64 HPET_CFG_ENABLE = 1ull << 0;

// Finds the HPET in ACPI, maps and starts it and registers the "hpet"
// clocksource. False when there is none or it does not count.
bool hpet_enable();
// Counter frequency in Hz (0 without an HPET).
extern unsigned long hpet_freq;
