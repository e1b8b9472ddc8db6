// Spinlocks. A ticket lock: CPUs are served in the order they arrived, so no CPU
// starves under contention. Code takes a lock only through Guard, whose second
// type argument says what happens to local interrupts:
//     Guard<IrqSave> g(zone->lock);     // disables IRQs, restores them on exit
//     Guard<NoIrqSave> g(lock);         // caller already runs with IRQs off
// (issue 3 adds BhSave, preempt_count and the lock validator on top of this.)
#pragma once
#include <asm/irqflags.h>
#include <atomic>
#include <keel/types.h>

class spinlock_t {
public:
    void lock() {
        u16 ticket = next_.fetch_add(1, std::memory_order_relaxed);
        while (owner_.load(std::memory_order_acquire) != ticket) __builtin_ia32_pause();
    }
    bool try_lock() {
        u16 owner = owner_.load(std::memory_order_relaxed);
        u16 expected = owner;
        return next_.compare_exchange_strong(expected, u16(owner + 1), std::memory_order_acquire);
    }
    void unlock() { owner_.store(owner_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
    bool is_locked() const {
        return next_.load(std::memory_order_relaxed) != owner_.load(std::memory_order_relaxed);
    }

private:
    std::atomic<u16> next_{0};
    std::atomic<u16> owner_{0};
};

struct IrqSave {
    unsigned long flags = 0;
    void enter() { flags = arch_local_irq_save(); }
    void leave() { arch_local_irq_restore(flags); }
};
struct NoIrqSave {
    void enter() {}
    void leave() {}
};

template <typename IrqPolicy> class [[nodiscard]] Guard {
public:
    explicit Guard(spinlock_t& lock) : lock_(lock) {
        irq_.enter();
        lock_.lock();
    }
    ~Guard() {
        lock_.unlock();
        irq_.leave();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

private:
    spinlock_t& lock_;
    IrqPolicy irq_;
};
