// The scheduler's text dumps (kernel/sched/debug.cpp): the `perf sched latency`
// table and the /proc/sched_debug-style run-queue dump.
#include <gtest/gtest.h>
#include <string>
#include <tests/host/sched_test_env.h>

using sim::MSEC;

namespace {

TEST(SchedDebug, LatencyTableListsTasksAndTotals) {
    sim::reset(1);
    task_struct* a = sim::new_task("alpha");
    task_struct* b = sim::new_task("beta");
    sim::schedule(0);
    sim::run(100 * MSEC);
    char buf[4096];
    int n = sched_latency_show(buf, sizeof(buf));
    std::string out(buf, size_t(n));
    EXPECT_NE(out.find("Task"), std::string::npos);
    EXPECT_NE(out.find("Runtime ms"), std::string::npos);
    EXPECT_NE(out.find("alpha:1"), std::string::npos) << out;
    EXPECT_NE(out.find("beta:2"), std::string::npos);
    EXPECT_NE(out.find("TOTAL:"), std::string::npos);
    EXPECT_NE(out.find("100.000 ms"), std::string::npos) << out;  // the total runtime
    // Each waited at most one 4 ms tick between turns.
    EXPECT_LE(a->stats.wait_max, 4 * MSEC);
    EXPECT_LE(b->stats.wait_max, 4 * MSEC);
    EXPECT_GT(a->stats.wait_count, 5u);
}

TEST(SchedDebug, TruncatesToTheBuffer) {
    sim::reset(1);
    for (int i = 0; i < 20; i++) sim::new_task("t");
    sim::schedule(0);
    sim::run(100 * MSEC);
    char buf[200];
    int n = sched_latency_show(buf, sizeof(buf));
    EXPECT_LT(n, 200);
    EXPECT_EQ(buf[n], '\0');
}

TEST(SchedDebug, RunQueueDump) {
    sim::reset(2);
    sim::new_task("runner");
    sim::new_task("waiter");
    sim::schedule(0);
    sim::run(20 * MSEC);
    char buf[8192];
    int n = sched_debug_show(buf, sizeof(buf));
    std::string out(buf, size_t(n));
    EXPECT_NE(out.find("cpu#0"), std::string::npos);
    EXPECT_NE(out.find("cpu#1"), std::string::npos);
    EXPECT_NE(out.find(".min_vruntime"), std::string::npos);
    EXPECT_NE(out.find(".nr_running                    : 2"), std::string::npos) << out;
    EXPECT_NE(out.find(" >R          runner"), std::string::npos) << out;
    EXPECT_NE(out.find("          waiter"), std::string::npos);
}

}  // namespace
