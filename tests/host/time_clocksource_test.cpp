// kernel/time/clocksource: the mult/shift arithmetic against exact conversion
// over a range of frequencies, the limits Linux prints for known clocks
// (jiffies at HZ=250, the notes' 24 MHz HPET), and selection
// by rating once booting is done.
#include <gtest/gtest.h>
#include <cmath>
#include <vector>

#include <keel/clocksource.h>
#include <keel/jiffies.h>

namespace {
std::vector<clocksource*> notified;
}  // namespace

// What timekeeping would do on a switch; the tests only record it.
int timekeeping_notify(clocksource* clock) {
    notified.push_back(clock);
    return 0;
}

namespace {

u64 read_zero(clocksource*) { return 0; }

TEST(ClocksMultShift, ConvertsWithinAPartPerMillion) {
    const u32 freqs[] = {32768, 1193182, 3579545, 14318180, 25000000, 100000000,
                         1000000000, 2100000000, 3000000000u, 4000000000u};
    for (u32 freq : freqs) {
        u32 mult, shift;
        // A counter that runs for 600 s between reads, as for a 64-bit TSC.
        clocks_calc_mult_shift(&mult, &shift, freq, NSEC_PER_SEC, 600);
        ASSERT_GT(mult, 0u) << freq;
        u64 cycles = u64(freq) * 600;  // the longest span: must not overflow
        ASSERT_LE(cycles, ~0ull / mult) << freq;
        for (u64 c : {u64(freq), u64(freq) / 1000, cycles}) {
            double exact = double(c) * 1e9 / freq;
            double got = double(clocksource_cyc2ns(c, mult, shift));
            EXPECT_NEAR(got, exact, exact * 1e-6 + 1) << "freq " << freq << " cycles " << c;
        }
    }
}

TEST(ClocksMultShift, ShortMaxsecGivesMorePrecision) {
    u32 m1, s1, m2, s2;
    clocks_calc_mult_shift(&m1, &s1, 1000000000, NSEC_PER_SEC, 600);
    clocks_calc_mult_shift(&m2, &s2, 1000000000, NSEC_PER_SEC, 1);
    EXPECT_GE(s2, s1);
    // 1 GHz to ns is exactly 1: mult == 1 << shift either way.
    EXPECT_EQ(u64(m1), 1ull << s1);
    EXPECT_EQ(u64(m2), 1ull << s2);
}

// Linux prints "clocksource: jiffies: mask: 0xffffffff max_cycles: 0xffffffff,
// max_idle_ns: 7645041785100000 ns" with HZ=250.
TEST(Clocksource, JiffiesLimitsMatchLinux) {
    clocksource cs = {.read = read_zero, .mask = CLOCKSOURCE_MASK(32), .mult = u32(TICK_NSEC << 8), .shift = 8,
                      .name = "jiffies", .rating = 1};
    __clocksource_update_freq_scale(&cs, 1, 0);
    EXPECT_EQ(cs.max_cycles, 0xffffffffull);
    EXPECT_EQ(cs.max_idle_ns, 7645041785100000ull);
}

// The notes' dmesg: "clocksource: hpet: mask: 0xffffffff max_cycles: 0xffffffff,
// max_idle_ns: 79635855245 ns". That machine's HPET has a period of 41666668 fs
// (24 MHz, as on recent Intel chipsets), which Linux turns into 23999999 Hz.
TEST(Clocksource, HpetLimitsMatchLinux) {
    clocksource cs = {.read = read_zero, .mask = CLOCKSOURCE_MASK(32), .name = "hpet", .rating = 250};
    __clocksource_update_freq_scale(&cs, 1, u32(1000000000000000ull / 41666668));
    EXPECT_EQ(cs.max_cycles, 0xffffffffull);
    EXPECT_EQ(cs.max_idle_ns, 79635855245ull);
}

TEST(Clocksource, BestRatingWinsOnceBootingIsDone) {
    static clocksource a = {.read = read_zero, .mask = CLOCKSOURCE_MASK(32), .name = "a", .rating = 110};
    static clocksource b = {.read = read_zero, .mask = CLOCKSOURCE_MASK(64), .name = "b", .rating = 300,
                            .flags = CLOCK_SOURCE_IS_CONTINUOUS};
    static clocksource c = {.read = read_zero, .mask = CLOCKSOURCE_MASK(32), .name = "c", .rating = 250};
    notified.clear();
    clocksource_register_hz(&a, 1193182);
    clocksource_register_khz(&b, 2000000);
    EXPECT_TRUE(notified.empty());  // still booting: timekeeping stays where it is
    clocksource_done_booting();
    ASSERT_EQ(notified.size(), 1u);
    EXPECT_EQ(notified.back(), &b);
    // A worse one afterwards changes nothing.
    clocksource_register_hz(&c, 100000000);
    EXPECT_EQ(notified.size(), 1u);
    EXPECT_EQ(clocksource_best(), &b);
    EXPECT_TRUE(b.flags & CLOCK_SOURCE_VALID_FOR_HRES);
    EXPECT_FALSE(a.flags & CLOCK_SOURCE_VALID_FOR_HRES);
}

}  // namespace
