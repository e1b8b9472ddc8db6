// Spinlocks. A ticket lock: CPUs are served in the order they arrived, so no CPU
// starves under contention. Code takes a lock only through Guard, whose second
// type argument says what happens to local interrupts:
//     Guard<IrqSave> g(zone->lock);     // disables IRQs, restores them on exit
//     Guard<NoIrqSave> g(lock);         // caller already runs with IRQs off
// (issue 3 adds BhSave, preempt_count and the lock validator on top of this.)
#pragma once
#include <asm/irqflags.h>
#include <keel/atomic.h>
#include <keel/types.h>

class spinlock_t {
public:
    void lock() {
        u16 ticket = next_.fetch_add(1, memory_order::relaxed);
        while (owner_.load(memory_order::acquire) != ticket) __builtin_ia32_pause();
    }
    bool try_lock() {
        u16 owner = owner_.load(memory_order::relaxed);
        u16 expected = owner;
        return next_.compare_exchange(expected, u16(owner + 1), memory_order::acquire, memory_order::relaxed);
    }
    void unlock() { owner_.store(u16(owner_.load(memory_order::relaxed) + 1), memory_order::release); }
    bool is_locked() const {
        return next_.load(memory_order::relaxed) != owner_.load(memory_order::relaxed);
    }

private:
    Atomic<u16> next_{0};
    Atomic<u16> owner_{0};
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
