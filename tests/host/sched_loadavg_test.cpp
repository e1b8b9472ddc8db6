// The load average (kernel/sched/loadavg.cpp): Linux's fixed-point decay, and
// calc_global_load sampling the simulated run queues every LOAD_FREQ.
#include <gtest/gtest.h>
#include <tests/host/sched_test_env.h>
#include <keel/kernel_stat.h>
#include <keel/loadavg.h>

extern "C" u64 jiffies_64;  // kernel/time/jiffies.cpp is not part of the host build
u64 jiffies_64;

namespace {

// "0.63" as /proc/loadavg prints it, in hundredths.
unsigned long hundredths(unsigned long load) {
    load += FIXED_1 / 200;
    return LOAD_INT(load) * 100 + LOAD_FRAC(load);
}

TEST(Loadavg, FirstSampleOfOneTask) {
    // Linux's numbers: 0 * 1884 + 2048 * (2048 - 1884), rounded up while rising.
    EXPECT_EQ(calc_load(0, EXP_1, FIXED_1), 164ul);
    EXPECT_EQ(hundredths(calc_load(0, EXP_1, FIXED_1)), 8ul);
}

TEST(Loadavg, OneBusyTaskForAMinuteIsAboutOneMinusOneOverE) {
    unsigned long load = 0;
    for (int i = 0; i < 12; i++) load = calc_load(load, EXP_1, FIXED_1);  // 12 samples of 5 s
    EXPECT_NEAR(double(hundredths(load)), 63.0, 1.0);
    for (int i = 0; i < 1000; i++) load = calc_load(load, EXP_1, FIXED_1);
    EXPECT_EQ(hundredths(load), 100ul);  // steady state: exactly 1.00
    for (int i = 0; i < 1000; i++) load = calc_load(load, EXP_1, 0);
    EXPECT_EQ(load, 0ul);  // and back to idle
}

TEST(Loadavg, SampledEveryLoadFreqFromTheRunQueues) {
    sim::reset(2);
    for (auto& a : avenrun) a = 0;
    sim::new_task("a", 0);
    sim::new_task("b", 1);
    sim::new_task("c", 1);
    EXPECT_EQ(nr_running(), 3u);
    jiffies_64 = INITIAL_JIFFIES + LOAD_FREQ - 1;
    calc_global_load();
    EXPECT_EQ(avenrun[0], 0ul);  // not yet due
    jiffies_64 = INITIAL_JIFFIES + LOAD_FREQ;
    calc_global_load();
    EXPECT_EQ(avenrun[0], calc_load(0, EXP_1, 3 * FIXED_1));
    EXPECT_EQ(avenrun[2], calc_load(0, EXP_15, 3 * FIXED_1));
    unsigned long first = avenrun[0];
    calc_global_load();  // the same jiffy: no second sample
    EXPECT_EQ(avenrun[0], first);
    jiffies_64 += LOAD_FREQ;
    calc_global_load();
    EXPECT_GT(avenrun[0], first);
}

}  // namespace
