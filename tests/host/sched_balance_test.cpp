// Load balancing and CPU selection (kernel/sched/fair_balance.cpp and
// select_task_rq_fair) on a simulated 2- and 4-CPU machine: imbalance pulled
// by the periodic and the new-idle balance, affinity and cache-hotness
// honoured, no ping-pong once even, vruntime carried across queues.
#include <gtest/gtest.h>
#include <tests/host/sched_test_env.h>

using sim::MSEC;

namespace {

// A task created on cpu (pinned there while it is placed), then allowed everywhere.
task_struct* task_on(const char* name, int cpu) {
    task_struct* p = sim::new_task(name, cpu);
    cpumask_setall(&p->cpus_mask);
    return p;
}

TEST(Balance, PeriodicBalanceEvensOutFourTasksOnTwoCpus) {
    sim::reset(2);
    task_struct* t[4];
    for (auto& p : t) p = task_on("t", 0);
    sim::schedule(0);
    ASSERT_EQ(sim::rq_of_cpu(0)->nr_running, 4u);
    sim::run(100 * MSEC);
    EXPECT_EQ(sim::rq_of_cpu(0)->nr_running, 2u);
    EXPECT_EQ(sim::rq_of_cpu(1)->nr_running, 2u);
    // Then it stays even: over the next second every task gets half a CPU.
    u64 before[4];
    for (int i = 0; i < 4; i++) before[i] = sim::runtime(t[i]);
    sim::run(1000 * MSEC);
    for (int i = 0; i < 4; i++) EXPECT_NEAR(double(sim::runtime(t[i]) - before[i]), 500e6, 500e6 * 0.02);
}

TEST(Balance, WholeTasksOnlyNoPingPong) {
    sim::reset(2);
    task_struct* t[3];
    for (auto& p : t) p = task_on("t", 0);
    sim::schedule(0);
    sim::run(100 * MSEC);
    EXPECT_EQ(sim::rq_of_cpu(0)->nr_running + sim::rq_of_cpu(1)->nr_running, 3u);
    EXPECT_EQ(sim::rq_of_cpu(1)->nr_running, 1u);
    u64 moves = 0;
    for (auto* p : t) moves += p->se.nr_migrations;
    sim::run(1000 * MSEC);
    u64 moves_after = 0;
    for (auto* p : t) moves_after += p->se.nr_migrations;
    EXPECT_EQ(moves_after, moves);  // 2:1 cannot be improved by moving one
}

TEST(Balance, AffinityIsHonoured) {
    sim::reset(2);
    for (int i = 0; i < 4; i++) sim::new_task("pinned", 0);  // allowed on CPU 0 only
    sim::schedule(0);
    sim::run(200 * MSEC);
    EXPECT_EQ(sim::rq_of_cpu(0)->nr_running, 4u);
    EXPECT_EQ(sim::rq_of_cpu(1)->nr_running, 0u);
}

// A cache-hot task stays put, until balancing has failed more than
// cache_nice_tries (1) times in a row: then the imbalance costs more than the cache.
TEST(Balance, CacheHotTaskMovesOnlyAfterRepeatedFailure) {
    sim::reset(2);
    sched_sysctl_write("sched_migration_cost_ns", 1000000000);  // 1 s: everything that ran is hot
    task_struct* a = sim::new_task("a", 0);
    task_struct* b = sim::new_task("b", 0);
    sim::schedule(0);
    sim::run(20 * MSEC);  // both run (pinned, so the tick's balancing leaves them)
    cpumask_setall(&a->cpus_mask);
    cpumask_setall(&b->cpus_mask);
    sim::rq_of_cpu(0)->cpu_load = 2048;  // as the tick would have averaged it
    rq* idle_rq = sim::rq_of_cpu(1);
    EXPECT_EQ(load_balance(idle_rq), 0);
    EXPECT_EQ(load_balance(idle_rq), 0);
    EXPECT_EQ(load_balance(idle_rq), 1);
    EXPECT_EQ(idle_rq->nr_running, 1u);
    EXPECT_EQ(idle_rq->nr_balance_failed, 0u);
}

TEST(Balance, ColdTaskMovesAtOnce) {
    sim::reset(2);
    task_on("a", 0);
    task_on("b", 0);
    sim::schedule(0);
    sim::now += MSEC;  // the waiting one last ran 1 ms ago, past the 0.5 ms cost
    sim::rq_of_cpu(0)->cpu_load = 2048;
    EXPECT_EQ(load_balance(sim::rq_of_cpu(1)), 1);
}

TEST(Balance, NewlyIdleCpuPullsAtOnce) {
    sim::reset(2);
    task_struct* a = task_on("a", 0);
    task_struct* b = task_on("b", 0);
    sim::schedule(0);
    sim::now += 2 * MSEC;  // the waiting one is no longer cache-hot
    rq* idle_rq = sim::rq_of_cpu(1);
    update_rq_clock(idle_rq);
    idle_rq->lock.lock();
    EXPECT_EQ(newidle_balance(idle_rq), 1);
    idle_rq->lock.unlock();
    EXPECT_EQ(idle_rq->nr_running, 1u);
    task_struct* moved = sim::curr(0) == a ? b : a;
    EXPECT_EQ(moved->cpu, 1);
    EXPECT_EQ(moved->se.cfs_rq, &idle_rq->cfs);
}

TEST(Balance, RunningTaskIsNeverPulled) {
    sim::reset(2);
    task_on("a", 0);
    sim::schedule(0);
    sim::now += 2 * MSEC;
    rq* idle_rq = sim::rq_of_cpu(1);
    idle_rq->lock.lock();
    EXPECT_EQ(newidle_balance(idle_rq), 0);
    idle_rq->lock.unlock();
}

TEST(Balance, MigrationKeepsDistanceFromMinVruntime) {
    sim::reset(2);
    task_struct* a = sim::new_task("a", 0);  // pinned: the balancer leaves them be
    task_struct* b = sim::new_task("b", 0);
    sim::schedule(0);
    sim::run(50 * MSEC);
    // Give CPU 1 a very different floor, then move the waiting task there.
    sim::rq_of_cpu(1)->cfs.min_vruntime += 1000 * MSEC;
    task_struct* waiting = sim::curr(0) == a ? b : a;
    cpumask_setall(&waiting->cpus_mask);
    s64 lag = s64(waiting->se.vruntime - sim::rq_of_cpu(0)->cfs.min_vruntime);
    rq* src = sim::rq_of_cpu(0);
    rq* dst = sim::rq_of_cpu(1);
    double_rq_lock(src, dst);
    move_queued_task(src, dst, waiting);
    double_rq_unlock(src, dst);
    EXPECT_EQ(s64(waiting->se.vruntime - dst->cfs.min_vruntime), lag);
}

TEST(SelectRq, WakesOnPrevCpuIfIdleElseTheIdlest) {
    sim::reset(4);
    task_struct* a = sim::new_task("a", 2, 0, SCHED_NORMAL, 0, true);
    EXPECT_EQ(a->cpu, 2);  // CPU 2 was idle: stay there
    sim::schedule(2);
    // CPU 2 is busy now: another task starting there goes to an idle CPU.
    task_struct* b = sim::new_task("b", 2, 0, SCHED_NORMAL, 0, true);
    EXPECT_NE(b->cpu, 2);
    sim::schedule(b->cpu);
    // Affinity: only CPUs 2 and 3 allowed; 3 is idle unless b went there.
    cpumask_clear(&b->cpus_mask);
    cpumask_set_cpu(2, &b->cpus_mask);
    cpumask_set_cpu(3, &b->cpus_mask);
    if (b->cpu != 3) EXPECT_EQ(fair_sched_class.select_task_rq(b, 0, 0), 3);
    // Only CPU 2 allowed: there, busy or not.
    cpumask_clear(&b->cpus_mask);
    cpumask_set_cpu(2, &b->cpus_mask);
    EXPECT_EQ(fair_sched_class.select_task_rq(b, 0, 0), 2);
}

TEST(SelectRq, OfflineCpusAreNeverChosen) {
    sim::reset(2);
    task_struct* a = sim::new_task("a", 0, 0, SCHED_NORMAL, 0, true);
    sim::schedule(0);
    task_struct* b = sim::new_task("b", 0, 0, SCHED_NORMAL, 0, true);
    EXPECT_EQ(b->cpu, 1);
    EXPECT_LT(fair_sched_class.select_task_rq(b, 3, 0), 2);  // prev_cpu 3 is not online
    (void)a;
}

}  // namespace
