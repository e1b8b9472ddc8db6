// The timer wheel's placement arithmetic (kernel/time/timer_wheel.h): a timer
// lands in a bucket that the wheel processes at or after its expiry — never
// before — and at most one bucket of its level's granularity late; long delays
// are clamped to the wheel's reach. A simulated wheel then checks that every
// timer is found exactly when its bucket comes due.
#include <gtest/gtest.h>
#include <kernel/time/timer_wheel.h>
#include <random>
#include <vector>

using namespace timer_wheel;

namespace {

unsigned level_of(unsigned idx) { return idx / LVL_SIZE; }

TEST(TimerWheel, GeometryMatchesLinuxForHz250) {
    EXPECT_EQ(WHEEL_SIZE, 576u);
    EXPECT_EQ(lvl_start(1), 63ul);        // level 0 holds delays 0..62
    EXPECT_EQ(lvl_start(2), 504ul);       // level 1: 63..503, granularity 8
    EXPECT_EQ(lvl_gran(8), 1ul << 24);
    EXPECT_EQ(WHEEL_TIMEOUT_CUTOFF, 63ul << 24);
}

TEST(TimerWheel, NeverEarlyAndBoundedLateness) {
    std::mt19937_64 rng(42);
    for (int i = 0; i < 200000; i++) {
        unsigned long clk = rng() >> 1;
        unsigned long delta = rng() % (WHEEL_TIMEOUT_CUTOFF - 1);
        unsigned long expires = clk + delta, bucket_expiry = 0;
        unsigned idx = calc_wheel_index(expires, clk, &bucket_expiry);
        ASSERT_LT(idx, WHEEL_SIZE);
        ASSERT_GE(bucket_expiry, expires) << "early: delta " << delta;
        unsigned lvl = level_of(idx);
        ASSERT_LE(bucket_expiry - expires, lvl_gran(lvl)) << "late by more than a bucket";
        // The level is the first whose span holds the delay.
        if (lvl > 0) ASSERT_GE(delta, lvl_start(lvl));
        if (lvl + 1 < LVL_DEPTH) ASSERT_LT(delta, lvl_start(lvl + 1));
    }
}

TEST(TimerWheel, PastExpiryGoesToTheNextBucketRun) {
    unsigned long bucket_expiry = 0;
    EXPECT_EQ(calc_wheel_index(995, 1000, &bucket_expiry), 1000u & LVL_MASK);
    EXPECT_EQ(bucket_expiry, 1000ul);
}

TEST(TimerWheel, HugeDelaysAreClampedToTheWheelsReach) {
    unsigned long bucket_expiry = 0;
    unsigned idx = calc_wheel_index(100 + (1ul << 40), 100, &bucket_expiry);
    EXPECT_EQ(level_of(idx), LVL_DEPTH - 1);
    EXPECT_LE(bucket_expiry, 100 + WHEEL_TIMEOUT_MAX + lvl_gran(LVL_DEPTH - 1));
}

// Timers placed against a moving clock come out of due_buckets() exactly at
// the bucket_expiry their placement promised.
TEST(TimerWheel, SimulatedWheelFiresEachTimerAtItsBucketExpiry) {
    struct sim_timer { unsigned long expires, bucket_expiry; bool fired; unsigned long fired_at; };
    std::vector<std::vector<size_t>> buckets(WHEEL_SIZE);
    std::vector<sim_timer> timers;
    std::mt19937_64 rng(7);
    unsigned long clk = 123456;
    const unsigned long end = clk + 40000;
    for (; clk < end; clk++) {
        if (rng() % 4 == 0) {  // add a timer now and then, delays up to ~20000 jiffies
            unsigned long delay = rng() % (rng() % 2 ? 60 : 20000);
            sim_timer t{clk + delay, 0, false, 0};
            unsigned idx = calc_wheel_index(t.expires, clk, &t.bucket_expiry);
            buckets[idx].push_back(timers.size());
            timers.push_back(t);
        }
        unsigned idx[LVL_DEPTH];
        for (unsigned i = 0, n = due_buckets(clk, idx); i < n; i++) {
            for (size_t k : buckets[idx[i]]) {
                timers[k].fired = true;
                timers[k].fired_at = clk;
            }
            buckets[idx[i]].clear();
        }
    }
    size_t checked = 0;
    for (const sim_timer& t : timers) {
        if (t.bucket_expiry >= end) continue;  // not due within the simulation
        ASSERT_TRUE(t.fired) << "timer for " << t.expires << " never fired";
        ASSERT_EQ(t.fired_at, t.bucket_expiry);
        ASSERT_GE(t.fired_at, t.expires);
        checked++;
    }
    EXPECT_GT(checked, 8000u);
}

}  // namespace
