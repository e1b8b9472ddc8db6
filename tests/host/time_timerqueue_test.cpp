// kernel/time/timerqueue: random adds and removes checked against a
// std::multiset of (expiry, insertion order) after every step: the cached
// earliest timer, the whole order, FIFO among equal expiry times, and the
// return values of add (became first) and del (queue not empty).
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <keel/timerqueue.h>

namespace {

struct timer {
    timerqueue_node node;
    int seq;
};

timer* of(timerqueue_node* n) { return container_of(n, timer, node); }

using Oracle = std::multiset<std::pair<ktime_t, int>>;

void check_against(timerqueue_head* head, const Oracle& oracle) {
    timerqueue_node* n = timerqueue_getnext(head);
    if (oracle.empty()) {
        ASSERT_EQ(n, nullptr);
        return;
    }
    for (const auto& [expires, seq] : oracle) {
        ASSERT_NE(n, nullptr);
        ASSERT_EQ(n->expires, expires);
        ASSERT_EQ(of(n)->seq, seq);
        n = timerqueue_iterate_next(n);
    }
    ASSERT_EQ(n, nullptr);
}

TEST(TimerQueue, EmptyQueueHasNoNext) {
    timerqueue_head head;
    EXPECT_EQ(timerqueue_getnext(&head), nullptr);
}

TEST(TimerQueue, EqualExpiryKeepsInsertionOrder) {
    timerqueue_head head;
    timer t[4];
    for (int i = 0; i < 4; i++) {
        timerqueue_init(&t[i].node);
        t[i].node.expires = 100;
        t[i].seq = i;
        EXPECT_EQ(timerqueue_add(&head, &t[i].node), i == 0);
    }
    timerqueue_node* n = timerqueue_getnext(&head);
    for (int i = 0; i < 4; i++, n = timerqueue_iterate_next(n)) EXPECT_EQ(of(n)->seq, i);
}

TEST(TimerQueue, RandomAddDelMatchesMultiset) {
    std::mt19937_64 rng(42);
    constexpr int N = 2000;
    std::vector<timer> timers(N);
    Oracle oracle;
    timerqueue_head head;
    int seq = 0;
    for (auto& t : timers) timerqueue_init(&t.node);
    for (int step = 0; step < 20000; step++) {
        timer& t = timers[rng() % N];
        if (!timerqueue_node_queued(&t.node)) {
            // Few distinct values, so equal expiry times are common.
            t.node.expires = ktime_t(rng() % 500) - 100;
            t.seq = seq++;
            bool first = oracle.empty() || std::make_pair(t.node.expires, t.seq) < *oracle.begin();
            ASSERT_EQ(timerqueue_add(&head, &t.node), first);
            oracle.insert({t.node.expires, t.seq});
            ASSERT_TRUE(timerqueue_node_queued(&t.node));
        } else {
            oracle.erase(oracle.find({t.node.expires, t.seq}));
            ASSERT_EQ(timerqueue_del(&head, &t.node), !oracle.empty());
            ASSERT_FALSE(timerqueue_node_queued(&t.node));
        }
        if (step % 97 == 0) check_against(&head, oracle);
        timerqueue_node* next = timerqueue_getnext(&head);
        if (oracle.empty()) ASSERT_EQ(next, nullptr);
        else ASSERT_EQ(of(next)->seq, oracle.begin()->second);
        ASSERT_EQ(rb_check(&head.rb_root.rb_root), nullptr);
    }
    check_against(&head, oracle);
}

}  // namespace
