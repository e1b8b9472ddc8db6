// pick_next_task cost with 10 and with 10,000 runnable CFS tasks. One
// __schedule round is put_prev (an rbtree insert) plus pick (the cached
// leftmost, then an rbtree erase): O(log n). Linear growth would make the
// 10,000-task round ~1000× dearer; the check allows a generous 20× (log2 grows
// ~4×; the rest is cache misses on a bigger tree).
#include <gtest/gtest.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tests/host/sched_test_env.h>

namespace {

// ns per schedule() round with n tasks, each running 100 µs before the next
// round so the current task is reinserted behind the others.
double ns_per_pick(int n) {
    sim::reset(1);
    for (int i = 0; i < n; i++) sim::new_task("t");
    sim::schedule(0);
    constexpr int ROUNDS = 200000;
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < ROUNDS; i++) {
            sim::now += 100000;
            sim::schedule(0);
        }
        std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count() / ROUNDS);
    }
    return best;
}

TEST(SchedPickCost, GrowsLogarithmically) {
    double small = ns_per_pick(10);
    double large = ns_per_pick(10000);
    // gtest's own formatting goes through the kernel's vsnprintf (no %f): print integers.
    fprintf(stderr, "pick_next_task round: %ld ns with 10 tasks, %ld ns with 10000 tasks\n", long(small + 0.5),
            long(large + 0.5));
    EXPECT_LT(large, small * 20);
    // 200,000 rounds of insert and erase left a valid red-black tree.
    EXPECT_EQ(rb_check(&sim::rq_of_cpu(0)->cfs.tasks_timeline.rb_root), nullptr);
}

}  // namespace
