// jiffies and the jiffies clocksource (Linux's kernel/time/jiffies.c).
#include <keel/clocksource.h>
#include <keel/jiffies.h>

// One word, two names: Linux's linker script says `jiffies = jiffies_64`.
extern "C" {
__aligned(64) u64 jiffies_64 = INITIAL_JIFFIES;
extern volatile unsigned long jiffies __attribute__((alias("jiffies_64")));
}

namespace {

// A jiffy is TICK_NSEC ns; the shift keeps a little precision should NTP ever
// adjust mult (as in Linux: JIFFIES_SHIFT 8).
constexpr u32 JIFFIES_SHIFT = 8;

u64 jiffies_read(clocksource*) { return jiffies; }

clocksource clocksource_jiffies = {
    .read = jiffies_read,
    .mask = CLOCKSOURCE_MASK(32),
    .mult = u32(TICK_NSEC << JIFFIES_SHIFT),
    .shift = JIFFIES_SHIFT,
    .name = "jiffies",
    .rating = 1,  // the clock of last resort
};

}  // namespace

clocksource* clocksource_default_clock() { return &clocksource_jiffies; }

void init_jiffies_clocksource() { __clocksource_register(&clocksource_jiffies); }
