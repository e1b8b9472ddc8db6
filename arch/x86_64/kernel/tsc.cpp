// TSC calibration, sched_clock, delays and the "tsc" clocksource (Linux's
// arch/x86/kernel/tsc.c).
//
// Calibration happens twice, as in Linux: early, against PIT channel 2 over
// 10 ms, so printk has timestamps from the start; then in time_init against
// the best clocksource there is (HPET, else the PIT) over 50 ms, which is
// more precise, before the TSC becomes a clocksource itself. The LAPIC timer
// is then calibrated against the refined TSC.
#define pr_fmt(fmt) "tsc: " fmt
#include <asm/apic.h>
#include <asm/hpet.h>
#include <asm/i8253.h>
#include <asm/io.h>
#include <asm/mc146818rtc.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/clocksource.h>
#include <keel/printk.h>

unsigned long tsc_khz;

namespace {

// sched_clock = cyc2ns_offset + (tsc - cyc2ns_base) * cyc2ns_mul >> 32: a
// multiply instead of a 128-bit division per read. Offset and base keep the
// clock continuous when the refined frequency changes mul.
u64 cyc2ns_mul, cyc2ns_base, cyc2ns_offset;

constexpr unsigned CAL_MS = 10;

// Channel 2's gate is bit 0 of port 0x61 and its output is readable in bit 5,
// so the TSC can be sampled exactly when the countdown ends.
unsigned long pit_calibrate_tsc() {
    outb((inb(PIT_PORT_B) & ~0x02) | 0x01, PIT_PORT_B);  // gate on, speaker off
    outb(0xb0, PIT_MODE);                                // channel 2, lobyte/hibyte, mode 0
    constexpr unsigned latch = PIT_TICK_RATE / (1000 / CAL_MS);
    outb(latch & 0xff, PIT_CH2);
    outb(latch >> 8, PIT_CH2);
    u64 start = rdtsc();
    unsigned long loops = 0;
    while (!(inb(PIT_PORT_B) & 0x20)) loops++;
    u64 delta = rdtsc() - start;
    if (loops < 2) return 0;  // the output never went low: no working PIT
    return delta / CAL_MS;
}

void set_cyc2ns_scale(unsigned long khz) {
    u64 tsc = rdtsc();
    u64 now = sched_clock();
    cyc2ns_base = tsc;
    cyc2ns_offset = now;
    cyc2ns_mul = (1000000ull << 32) / khz;
}

// Counts TSC cycles against `ref` for `ms` milliseconds of its time. The
// reference is read often, so even the PIT's 16-bit counter (55 ms to wrap)
// serves: only deltas between neighbouring reads are summed.
unsigned long calibrate_against(clocksource* ref, u32 ref_hz, unsigned ms) {
    u64 target = u64(ref_hz) * ms / 1000;
    u64 elapsed = 0;
    u64 last = ref->read(ref);
    u64 tsc_start = rdtsc();
    while (elapsed < target) {
        u64 now = ref->read(ref);
        elapsed += (now - last) & ref->mask;
        last = now;
    }
    u64 tsc_delta = rdtsc() - tsc_start;
    // At most a second of a 10 GHz TSC times a 100 MHz reference: fits 64 bits.
    return (unsigned long)(tsc_delta * ref_hz / elapsed / 1000);
}

// Three short measurements and their median: a sample that the host (or an
// SMI) interrupted between the two counter reads is an outlier and is dropped,
// which is what a single long window buys, at half the boot time.
unsigned long calibrate_median(clocksource* ref, u32 ref_hz) {
    unsigned long a = calibrate_against(ref, ref_hz, 8);
    unsigned long b = calibrate_against(ref, ref_hz, 8);
    unsigned long c = calibrate_against(ref, ref_hz, 8);
    if (a > b) {
        unsigned long t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

u64 read_tsc(clocksource*) { return rdtsc(); }

clocksource clocksource_tsc = {
    .read = read_tsc,
    .mask = CLOCKSOURCE_MASK(64),
    .name = "tsc",
    .rating = 300,
    .flags = CLOCK_SOURCE_IS_CONTINUOUS | CLOCK_SOURCE_MUST_VERIFY,
    .vdso_clock_mode = VDSO_CLOCKMODE_TSC,
};

}  // namespace

void tsc_early_init() {
    unsigned long khz = pit_calibrate_tsc();
    if (!khz) {
        pr_warn("Fast TSC calibration failed, assuming 1 GHz\n");
        khz = 1000000;
    }
    tsc_khz = khz;
    cyc2ns_base = tsc_boot_start;  // sched_clock counts from kernel entry
    cyc2ns_mul = (1000000ull << 32) / khz;
    pr_info("Detected %lu.%03lu MHz processor\n", khz / 1000, khz % 1000);
}

void tsc_init() {
    clocksource* ref = clocksource_best();
    u32 ref_hz = hpet_freq ? u32(hpet_freq) : PIT_TICK_RATE;
    if (ref && ref->rating >= 100) {
        unsigned long khz = calibrate_median(ref, ref_hz);
        // Linux keeps the early value when the two differ by more than 1%;
        // Keel trusts the median measurement against a counter it reads
        // directly (QEMU's PIT output bit, used early, can be a third off),
        // and says so.
        if (khz > tsc_khz + tsc_khz / 100 || khz < tsc_khz - tsc_khz / 100)
            pr_warn("Early calibration was off: %lu kHz, %s says %lu kHz\n", tsc_khz, ref->name, khz);
        if (khz) {
            tsc_khz = khz;
            set_cyc2ns_scale(khz);
            pr_info("Refined TSC clocksource calibration: %lu.%03lu MHz\n", khz / 1000, khz % 1000);
        }
    }
    clocksource_register_khz(&clocksource_tsc, u32(tsc_khz));
}

u64 sched_clock() {
    if (!cyc2ns_mul) return 0;
    unsigned __int128 cycles = rdtsc() - cyc2ns_base;
    return cyc2ns_offset + u64((cycles * cyc2ns_mul) >> 32);
}

void udelay(unsigned long usecs) {
    unsigned long khz = tsc_khz ? tsc_khz : 1000000;
    u64 end = rdtsc() + u64(usecs) * khz / 1000;
    while (rdtsc() < end) cpu_relax();
}

void mdelay(unsigned long msecs) {
    while (msecs--) udelay(1000);
}

// Lives with the TSC, the last clock it sets up (Linux: arch/x86/kernel/time.c).
void time_init() {
    if (!hpet_enable()) pit_clocksource_init();
    pit_timer_init();
    tsc_init();
    setup_boot_APIC_clock();
    rtc_hctosys();
}
