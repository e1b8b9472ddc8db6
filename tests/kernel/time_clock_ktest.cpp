// The clocks on the running machine: jiffies advance at HZ against
// CLOCK_MONOTONIC, CLOCK_MONOTONIC never goes back (on every online CPU at
// once), msleep sleeps as long as asked and not much longer, udelay agrees
// with the clocks, and CLOCK_REALTIME agrees with the CMOS RTC.
#include <asm/mc146818rtc.h>
#include <asm/processor.h>
#include <keel/delay.h>
#include <keel/jiffies.h>
#include <keel/kthread.h>
#include <keel/timekeeping.h>
#include <lib/cpumask.h>
#include <keel/tick.h>
#include <keel/preempt.h>
#include <tests/kernel/ktest.h>

namespace {

void jiffies_advance_at_hz(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    // jiffies move only when CPU 0's tick runs, and a late tick interrupt (a busy
    // host) leaves them behind for a while: read both ends just after a tick.
    auto after_next_tick = [] {
        unsigned long j = jiffies;
        while (jiffies == j) cpu_relax();
        return jiffies;
    };
    preempt_disable();  // the bounds below are about the clocks, not about other threads
    unsigned long j0 = after_next_tick();
    ktime_t t0 = ktime_get();
    mdelay(200);
    unsigned long j1 = after_next_tick();
    ktime_t t1 = ktime_get();
    preempt_enable();
    long expect = long((t1 - t0) / ktime_t(TICK_NSEC));
    long got = long(j1 - j0);
    KTEST_EXPECT_GE(t, got, expect - 2);
    KTEST_EXPECT_LE(t, got, expect + 2);
    // mdelay never returns early by the clocksource's count (it may return late:
    // interrupts and a busy host stretch it, so there is no upper bound here).
    KTEST_EXPECT_GE(t, t1 - t0, ms_to_ktime(200));
}

void jiffies_started_before_the_wrap(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    // INITIAL_JIFFIES puts the 32-bit wrap 5 minutes after boot.
    KTEST_EXPECT_TRUE(t, time_after(jiffies, INITIAL_JIFFIES));
    KTEST_EXPECT_LT(t, jiffies - INITIAL_JIFFIES, 300 * HZ);
}

Atomic<s64> last_seen{0};
Atomic<int> went_back{0};
Atomic<int> running{0};

// Publishes each reading; a reading below one published earlier by any CPU
// means the clock went back.
int monotonic_reader(void*) {
    running.fetch_add(1, memory_order::relaxed);
    for (int i = 0; i < 20000; i++) {
        s64 prev = last_seen.load(memory_order::acquire);
        s64 now = ktime_get();
        if (now < prev) went_back.fetch_add(1, memory_order::relaxed);
        while (prev < now && !last_seen.compare_exchange(prev, now, memory_order::release, memory_order::acquire)) {
        }
    }
    running.fetch_sub(1, memory_order::relaxed);
    return 0;
}

void monotonic_never_goes_back(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    last_seen.store(ktime_get(), memory_order::relaxed);
    went_back.store(0, memory_order::relaxed);
    unsigned cpu, started = 0;
    for_each_online_cpu(cpu) {
        task_struct* k = kthread_create_on_cpu(monotonic_reader, nullptr, cpu, "ktest_mono/%u");
        if (!k) continue;
        wake_up_process(k);
        started++;
    }
    KTEST_ASSERT_TRUE(t, started > 0);
    msleep(20);
    while (running.load(memory_order::relaxed)) msleep(10);
    KTEST_EXPECT_EQ(t, went_back.load(memory_order::relaxed), 0);
}

void clock_is_fine_grained(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    // Consecutive readings differ by far less than a jiffy: the clocksource is
    // not jiffies any more.
    ktime_t a = ktime_get();
    ktime_t b = ktime_get();
    while (b == a) b = ktime_get();
    KTEST_EXPECT_LT(t, b - a, ktime_t(TICK_NSEC / 4));
}

void msleep_sleeps_as_asked(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    static const unsigned durations[] = {1, 10, 50};
    for (unsigned ms : durations) {
        ktime_t t0 = ktime_get();
        msleep(ms);
        ktime_t slept = ktime_get() - t0;
        KTEST_EXPECT_GE(t, slept, ms_to_ktime(ms));
        // msleep rounds up to jiffies and adds one: ms + 2 jiffies, plus slack.
        KTEST_EXPECT_LT(t, slept, ms_to_ktime(ms + 2 * 4 + 20));
    }
}

void schedule_timeout_returns_zero_when_time_is_up(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    __set_current_state(TASK_UNINTERRUPTIBLE);
    unsigned long j0 = jiffies;
    KTEST_EXPECT_EQ(t, schedule_timeout(3), 0);
    KTEST_EXPECT_GE(t, jiffies - j0, 2ul);
    KTEST_EXPECT_EQ(t, current->__state.load(memory_order::relaxed), TASK_RUNNING);
}

void realtime_matches_the_rtc(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    cmos_time tm;
    KTEST_ASSERT_TRUE(t, mach_get_cmos_time(&tm));
    s64 rtc = mktime64(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
    s64 now = ktime_get_real_seconds();
    KTEST_EXPECT_LE(t, now - rtc, 2);
    KTEST_EXPECT_LE(t, rtc - now, 2);
    KTEST_EXPECT_GT(t, rtc, 1700000000);  // a plausible date (after 2023)
}

void settimeofday_checks_its_argument(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    timespec64 now = ktime_get_real_ts64();
    KTEST_EXPECT_EQ(t, do_settimeofday64({now.tv_sec, 1000000000}), -EINVAL);
    KTEST_EXPECT_EQ(t, do_settimeofday64({-1, 0}), -EINVAL);
    // Setting it moves REALTIME only.
    ktime_t mono = ktime_get();
    KTEST_EXPECT_EQ(t, do_settimeofday64({now.tv_sec + 3600, now.tv_nsec}), 0);
    KTEST_EXPECT_GE(t, ktime_get_real_seconds(), now.tv_sec + 3600);
    KTEST_EXPECT_LT(t, ktime_get() - mono, ms_to_ktime(100));
    // Back to the real time for whoever reads it next.
    KTEST_EXPECT_EQ(t, do_settimeofday64(ktime_to_timespec64(ktime_get_real() - ktime_set(3600, 0))), 0);
}

const ktest_case clock_cases[] = {
    KTEST_CASE(jiffies_advance_at_hz),
    KTEST_CASE(jiffies_started_before_the_wrap),
    KTEST_CASE(monotonic_never_goes_back),
    KTEST_CASE(clock_is_fine_grained),
    KTEST_CASE(msleep_sleeps_as_asked),
    KTEST_CASE(schedule_timeout_returns_zero_when_time_is_up),
    KTEST_CASE(realtime_matches_the_rtc),
    KTEST_CASE(settimeofday_checks_its_argument),
    {},
};

}  // namespace

KTEST_SUITE(time_clock, clock_cases);
