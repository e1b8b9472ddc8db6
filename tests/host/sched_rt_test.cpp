// SCHED_FIFO and SCHED_RR (kernel/sched/rt.cpp) against a simulated clock: the
// priority bitmap, highest priority first, FIFO order within a priority, RR
// rotation after sysctl_sched_rr_timeslice ticks, and RT preempting CFS.
#include <gtest/gtest.h>
#include <tests/host/sched_test_env.h>

using sim::MSEC;

namespace {

class Rt : public ::testing::Test {
protected:
    void SetUp() override { sim::reset(1); }
    rt_rq* rt() { return &sim::rq_of_cpu(0)->rt; }
    static task_struct* fifo(const char* name, int prio) { return sim::new_task(name, 0, 0, SCHED_FIFO, prio); }
    static task_struct* rr(const char* name, int prio) { return sim::new_task(name, 0, 0, SCHED_RR, prio); }
};

TEST_F(Rt, BitmapHasOnlyTheDelimiterWhenEmpty) {
    EXPECT_EQ(find_first_bit(rt()->active.bitmap, MAX_RT_PRIO + 1), unsigned(MAX_RT_PRIO));
    EXPECT_EQ(rt()->highest_prio, MAX_RT_PRIO);
    EXPECT_EQ(rt_sched_class.pick_next_task(sim::rq_of_cpu(0)), nullptr);
}

TEST_F(Rt, BitmapTracksNonEmptyLists) {
    task_struct* lo = fifo("lo", 10);   // prio 89
    task_struct* hi = fifo("hi", 90);   // prio 9
    task_struct* hi2 = fifo("hi2", 90);
    EXPECT_EQ(lo->prio, 89);
    EXPECT_EQ(hi->prio, 9);
    EXPECT_TRUE(test_bit(89, rt()->active.bitmap));
    EXPECT_TRUE(test_bit(9, rt()->active.bitmap));
    EXPECT_EQ(bitmap_weight(rt()->active.bitmap, MAX_RT_PRIO + 1), 3u);  // 9, 89 and the delimiter
    EXPECT_EQ(rt()->highest_prio, 9);
    EXPECT_EQ(rt()->rt_nr_running, 3u);
    rq* rq = sim::rq_of_cpu(0);
    deactivate_task(rq, hi, DEQUEUE_SLEEP);
    EXPECT_TRUE(test_bit(9, rt()->active.bitmap));  // hi2 is still there
    deactivate_task(rq, hi2, DEQUEUE_SLEEP);
    EXPECT_FALSE(test_bit(9, rt()->active.bitmap));
    EXPECT_EQ(rt()->highest_prio, 89);
    EXPECT_EQ(rq->nr_running, 1u);
}

TEST_F(Rt, HighestPriorityFirst) {
    task_struct* t[4] = {fifo("p10", 10), fifo("p99", 99), fifo("p50", 50), fifo("p1", 1)};
    for (int i : {1, 2, 0, 3}) {
        sim::schedule(0);
        EXPECT_EQ(sim::curr(), t[i]) << t[i]->comm;
        sim::block(t[i]);
    }
    EXPECT_EQ(sim::curr(), sim::rq_of_cpu(0)->idle);
}

TEST_F(Rt, FifoOrderWithinAPriorityAndRunsUntilItBlocks) {
    task_struct* a = fifo("a", 50);
    task_struct* b = fifo("b", 50);
    task_struct* c = fifo("c", 50);
    sim::schedule(0);
    ASSERT_EQ(sim::curr(), a);
    sim::run(1000 * MSEC);  // a FIFO task is not time-sliced
    EXPECT_EQ(sim::curr(), a);
    EXPECT_EQ(sim::runtime(a), 1000 * MSEC);
    EXPECT_EQ(sim::runtime(b) + sim::runtime(c), 0u);
    sim::block(a);
    EXPECT_EQ(sim::curr(), b);
    sim::block(b);
    EXPECT_EQ(sim::curr(), c);
}

TEST_F(Rt, PreemptedFifoTaskResumesBeforeItsPeers) {
    task_struct* a = fifo("a", 50);
    task_struct* b = fifo("b", 50);
    sim::schedule(0);
    ASSERT_EQ(sim::curr(), a);
    task_struct* urgent = fifo("urgent", 80);
    EXPECT_TRUE(test_tsk_need_resched(a));  // at once, not at the next tick
    sim::schedule(0);
    EXPECT_EQ(sim::curr(), urgent);
    sim::block(urgent);
    EXPECT_EQ(sim::curr(), a);  // still at the head of its list
    (void)b;
}

TEST_F(Rt, EqualPriorityDoesNotPreempt) {
    task_struct* a = fifo("a", 50);
    sim::schedule(0);
    fifo("b", 50);
    EXPECT_FALSE(test_tsk_need_resched(a));
}

TEST_F(Rt, YieldGoesToTheTailOfItsPriority) {
    task_struct* a = fifo("a", 50);
    task_struct* b = fifo("b", 50);
    sim::schedule(0);
    sim::yield(0);
    EXPECT_EQ(sim::curr(), b);
    sim::yield(0);
    EXPECT_EQ(sim::curr(), a);
}

TEST_F(Rt, RoundRobinRotatesAfter25Ticks) {
    EXPECT_EQ(sysctl_sched_rr_timeslice, 25u);  // 100 ms at HZ=250
    task_struct* a = rr("a", 50);
    task_struct* b = rr("b", 50);
    sim::schedule(0);
    ASSERT_EQ(sim::curr(), a);
    for (int i = 0; i < 24; i++) sim::tick();
    EXPECT_EQ(sim::curr(), a);
    sim::tick();
    EXPECT_EQ(sim::curr(), b);
    EXPECT_EQ(sim::runtime(a), 100 * MSEC);
    for (int i = 0; i < 25; i++) sim::tick();
    EXPECT_EQ(sim::curr(), a);
    sim::run(800 * MSEC);
    EXPECT_EQ(sim::runtime(a), 500 * MSEC);
    EXPECT_EQ(sim::runtime(b), 500 * MSEC);
}

TEST_F(Rt, RoundRobinAloneKeepsRunning) {
    task_struct* a = rr("a", 50);
    sim::schedule(0);
    sim::run(200 * MSEC);
    EXPECT_EQ(sim::curr(), a);
    EXPECT_EQ(a->stats.nr_switches, 1u);
}

TEST_F(Rt, RoundRobinDoesNotRotateAboveOrBelowItsPriority) {
    task_struct* a = rr("a", 50);
    task_struct* low = rr("low", 40);
    sim::schedule(0);
    sim::run(500 * MSEC);
    EXPECT_EQ(sim::curr(), a);
    EXPECT_EQ(sim::runtime(low), 0u);
}

TEST_F(Rt, RtPreemptsCfsAtOnceAndStarvesIt) {
    task_struct* n = sim::new_task("cfs");
    sim::schedule(0);
    sim::run(20 * MSEC);
    ASSERT_EQ(sim::curr(), n);
    task_struct* r = fifo("rt", 1);
    EXPECT_TRUE(test_tsk_need_resched(n));
    sim::preempt_point(0);
    EXPECT_EQ(sim::curr(), r);
    u64 before = sim::runtime(n);
    sim::run(500 * MSEC);
    EXPECT_EQ(sim::runtime(n), before);
    sim::block(r);
    EXPECT_EQ(sim::curr(), n);
}

TEST_F(Rt, ShorterTimesliceSysctl) {
    EXPECT_EQ(sched_sysctl_write("sched_rr_timeslice_ms", 10), 0);
    EXPECT_EQ(sysctl_sched_rr_timeslice, 3u);  // rounded up to whole ticks
    task_struct* a = rr("a", 50);
    task_struct* b = rr("b", 50);
    sim::schedule(0);
    sim::run(12 * MSEC);
    EXPECT_EQ(sim::curr(), b);
    (void)a;
}

}  // namespace
