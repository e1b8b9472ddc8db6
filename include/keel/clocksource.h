// Clocksources: free-running counters the kernel reads to tell the time (Linux's
// include/linux/clocksource.h). Each says how to read it, how many bits it has
// (mask) and how good it is (rating); registration turns its frequency into a
// mult/shift pair so that ns = (cycles * mult) >> shift, a multiply and a shift
// instead of a division on every read. Timekeeping uses the best-rated one.
//
// Ratings, as Linux uses them: 1-99 unfit for real use (jiffies is 1), 100-199
// base level (PIT 110), 200-299 good (HPET 250), 300-399 desired (TSC 300),
// 400-499 perfect.
#pragma once
#include <keel/types.h>
#include <lib/list.h>
#include <vdso/clocksource.h>

enum : unsigned long {
    CLOCK_SOURCE_IS_CONTINUOUS = 0x01,    // counts even when the CPU idles
    CLOCK_SOURCE_MUST_VERIFY = 0x02,      // Linux's watchdog would cross-check it (TSC)
    CLOCK_SOURCE_VALID_FOR_HRES = 0x20,   // fine enough for high-resolution timers
};

struct clocksource {
    u64 (*read)(clocksource* cs);
    u64 mask;          // CLOCKSOURCE_MASK(bits): where the counter wraps
    u32 mult;
    u32 shift;
    u64 max_idle_ns;   // longest time between two reads before the counter may wrap
    u32 maxadj;        // largest correction NTP may apply to mult (11%)
    u64 max_cycles;    // cycles that still convert without overflowing
    const char* name;
    list_head list;
    int rating;
    unsigned long flags;
    ::vdso_clock_mode vdso_clock_mode;  // whether the vDSO may read it (NONE: it makes the system call)
};

constexpr u64 CLOCKSOURCE_MASK(unsigned bits) { return bits < 64 ? (1ull << bits) - 1 : ~0ull; }

static inline s64 clocksource_cyc2ns(u64 cycles, u32 mult, u32 shift) { return s64((cycles * mult) >> shift); }

// The mult/shift pair converting a `from` Hz count to a `to` Hz count with the
// most precision such that `maxsec` seconds' worth of `from` cycles times mult
// still fits in 64 bits.
void clocks_calc_mult_shift(u32* mult, u32* shift, u32 from, u32 to, u32 maxsec);
// Nanoseconds a clocksource can run between reads (half of what fits, as a
// safety margin); *max_cyc gets the matching cycle count.
u64 clocks_calc_max_nsecs(u32 mult, u32 shift, u32 maxadj, u64 mask, u64* max_cyc);
// Fills in mult/shift (when freq != 0), maxadj, max_cycles and max_idle_ns.
// `scale` is 1 for Hz and 1000 for kHz.
void __clocksource_update_freq_scale(clocksource* cs, u32 scale, u32 freq);

// Registers cs (mult/shift from the frequency; freq 0 means the caller set
// mult/shift), prints Linux's "clocksource: <name>: mask: ..." line and, once
// booting is done, switches timekeeping to it if it is the best.
int __clocksource_register_scale(clocksource* cs, u32 scale, u32 freq);
static inline int clocksource_register_hz(clocksource* cs, u32 hz) { return __clocksource_register_scale(cs, 1, hz); }
static inline int clocksource_register_khz(clocksource* cs, u32 khz) { return __clocksource_register_scale(cs, 1000, khz); }
static inline int __clocksource_register(clocksource* cs) { return __clocksource_register_scale(cs, 1, 0); }

// Lets the best clocksource take over from jiffies (Linux does this at fs_initcall
// time, so early drivers cannot pull timekeeping back and forth).
void clocksource_done_booting();
// The best registered clocksource, or nullptr.
clocksource* clocksource_best();
