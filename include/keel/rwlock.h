// Reader-writer spinlocks (Linux's rwlock_t, implemented as its queued rwlock,
// kernel/locking/qrwlock.c). Many readers or one writer; contenders line up on
// a ticket lock, so the lock is fair in arrival order and neither side starves:
// a writer that arrives waits for the readers inside, and readers arriving
// after it wait for it. One exception, as in Linux: a reader in interrupt
// context does not queue behind a waiting writer (only behind a writer that
// holds the lock), so an interrupt handler may take a read lock that the code
// it interrupted already holds.
//     ReadGuard<IrqSave> g(tasklist_lock);    // read_lock_irqsave
//     WriteGuard<NoIrqSave> g(lock);          // write_lock
#pragma once
#include <keel/spinlock.h>

class rwlock_t {
public:
    constexpr rwlock_t(const char* name = nullptr, const char* file = __builtin_FILE(),
                       unsigned line = __builtin_LINE())
        : dep_map_(name, file, line) {}
    rwlock_t(const rwlock_t&) = delete;
    rwlock_t& operator=(const rwlock_t&) = delete;

    // Preemption must already be off (the guards do that).
    void read_acquire();
    void read_release();
    void write_acquire();
    void write_release();
    bool write_is_locked() const { return cnts_.load(memory_order::relaxed) & QW_LOCKED; }

private:
    static constexpr u32 QW_LOCKED = 0x0ff;   // a writer holds it
    static constexpr u32 QW_WAITING = 0x100;  // a writer waits for the readers to leave
    static constexpr u32 QW_WMASK = 0x1ff;
    static constexpr u32 QR_BIAS = 1u << 9;   // one reader

    void read_lock_slowpath();
    void write_lock_slowpath();

    lockdep_map dep_map_;
    Atomic<u32> cnts_{0};
    arch_spinlock_t wait_lock_;
};

template <typename Policy> class [[nodiscard]] ReadGuard {
public:
    explicit ReadGuard(rwlock_t& lock) : lock_(lock) {
        policy_.enter();
        preempt_disable();
        lock_.read_acquire();
    }
    ~ReadGuard() {
        lock_.read_release();
        policy_.leave();
        preempt_enable();
    }
    ReadGuard(const ReadGuard&) = delete;
    ReadGuard& operator=(const ReadGuard&) = delete;

private:
    rwlock_t& lock_;
    Policy policy_;
};

template <typename Policy> class [[nodiscard]] WriteGuard {
public:
    explicit WriteGuard(rwlock_t& lock) : lock_(lock) {
        policy_.enter();
        preempt_disable();
        lock_.write_acquire();
    }
    ~WriteGuard() {
        lock_.write_release();
        policy_.leave();
        preempt_enable();
    }
    WriteGuard(const WriteGuard&) = delete;
    WriteGuard& operator=(const WriteGuard&) = delete;

private:
    rwlock_t& lock_;
    Policy policy_;
};
