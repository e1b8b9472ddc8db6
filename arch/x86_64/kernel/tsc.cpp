// TSC calibration against the 8254 PIT, whose input clock is a fixed 1.193182 MHz:
// let PIT channel 2 count down a known interval and see how far the TSC moved.
#define pr_fmt(fmt) "tsc: " fmt
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/printk.h>

unsigned long tsc_khz;
// ns = cycles * cyc2ns_mul >> 32: a multiply instead of a 128-bit division per read.
static u64 cyc2ns_mul;

namespace {

constexpr unsigned long PIT_TICK_RATE = 1193182;
constexpr unsigned CAL_MS = 10;
constexpr u16 PIT_CH2 = 0x42, PIT_MODE = 0x43, PORT_B = 0x61;

// Channel 2's gate is bit 0 of port 0x61 and its output is readable in bit 5,
// so the TSC can be sampled exactly when the countdown ends.
unsigned long pit_calibrate_tsc() {
    outb((inb(PORT_B) & ~0x02) | 0x01, PORT_B);  // gate on, speaker off
    outb(0xb0, PIT_MODE);                        // channel 2, lobyte/hibyte, mode 0
    constexpr unsigned latch = PIT_TICK_RATE / (1000 / CAL_MS);
    outb(latch & 0xff, PIT_CH2);
    outb(latch >> 8, PIT_CH2);
    u64 start = rdtsc();
    unsigned long loops = 0;
    while (!(inb(PORT_B) & 0x20)) loops++;
    u64 delta = rdtsc() - start;
    if (loops < 2) return 0;  // the output never went low: no working PIT
    return delta / CAL_MS;
}

}  // namespace

void tsc_early_init() {
    unsigned long khz = pit_calibrate_tsc();
    if (!khz) {
        pr_warn("Fast TSC calibration failed, assuming 1 GHz\n");
        khz = 1000000;
    }
    tsc_khz = khz;
    cyc2ns_mul = (1000000ull << 32) / khz;
    pr_info("Detected %lu.%03lu MHz processor\n", khz / 1000, khz % 1000);
}

u64 sched_clock() {
    if (!cyc2ns_mul) return 0;
    unsigned __int128 cycles = rdtsc() - tsc_boot_start;
    return u64((cycles * cyc2ns_mul) >> 32);
}

void udelay(unsigned long usecs) {
    unsigned long khz = tsc_khz ? tsc_khz : 1000000;
    u64 end = rdtsc() + u64(usecs) * khz / 1000;
    while (rdtsc() < end) cpu_relax();
}

void mdelay(unsigned long msecs) {
    while (msecs--) udelay(1000);
}
