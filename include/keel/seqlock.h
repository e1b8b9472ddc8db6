// Sequence counters and sequential locks (Linux's include/linux/seqlock.h):
// for data read often and written rarely, where readers must never block the
// writer (jiffies_64, timekeeping). A writer makes the counter odd while it
// writes and even again after; a reader notes the counter before reading and
// retries if it was odd or changed meanwhile:
//     unsigned seq;
//     do {
//         seq = read_seqbegin(&lock);
//         copy = data;
//     } while (read_seqretry(&lock, seq));
// Readers may see torn data inside the loop; they must not act on it before
// read_seqretry says it was consistent.
#pragma once
#include <keel/atomic.h>
#include <keel/spinlock.h>

// A bare counter: writers are serialised by some lock of the caller's.
struct seqcount_t {
    Atomic<unsigned> sequence{0};
};

static inline unsigned raw_read_seqcount(const seqcount_t* s) { return s->sequence.load(memory_order::acquire); }

// Waits out a writer in progress, returns the (even) sequence to check against.
static inline unsigned read_seqcount_begin(const seqcount_t* s) {
    unsigned seq;
    while ((seq = raw_read_seqcount(s)) & 1) __builtin_ia32_pause();
    return seq;
}

// True if the reads since `start` may be inconsistent and must be retried.
static inline bool read_seqcount_retry(const seqcount_t* s, unsigned start) {
    // The data reads before this point must not be reordered after the check.
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return s->sequence.load(memory_order::relaxed) != start;
}

static inline void write_seqcount_begin(seqcount_t* s) {
    s->sequence.store(s->sequence.load(memory_order::relaxed) + 1, memory_order::relaxed);
    // The odd count is visible before any data write.
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void write_seqcount_end(seqcount_t* s) {
    s->sequence.store(s->sequence.load(memory_order::relaxed) + 1, memory_order::release);
}

// A seqcount with its own spinlock for the writers.
struct seqlock_t {
    seqcount_t seqcount;
    spinlock_t lock;

    constexpr seqlock_t(const char* name = nullptr, const char* file = __builtin_FILE(),
                        unsigned line = __builtin_LINE())
        : lock(name, file, line) {}
};

#define DEFINE_SEQLOCK(name) seqlock_t name{#name}

static inline unsigned read_seqbegin(const seqlock_t* sl) { return read_seqcount_begin(&sl->seqcount); }
static inline bool read_seqretry(const seqlock_t* sl, unsigned start) {
    return read_seqcount_retry(&sl->seqcount, start);
}

// The writer's side as Linux spells it (spin_lock semantics: IRQs untouched).
static inline void write_seqlock(seqlock_t* sl) {
    sl->lock.lock();
    write_seqcount_begin(&sl->seqcount);
}
static inline void write_sequnlock(seqlock_t* sl) {
    write_seqcount_end(&sl->seqcount);
    sl->lock.unlock();
}

// The same as a scope, with the IRQ policy in the type as for spinlocks:
//     WriteSeqlock<IrqSave> w(timekeeper_lock);   // write_seqlock_irqsave
template <typename Policy> class [[nodiscard]] WriteSeqlock {
public:
    explicit WriteSeqlock(seqlock_t& sl) : sl_(sl), guard_(sl.lock) { write_seqcount_begin(&sl_.seqcount); }
    ~WriteSeqlock() { write_seqcount_end(&sl_.seqcount); }
    WriteSeqlock(const WriteSeqlock&) = delete;
    WriteSeqlock& operator=(const WriteSeqlock&) = delete;

private:
    seqlock_t& sl_;
    Guard<Policy> guard_;
};
