// ktime and jiffies conversions, wrap-safe jiffies comparisons, and the RTC
// path: MC146818 register decoding (BCD/binary, 12/24 h) and mktime64 against
// known dates.
#include <gtest/gtest.h>

#include <asm/mc146818rtc.h>
#include <keel/jiffies.h>
#include <keel/ktime.h>

namespace {

TEST(Ktime, Conversions) {
    EXPECT_EQ(ms_to_ktime(5), 5000000);
    EXPECT_EQ(us_to_ktime(7), 7000);
    EXPECT_EQ(ktime_set(2, 5), 2000000005);
    EXPECT_EQ(ktime_to_ms(ktime_set(3, 999999999)), 3999);
    EXPECT_EQ(ktime_add_ns(10, 5), 15);
    EXPECT_EQ(ktime_set(KTIME_SEC_MAX + 1, 0), KTIME_MAX);
    EXPECT_EQ(ktime_add_safe(KTIME_MAX - 5, 10), KTIME_MAX);
    EXPECT_EQ(ktime_add_safe(100, 10), 110);
    timespec64 ts = ktime_to_timespec64(-1);
    EXPECT_EQ(ts.tv_sec, -1);
    EXPECT_EQ(ts.tv_nsec, 999999999);
    EXPECT_EQ(timespec64_to_ktime(ktime_to_timespec64(123456789012)), 123456789012);
    EXPECT_FALSE(timespec64_valid({0, 1000000000}));
    EXPECT_FALSE(timespec64_valid({0, -1}));
}

TEST(Jiffies, InitialValueWrapsFiveMinutesAfterBoot) {
    EXPECT_EQ(INITIAL_JIFFIES, 0xfffedb08ul);
    EXPECT_EQ(u32(INITIAL_JIFFIES + 300 * HZ), 0u);
    EXPECT_EQ(TICK_NSEC, 4000000u);
}

TEST(Jiffies, ConversionsRoundUp) {
    EXPECT_EQ(msecs_to_jiffies(0), 0ul);
    EXPECT_EQ(msecs_to_jiffies(1), 1ul);
    EXPECT_EQ(msecs_to_jiffies(4), 1ul);
    EXPECT_EQ(msecs_to_jiffies(5), 2ul);
    EXPECT_EQ(msecs_to_jiffies(1000), HZ);
    EXPECT_EQ(msecs_to_jiffies(-1u), MAX_JIFFY_OFFSET);
    EXPECT_EQ(usecs_to_jiffies(4001), 2ul);
    EXPECT_EQ(jiffies_to_msecs(HZ), 1000u);
    EXPECT_EQ(jiffies_to_usecs(1), 4000u);
    EXPECT_EQ(nsecs_to_jiffies(7999999), 1ul);
    EXPECT_EQ(jiffies_to_nsecs(3), 12000000u);
}

TEST(Jiffies, ComparisonsSurviveTheWrap) {
    unsigned long before_wrap = ~0ul - 10, after_wrap = 5;
    EXPECT_TRUE(time_after(after_wrap, before_wrap));
    EXPECT_TRUE(time_before(before_wrap, after_wrap));
    EXPECT_TRUE(time_after_eq(after_wrap, after_wrap));
    EXPECT_FALSE(time_after(after_wrap, after_wrap));
    EXPECT_TRUE(time_in_range(0, before_wrap, after_wrap));
    EXPECT_TRUE(time_after32(3u, 0xfffffff0u));  // 32-bit counters wrap at 2^32
    EXPECT_TRUE(time_before32(0xfffffff0u, 3u));
}

TEST(Mktime64, KnownDates) {
    EXPECT_EQ(mktime64(1970, 1, 1, 0, 0, 0), 0);
    EXPECT_EQ(mktime64(1999, 12, 31, 23, 59, 59), 946684799);
    EXPECT_EQ(mktime64(2000, 3, 1, 0, 0, 0), 951868800);  // after a century leap day
    EXPECT_EQ(mktime64(2024, 2, 29, 12, 0, 0), 1709208000);
    EXPECT_EQ(mktime64(2026, 11, 24, 21, 40, 0), 1795556400);
    EXPECT_EQ(mktime64(2099, 12, 31, 23, 59, 59), 4102444799);
}

TEST(Mc146818, DecodesBcd24Hour) {
    // 2026-11-24 21:40:00 as QEMU's CMOS holds it: BCD, 24-hour, century 0x20.
    mc146818_regs r = {0x00, 0x40, 0x21, 0x24, 0x11, 0x26, 0x20, RTC_24H};
    cmos_time t = mc146818_decode(r);
    EXPECT_EQ(t.year, 2026u);
    EXPECT_EQ(t.mon, 11u);
    EXPECT_EQ(t.mday, 24u);
    EXPECT_EQ(t.hour, 21u);
    EXPECT_EQ(t.min, 40u);
    EXPECT_EQ(t.sec, 0u);
    EXPECT_EQ(mktime64(t.year, t.mon, t.mday, t.hour, t.min, t.sec), 1795556400);
}

TEST(Mc146818, DecodesBinary12Hour) {
    // 9 PM in 12-hour binary mode is 9 with bit 7 set; 12 AM is hour 0.
    mc146818_regs pm = {59, 1, 0x80 | 9, 31, 12, 99, 0, RTC_DM_BINARY};
    cmos_time t = mc146818_decode(pm);
    EXPECT_EQ(t.hour, 21u);
    EXPECT_EQ(t.year, 2099u);  // no century register: 20xx
    mc146818_regs midnight = {0, 0, 12, 1, 1, 0, 0x20, RTC_DM_BINARY};
    EXPECT_EQ(mc146818_decode(midnight).hour, 0u);
    mc146818_regs noon = {0, 0, 0x80 | 12, 1, 1, 0, 0x20, RTC_DM_BINARY};
    EXPECT_EQ(mc146818_decode(noon).hour, 12u);
}

TEST(Mc146818, DecodesBcd12Hour) {
    mc146818_regs r = {0x30, 0x15, 0x80 | 0x11, 0x01, 0x02, 0x03, 0x20, 0};
    cmos_time t = mc146818_decode(r);
    EXPECT_EQ(t.hour, 23u);
    EXPECT_EQ(t.min, 15u);
    EXPECT_EQ(t.sec, 30u);
    EXPECT_EQ(t.year, 2003u);
}

}  // namespace
