// CFS against a simulated clock: the weight tables, the weighted-time
// arithmetic, slices and period stretching, vruntime placement of new and
// waking tasks, wakeup and tick preemption, and CPU shares over a simulated
// second. The classes are the kernel's own (kernel/sched/fair.cpp); the core's
// part is played by sched_test_env.
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
#include <tests/host/sched_test_env.h>

using sim::MSEC;

namespace {

class Fair : public ::testing::Test {
protected:
    void SetUp() override { sim::reset(1); }
};

TEST(SchedWeights, EachNiceStepIsAbout1_25x) {
    EXPECT_EQ(sched_prio_to_weight[0], 88761);
    EXPECT_EQ(sched_prio_to_weight[20], 1024);
    EXPECT_EQ(sched_prio_to_weight[39], 15);
    for (int i = 0; i < 39; i++) {
        double ratio = double(sched_prio_to_weight[i]) / sched_prio_to_weight[i + 1];
        EXPECT_NEAR(ratio, 1.25, 0.06) << "nice " << i - 20;
    }
}

TEST(SchedWeights, WmultIsTwoToThe32OverWeight) {
    for (int i = 0; i < 40; i++) {
        double exact = 4294967296.0 / sched_prio_to_weight[i];
        EXPECT_NEAR(sched_prio_to_wmult[i], exact, exact * 1e-4 + 1) << "nice " << i - 20;
    }
}

TEST(SchedCalcDelta, NiceZeroIsRealTime) {
    sched_entity se{};
    se.load = {1024, sched_prio_to_wmult[20]};
    for (u64 d : {1ull, 1000ull, 4000000ull, 123456789ull}) EXPECT_EQ(calc_delta_fair(d, &se), d);
}

TEST(SchedCalcDelta, NiceFiveRunsFasterBy1024Over335) {
    sched_entity se{};
    se.load = {335, sched_prio_to_wmult[25]};
    for (u64 d : {1000000ull, 4000000ull, 1000000000ull}) {
        double exact = double(d) * 1024 / 335;
        EXPECT_NEAR(double(calc_delta_fair(d, &se)), exact, exact * 1e-5) << d;
    }
}

// The inverse weight is floor((2^32 - 1) / weight), as in Linux: results come
// out a hair low, by the inverse's relative precision (~1/inv_weight).
TEST(SchedCalcDelta, InverseWeightPrecision) {
    load_weight lw{887610, 0};  // ten nice -20 tasks: inv_weight is only 4838
    u64 got = __calc_delta(6000000, 88761, &lw);
    EXPECT_EQ(lw.inv_weight, 4838u);
    EXPECT_NEAR(double(got), 600000.0, 600000.0 / 4838 + 1);
    EXPECT_LE(got, 600000u);
    // A factor wider than 32 bits is shifted down, not truncated.
    load_weight one{1, 0};
    EXPECT_NEAR(double(__calc_delta(1000000, 1024, &one)), 1024e6, 1024e6 / 4294967295.0 * 4 + 1);
}

TEST_F(Fair, TwoTasksGetThreeMsEach) {
    task_struct* a = sim::new_task("a");
    task_struct* b = sim::new_task("b");
    // 6 ms × 1024 / 2048, less the inverse weight's rounding (a few ns).
    EXPECT_NEAR(double(sched_slice(&sim::rq_of_cpu(0)->cfs, &a->se)), 3e6, 5);
    EXPECT_NEAR(double(sched_slice(&sim::rq_of_cpu(0)->cfs, &b->se)), 3e6, 5);
}

TEST_F(Fair, SliceFollowsWeight) {
    task_struct* a = sim::new_task("nice0");
    task_struct* b = sim::new_task("nice5", 0, 5);
    cfs_rq* cfs = &sim::rq_of_cpu(0)->cfs;
    EXPECT_NEAR(double(sched_slice(cfs, &a->se)), 6e6 * 1024 / 1359, 1e3);
    EXPECT_NEAR(double(sched_slice(cfs, &b->se)), 6e6 * 335 / 1359, 1e3);
}

TEST_F(Fair, PeriodStretchesBeyondLatencyOverGranularity) {
    EXPECT_EQ(sched_nr_latency, 8u);
    EXPECT_EQ(__sched_period(8), 6 * MSEC);
    EXPECT_EQ(__sched_period(10), 7500000u);
    task_struct* t[10];
    for (auto& p : t) p = sim::new_task("t");
    // 10 equal tasks: the period is 7.5 ms and each slice the minimum granularity.
    EXPECT_EQ(sched_slice(&sim::rq_of_cpu(0)->cfs, &t[0]->se), 750000u);
}

TEST_F(Fair, SliceNeverBelowMinGranularity) {
    task_struct* heavy = sim::new_task("heavy", 0, -20);
    task_struct* light = sim::new_task("light", 0, 19);
    (void)heavy;
    EXPECT_EQ(sched_slice(&sim::rq_of_cpu(0)->cfs, &light->se), 750000u);
}

// Runs CPU-bound tasks for `ns` and returns each one's CPU time in that span.
std::vector<double> share_over(std::initializer_list<task_struct*> tasks, u64 ns) {
    std::vector<u64> before;
    for (task_struct* p : tasks) before.push_back(sim::runtime(p));
    sim::run(ns);
    std::vector<double> got;
    size_t i = 0;
    for (task_struct* p : tasks) got.push_back(double(sim::runtime(p) - before[i++]));
    return got;
}

TEST_F(Fair, NiceZeroAndNiceFiveShareByWeight) {
    task_struct* a = sim::new_task("nice0");
    task_struct* b = sim::new_task("nice5", 0, 5);
    sim::schedule(0);
    auto got = share_over({a, b}, 1000 * MSEC);
    EXPECT_NEAR(got[0] + got[1], 1e9, 1e3);  // the CPU never idled
    double ratio = got[0] / got[1];
    fprintf(stderr, "nice 0 : nice 5 over 1 s = %ld : %ld us (ratio x1000 = %ld, ideal 3057)\n", long(got[0] / 1000),
            long(got[1] / 1000), long(ratio * 1000));
    EXPECT_NEAR(ratio, 1024.0 / 335, 1024.0 / 335 * 0.01) << got[0] << " vs " << got[1];
}

TEST_F(Fair, ThreeEqualTasksShareEqually) {
    task_struct* t[3] = {sim::new_task("a"), sim::new_task("b"), sim::new_task("c")};
    sim::schedule(0);
    auto got = share_over({t[0], t[1], t[2]}, 1000 * MSEC);
    fprintf(stderr, "three nice-0 tasks over 1 s: %ld / %ld / %ld us\n", long(got[0] / 1000), long(got[1] / 1000),
            long(got[2] / 1000));
    for (double g : got) EXPECT_NEAR(g, 1e9 / 3, 1e9 / 3 * 0.01);
}

TEST_F(Fair, PickOrderIsByVruntime) {
    task_struct* t[5];
    for (auto& p : t) p = sim::new_task("t");
    rq* rq = sim::rq_of_cpu(0);
    // Spread their vruntimes out of creation order, then requeue.
    u64 base = rq->cfs.min_vruntime;
    const u64 offs[5] = {4, 1, 3, 0, 2};
    for (int i = 0; i < 5; i++) {
        deactivate_task(rq, t[i], DEQUEUE_SAVE);
        t[i]->se.vruntime = base + offs[i] * MSEC;
        activate_task(rq, t[i], ENQUEUE_RESTORE);
    }
    const int order[5] = {3, 1, 4, 2, 0};
    for (int i : order) {
        sim::schedule(0);
        EXPECT_EQ(sim::curr(), t[i]);
        sim::block(t[i]);  // off the queue: the next pick is the next in order
    }
}

TEST_F(Fair, MinVruntimeNeverGoesBack) {
    task_struct* a = sim::new_task("a");
    task_struct* b = sim::new_task("b");
    sim::schedule(0);
    cfs_rq* cfs = &sim::rq_of_cpu(0)->cfs;
    u64 last = cfs->min_vruntime;
    for (int i = 0; i < 200; i++) {
        sim::tick();
        EXPECT_GE(s64(cfs->min_vruntime - last), 0);
        last = cfs->min_vruntime;
        if (i == 100) sim::block(sim::curr());
    }
    (void)a, (void)b;
}

TEST_F(Fair, NewTaskStartsOneSliceAfterMinVruntime) {
    task_struct* a = sim::new_task("a");
    task_struct* b = sim::new_task("b");
    sim::schedule(0);
    sim::run(100 * MSEC);
    cfs_rq* cfs = &sim::rq_of_cpu(0)->cfs;
    u64 min_before = cfs->min_vruntime;
    task_struct* c = sim::new_task("c");
    // Its slice among three equal tasks is 2 ms; START_DEBIT puts it there.
    EXPECT_GE(s64(c->se.vruntime - min_before), s64(2 * MSEC - 5));
    EXPECT_FALSE(test_tsk_need_resched(sim::curr()));  // no preemption on fork
    // Over the next period everybody runs: the newcomer does not starve the others.
    auto got = share_over({a, b, c}, 60 * MSEC);
    for (double g : got) EXPECT_GT(g, 60e6 / 3 * 0.8);
}

TEST_F(Fair, SleeperGetsHalfLatencyCreditAtMost) {
    task_struct* a = sim::new_task("a");
    task_struct* s = sim::new_task("sleeper");
    sim::schedule(0);
    while (sim::curr() != s) sim::tick();
    sim::block(s);
    sim::run(500 * MSEC);  // a runs alone: min_vruntime moves far past s
    cfs_rq* cfs = &sim::rq_of_cpu(0)->cfs;
    u64 old_vr = s->se.vruntime;
    ASSERT_GT(s64(cfs->min_vruntime - old_vr), s64(10 * MSEC));
    sim::wake(s);
    u64 min = cfs->min_vruntime;
    EXPECT_EQ(s->se.vruntime, min - 3 * MSEC);  // min_vruntime - latency/2
    // ... and so it preempts a at once (3 ms behind > 1 ms granularity).
    EXPECT_TRUE(test_tsk_need_resched(a));
}

TEST_F(Fair, ShortSleeperKeepsItsOwnVruntime) {
    task_struct* a = sim::new_task("a");
    task_struct* s = sim::new_task("sleeper");
    sim::schedule(0);
    while (sim::curr() != s) sim::tick();
    sim::block(s);
    ASSERT_EQ(sim::curr(), a);
    // A brief sleeper: 1 ms behind the floor, less than the 3 ms credit.
    cfs_rq* cfs = &sim::rq_of_cpu(0)->cfs;
    s->se.vruntime = cfs->min_vruntime - MSEC;
    u64 vr = s->se.vruntime;
    sim::wake(s);
    EXPECT_EQ(s->se.vruntime, vr);  // neither lifted nor moved back
}

// A woken sleeper lands latency/2 behind the running task (the only one
// queued, so min_vruntime is its vruntime); whether it preempts depends on
// that distance against the 1 ms wakeup granularity.
void wake_sleeper_with_latency(long latency_ns, bool expect_preempt) {
    sim::reset(1);
    sched_sysctl_write("sched_min_granularity_ns", 100000);
    sched_sysctl_write("sched_latency_ns", latency_ns);
    task_struct* w = sim::new_task("w");
    sim::schedule(0);
    task_struct* a = sim::new_task("a");
    sim::block(w);
    ASSERT_EQ(sim::curr(), a);
    sim::run(100 * MSEC);  // w has slept long: it gets the full credit
    sim::wake(w);
    EXPECT_EQ(s64(a->se.vruntime - w->se.vruntime), latency_ns / 2);
    EXPECT_EQ(test_tsk_need_resched(a), expect_preempt) << "latency " << latency_ns;
}

TEST(FairWakeup, PreemptsOnlyBeyondGranularity) {
    wake_sleeper_with_latency(1000000, false);  // 0.5 ms behind: within 1 ms
    wake_sleeper_with_latency(3000000, true);   // 1.5 ms behind: beyond it
    wake_sleeper_with_latency(6000000, true);   // the default: 3 ms behind
}

TEST_F(Fair, WakeupGranularityScalesWithWakeeWeight) {
    sched_entity curr{}, light{};
    curr.load = {1024, 0};
    light.load = {335, 0};
    curr.vruntime = 10 * MSEC;
    // For a nice-5 wakee the granularity is 1 ms × 1024/335 ≈ 3.06 ms of vruntime.
    light.vruntime = curr.vruntime - 2 * MSEC;
    EXPECT_EQ(wakeup_preempt_entity(&curr, &light), 0);
    light.vruntime = curr.vruntime - 4 * MSEC;
    EXPECT_EQ(wakeup_preempt_entity(&curr, &light), 1);
    light.vruntime = curr.vruntime + 1;
    EXPECT_EQ(wakeup_preempt_entity(&curr, &light), -1);
}

TEST_F(Fair, BatchNeverPreemptsOnWakeup) {
    task_struct* b = sim::new_task("batch", 0, 0, SCHED_BATCH);
    sim::schedule(0);
    task_struct* a = sim::new_task("a");
    sim::block(b);
    ASSERT_EQ(sim::curr(), a);
    sim::run(200 * MSEC);
    sim::wake(b);  // far behind: a NORMAL task would preempt
    EXPECT_FALSE(test_tsk_need_resched(a));
    sim::tick();  // but the tick gives it its turn
    sim::tick();
    EXPECT_EQ(sim::curr(), b);
}

TEST_F(Fair, IdlePolicyWeighsThreeAndYieldsToEveryone) {
    task_struct* idle = sim::new_task("idleprio", 0, 0, SCHED_IDLE);
    EXPECT_EQ(idle->se.load.weight, 3u);
    sim::schedule(0);
    EXPECT_EQ(sim::curr(), idle);
    task_struct* n = sim::new_task("normal");
    EXPECT_TRUE(test_tsk_need_resched(idle));  // any non-idle wakee preempts it
    sim::schedule(0);
    EXPECT_EQ(sim::curr(), n);
    auto got = share_over({n, idle}, 1000 * MSEC);
    EXPECT_NEAR(got[0] / (got[0] + got[1]), 1024.0 / 1027, 0.01);
}

TEST_F(Fair, TickPreemptsAfterTheSlice) {
    task_struct* a = sim::new_task("a");
    task_struct* b = sim::new_task("b");
    sim::schedule(0);
    task_struct* first = sim::curr();
    // Slices are 3 ms, ticks 4 ms: the first tick finds the slice used up.
    sim::tick();
    EXPECT_NE(sim::curr(), first);
    (void)a, (void)b;
}

// Yield with the skip buddy: the next task in vruntime order runs, however far
// ahead it is, and the yielder keeps its vruntime (and so its share).
void yield_with_gap(u64 gap) {
    sim::reset(1);
    task_struct* a = sim::new_task("a");
    task_struct* b = sim::new_task("b");
    task_struct* c = sim::new_task("c");
    rq* rq = sim::rq_of_cpu(0);
    for (task_struct* p : {a, b, c}) deactivate_task(rq, p, DEQUEUE_SAVE);
    a->se.vruntime = rq->cfs.min_vruntime;
    b->se.vruntime = rq->cfs.min_vruntime + gap;
    c->se.vruntime = rq->cfs.min_vruntime + 2 * gap;
    for (task_struct* p : {a, b, c}) activate_task(rq, p, ENQUEUE_RESTORE);
    sim::schedule(0);
    ASSERT_EQ(sim::curr(), a);
    u64 vr = a->se.vruntime;
    sim::yield(0);
    EXPECT_EQ(sim::curr(), b) << "gap " << gap;
    EXPECT_EQ(a->se.vruntime, vr);
    sim::schedule(0);  // the skip lasted one pick: a is leftmost again
    EXPECT_EQ(sim::curr(), a);
}

TEST(FairYield, HandsOverToTheNext) {
    yield_with_gap(MSEC / 2);
    yield_with_gap(50 * MSEC);
}

TEST_F(Fair, NiceChangeTakesEffect) {
    task_struct* a = sim::new_task("a");
    task_struct* b = sim::new_task("b");
    sim::schedule(0);
    rq* rq = sim::rq_of_cpu(0);
    // set_user_nice's sequence in core.cpp: off the queue, reweigh, back on.
    bool running = task_current(rq, b);
    deactivate_task(rq, b, DEQUEUE_SAVE);
    if (running) b->sched_class->put_prev_task(rq, b);
    b->static_prio = b->prio = b->normal_prio = NICE_TO_PRIO(5);
    set_load_weight(b);
    activate_task(rq, b, ENQUEUE_RESTORE);
    if (running) b->sched_class->set_next_task(rq, b, false);
    EXPECT_EQ(rq->cfs.load.weight, 1024u + 335u);
    auto got = share_over({a, b}, 1000 * MSEC);
    EXPECT_NEAR(got[0] / got[1], 1024.0 / 335, 1024.0 / 335 * 0.02);
}

}  // namespace
