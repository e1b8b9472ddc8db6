// Sequence counters and the queued rwlock's states, on the host.
#include <gtest/gtest.h>
#include <keel/rwlock.h>
#include <keel/seqlock.h>
#include <thread>

namespace {

TEST(SeqcountTest, ReaderRetriesOnlyAcrossAWrite) {
    seqcount_t s;
    unsigned start = read_seqcount_begin(&s);
    EXPECT_FALSE(read_seqcount_retry(&s, start));
    write_seqcount_begin(&s);
    EXPECT_EQ(raw_read_seqcount(&s) & 1, 1u);  // a reader starting now would wait
    write_seqcount_end(&s);
    EXPECT_TRUE(read_seqcount_retry(&s, start));
    start = read_seqcount_begin(&s);
    EXPECT_FALSE(read_seqcount_retry(&s, start));
}

TEST(SeqcountTest, ReadersNeverAcceptATornPair) {
    // The writer keeps a == b; a reader that accepts a snapshot must see them equal.
    seqcount_t s;
    volatile unsigned long a = 0, b = 0;
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (unsigned long i = 1; i <= 200000; i++) {
            write_seqcount_begin(&s);
            a = i;
            b = i;
            write_seqcount_end(&s);
            // Quiet moments, so the reader gets to accept snapshots between writes
            // whatever the host's scheduling (it must still never accept a torn one).
            if (i % 256 == 0) std::this_thread::yield();
        }
        stop = true;
    });
    unsigned long accepted = 0, torn = 0;
    while (!stop) {
        unsigned long x, y;
        unsigned seq;
        do {
            seq = read_seqcount_begin(&s);
            x = a;
            y = b;
        } while (read_seqcount_retry(&s, seq));
        accepted++;
        torn += x != y;
    }
    writer.join();
    EXPECT_GT(accepted, 0ul);
    EXPECT_EQ(torn, 0ul);
}

TEST(SeqlockTest, WriteSeqlockBracketsTheCounter) {
    seqlock_t sl{"test_seqlock"};
    unsigned start = read_seqbegin(&sl);
    {
        WriteSeqlock<IrqSave> w(sl);
        EXPECT_TRUE(sl.lock.is_locked());
    }
    EXPECT_FALSE(sl.lock.is_locked());
    EXPECT_TRUE(read_seqretry(&sl, start));
    write_seqlock(&sl);
    write_sequnlock(&sl);
    EXPECT_EQ(read_seqbegin(&sl), start + 4);
}

TEST(RwlockTest, GuardsTakeAndDropBothSides) {
    rwlock_t l{"test_rwlock"};
    {
        ReadGuard<IrqSave> r(l);
        EXPECT_FALSE(l.write_is_locked());
    }
    {
        WriteGuard<NoIrqSave> w(l);
        EXPECT_TRUE(l.write_is_locked());
    }
    EXPECT_FALSE(l.write_is_locked());
    EXPECT_EQ(preempt_count(), 0u);
}

}  // namespace
