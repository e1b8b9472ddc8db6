// The scheduler tunables (kernel/sched/prio_weights.cpp): Linux's defaults and
// ranges, EINVAL for writes out of range, the rr timeslice in ms, and the
// latency/granularity scaling by 1 + ilog2(CPUs).
#include <gtest/gtest.h>
#include <tests/host/sched_test_env.h>
#include <uapi/asm/errno.h>

namespace {

class Sysctl : public ::testing::Test {
protected:
    void SetUp() override { sim::reset(1); }
    static long read(const char* name) {
        long v = -1;
        EXPECT_EQ(sched_sysctl_read(name, &v), 0) << name;
        return v;
    }
};

TEST_F(Sysctl, LinuxDefaults) {
    EXPECT_EQ(read("sched_latency_ns"), 6000000);
    EXPECT_EQ(read("sched_min_granularity_ns"), 750000);
    EXPECT_EQ(read("sched_wakeup_granularity_ns"), 1000000);
    EXPECT_EQ(read("sched_migration_cost_ns"), 500000);
    EXPECT_EQ(read("sched_rr_timeslice_ms"), 100);
    EXPECT_EQ(read("sched_tunable_scaling"), 1);  // SCHED_TUNABLESCALING_LOG
    EXPECT_EQ(sysctl_sched_rr_timeslice, 25u);
}

TEST_F(Sysctl, OutOfRangeIsEinvalAndChangesNothing) {
    EXPECT_EQ(sched_sysctl_write("sched_latency_ns", 99999), -EINVAL);
    EXPECT_EQ(sched_sysctl_write("sched_latency_ns", 1000000001), -EINVAL);
    EXPECT_EQ(sched_sysctl_write("sched_min_granularity_ns", -1), -EINVAL);
    EXPECT_EQ(sched_sysctl_write("sched_wakeup_granularity_ns", 1000000001), -EINVAL);
    EXPECT_EQ(sched_sysctl_write("sched_migration_cost_ns", -5), -EINVAL);
    EXPECT_EQ(sched_sysctl_write("sched_tunable_scaling", 3), -EINVAL);
    EXPECT_EQ(sched_sysctl_write("sched_rr_timeslice_ms", 1L << 40), -EINVAL);
    EXPECT_EQ(read("sched_latency_ns"), 6000000);
    EXPECT_EQ(read("sched_min_granularity_ns"), 750000);
    long v;
    EXPECT_EQ(sched_sysctl_read("sched_no_such_thing", &v), -ENOENT);
    EXPECT_EQ(sched_sysctl_write("sched_no_such_thing", 1), -ENOENT);
}

TEST_F(Sysctl, RangeEndsAreAccepted) {
    EXPECT_EQ(sched_sysctl_write("sched_latency_ns", 100000), 0);
    EXPECT_EQ(sched_sysctl_write("sched_latency_ns", 1000000000), 0);
    EXPECT_EQ(sched_sysctl_write("sched_wakeup_granularity_ns", 0), 0);
    EXPECT_EQ(read("sched_wakeup_granularity_ns"), 0);
}

TEST_F(Sysctl, WritesReachTheScheduler) {
    ASSERT_EQ(sched_sysctl_write("sched_latency_ns", 12000000), 0);
    EXPECT_EQ(sysctl_sched_latency, 12000000u);
    EXPECT_EQ(sched_nr_latency, 16u);  // 12 ms / 0.75 ms
    EXPECT_EQ(__sched_period(10), 12000000u);
    ASSERT_EQ(sched_sysctl_write("sched_min_granularity_ns", 3000000), 0);
    EXPECT_EQ(sched_nr_latency, 4u);
    EXPECT_EQ(__sched_period(5), 15000000u);
}

TEST_F(Sysctl, RrTimesliceInMsRoundsUpToTicks) {
    EXPECT_EQ(sched_sysctl_write("sched_rr_timeslice_ms", 10), 0);
    EXPECT_EQ(read("sched_rr_timeslice_ms"), 10);
    EXPECT_EQ(sysctl_sched_rr_timeslice, 3u);
    EXPECT_EQ(sched_sysctl_write("sched_rr_timeslice_ms", -3), 0);  // Linux: back to the default
    EXPECT_EQ(read("sched_rr_timeslice_ms"), 100);
    EXPECT_EQ(sysctl_sched_rr_timeslice, 25u);
}

TEST_F(Sysctl, LogScalingWithCpus) {
    const struct { unsigned cpus; unsigned factor; } cases[] = {{1, 1}, {2, 2}, {3, 2}, {4, 3}, {8, 4}, {64, 4}};
    for (auto c : cases) {
        update_sysctl_for(c.cpus);
        EXPECT_EQ(sysctl_sched_latency, 6000000u * c.factor) << c.cpus;
        EXPECT_EQ(sysctl_sched_min_granularity, 750000u * c.factor) << c.cpus;
        EXPECT_EQ(sysctl_sched_wakeup_granularity, 1000000u * c.factor) << c.cpus;
    }
    EXPECT_EQ(sched_nr_latency, 8u);  // the ratio does not change
}

TEST_F(Sysctl, NoneAndLinearScaling) {
    ASSERT_EQ(sched_sysctl_write("sched_tunable_scaling", SCHED_TUNABLESCALING_NONE), 0);
    update_sysctl_for(8);
    EXPECT_EQ(sysctl_sched_latency, 6000000u);
    ASSERT_EQ(sched_sysctl_write("sched_tunable_scaling", SCHED_TUNABLESCALING_LINEAR), 0);
    update_sysctl_for(4);
    EXPECT_EQ(sysctl_sched_latency, 24000000u);
    update_sysctl_for(1);
    EXPECT_EQ(sysctl_sched_latency, 6000000u);
}

TEST_F(Sysctl, WrittenValueIsTheBaseForLaterScaling) {
    ASSERT_EQ(sched_sysctl_write("sched_latency_ns", 10000000), 0);  // on 1 CPU
    update_sysctl_for(2);
    EXPECT_EQ(sysctl_sched_latency, 20000000u);
}

}  // namespace
