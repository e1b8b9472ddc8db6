// The lock validator on the host: real spinlock_t objects (whose lock() calls
// lockdep's hooks) taken in orders that form, or do not form, cycles.
#include <gtest/gtest.h>
#include <keel/lockdep.h>
#include <keel/preempt.h>
#include <keel/spinlock.h>
#include <kernel/locking/lockdep_internals.h>

namespace {

unsigned long reports() { return lockdep_reports.load(memory_order::relaxed); }

TEST(LockdepTest, ConsistentOrderIsSilent) {
    spinlock_t a{"test_consistent_a"}, b{"test_consistent_b"};
    unsigned long before = reports();
    for (int i = 0; i < 3; i++) {
        Guard<NoIrqSave> ga(a);
        Guard<NoIrqSave> gb(b);
    }
    EXPECT_EQ(reports(), before);
    EXPECT_EQ(preempt_count(), 0u);
}

TEST(LockdepTest, AbBaInversionIsReportedOnce) {
    spinlock_t a{"test_abba_a"}, b{"test_abba_b"};
    unsigned long before = reports();
    {
        Guard<IrqSave> ga(a);
        Guard<IrqSave> gb(b);
    }
    EXPECT_EQ(reports(), before);
    for (int i = 0; i < 2; i++) {
        Guard<IrqSave> gb(b);
        Guard<IrqSave> ga(a);
    }
    EXPECT_EQ(reports(), before + 1);
}

TEST(LockdepTest, LongCycleThroughThreeClasses) {
    spinlock_t a{"test_cycle3_a"}, b{"test_cycle3_b"}, c{"test_cycle3_c"};
    unsigned long before = reports();
    { Guard<NoIrqSave> g1(a); Guard<NoIrqSave> g2(b); }
    { Guard<NoIrqSave> g1(b); Guard<NoIrqSave> g2(c); }
    EXPECT_EQ(reports(), before);
    { Guard<NoIrqSave> g1(c); Guard<NoIrqSave> g2(a); }  // c -> a closes a -> b -> c
    EXPECT_EQ(reports(), before + 1);
}

TEST(LockdepTest, LocksOfOneClassAreOneNode) {
    // Two instances named alike are one class: x1 -> y then y -> x2 is an inversion.
    spinlock_t x1{"test_class_x"}, x2{"test_class_x"}, y{"test_class_y"};
    unsigned long before = reports();
    { Guard<NoIrqSave> g1(x1); Guard<NoIrqSave> g2(y); }
    { Guard<NoIrqSave> g1(y); Guard<NoIrqSave> g2(x2); }
    EXPECT_EQ(reports(), before + 1);
}

TEST(LockdepTest, RecursiveClassNeedsSubclass) {
    spinlock_t r1{"test_rq"}, r2{"test_rq"};
    unsigned long before = reports();
    {
        Guard<NoIrqSave> g1(r1);
        Guard<NoIrqSave> g2(r2, SINGLE_DEPTH_NESTING);
    }
    EXPECT_EQ(reports(), before);
    {
        Guard<NoIrqSave> g1(r1);
        Guard<NoIrqSave> g2(r2);
    }
    EXPECT_EQ(reports(), before + 1);
}

TEST(LockdepTest, TrylockAddsNoDependencyButLaterLocksDependOnIt) {
    spinlock_t a{"test_try_a"}, b{"test_try_b"}, c{"test_try_c"};
    unsigned long before = reports();
    {
        Guard<NoIrqSave> gb(b);
        ASSERT_TRUE(a.try_lock());  // b held, a trylocked: no b -> a edge
        a.unlock();
    }
    { Guard<NoIrqSave> ga(a); Guard<NoIrqSave> gb(b); }  // a -> b: no cycle
    EXPECT_EQ(reports(), before);
    {
        ASSERT_TRUE(c.try_lock());
        Guard<NoIrqSave> ga(a);  // c (trylocked) -> a is recorded
        c.unlock();
    }
    { Guard<NoIrqSave> ga(a); Guard<NoIrqSave> gc(c); }  // a -> c closes the cycle
    EXPECT_EQ(reports(), before + 1);
}

TEST(LockdepTest, HeldStateFollowsLockAndUnlock) {
    spinlock_t a{"test_held"};
    EXPECT_FALSE(a.is_held());
    a.lock();
    EXPECT_TRUE(a.is_held());
    EXPECT_EQ(preempt_count(), PREEMPT_OFFSET);
    a.unlock();
    EXPECT_FALSE(a.is_held());
    EXPECT_EQ(preempt_count(), 0u);
}

TEST(LockdepTest, UnbalancedUnlockIsReported) {
    spinlock_t a{"test_unbalanced"};
    unsigned long before = reports();
    a.lock();
    a.release();  // lockdep forgets it...
    preempt_enable();
    lock_release(a.dep_map(), lock_kind::spinning);  // ...so a second release is one too many
    EXPECT_EQ(reports(), before + 1);
}

TEST(LockdepGraphTest, ChainIsReturnedInOrder) {
    lockdep_map ma{"graph_a", nullptr, 0}, mb{"graph_b", nullptr, 0}, mc{"graph_c", nullptr, 0};
    lock_class* a = lockdep_class_lookup(&ma, 0);
    lock_class* b = lockdep_class_lookup(&mb, 0);
    lock_class* c = lockdep_class_lookup(&mc, 0);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(lockdep_class_lookup(&ma, 0), a);
    EXPECT_NE(lockdep_class_lookup(&ma, 1), a);
    int chain[MAX_LOCKDEP_CHAIN];
    unsigned len = 0;
    unsigned long trace[2] = {0x1234, 0x5678};
    EXPECT_EQ(lockdep_add_edge(a, b, trace, 2, chain, &len), add_result::added);
    EXPECT_EQ(lockdep_add_edge(a, b, trace, 2, chain, &len), add_result::exists);
    EXPECT_EQ(lockdep_add_edge(b, c, trace, 1, chain, &len), add_result::added);
    EXPECT_TRUE(lockdep_edge_exists(a, b));
    EXPECT_FALSE(lockdep_edge_exists(b, a));
    ASSERT_EQ(lockdep_add_edge(c, a, trace, 2, chain, &len), add_result::cycle);
    ASSERT_EQ(len, 2u);  // the existing path a -> b -> c
    EXPECT_EQ(lockdep_edge(chain[0])->from, a->id);
    EXPECT_EQ(lockdep_edge(chain[0])->to, b->id);
    EXPECT_EQ(lockdep_edge(chain[0])->nr_entries, 2u);
    EXPECT_EQ(lockdep_edge(chain[0])->trace[1], 0x5678ul);
    EXPECT_EQ(lockdep_edge(chain[1])->from, b->id);
    EXPECT_EQ(lockdep_edge(chain[1])->to, c->id);
}

TEST(LockdepGraphTest, ClassNames) {
    lockdep_map named{"zone->lock", "mm/page_alloc.cpp", 10}, site{nullptr, "mm/vmalloc.cpp", 15};
    char buf[64];
    lockdep_class_name(lockdep_class_lookup(&named, 0), buf, sizeof(buf));
    EXPECT_STREQ(buf, "zone->lock");
    lockdep_class_name(lockdep_class_lookup(&named, 1), buf, sizeof(buf));
    EXPECT_STREQ(buf, "zone->lock/1");
    lockdep_class_name(lockdep_class_lookup(&site, 0), buf, sizeof(buf));
    EXPECT_STREQ(buf, "mm/vmalloc.cpp:15");
}

}  // namespace
