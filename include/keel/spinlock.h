// Spinlocks. A ticket lock: CPUs are served in the order they arrived, so no CPU
// starves under contention. Holding a spinlock disables preemption (as in
// Linux: a task preempted while holding one would make every other CPU spin
// until it ran again), and every lock belongs to a lockdep class (keel/lockdep.h).
//
// Code takes a lock through Guard, whose type argument says what happens to
// local interrupts and softirqs, so the context is visible in the type:
//     Guard<IrqSave> g(zone->lock);   // spin_lock_irqsave: IRQs off, restored on exit
//     Guard<BhSave> g(lock);          // spin_lock_bh: softirqs off on this CPU
//     Guard<NoIrqSave> g(lock);       // spin_lock: IRQs untouched, preemption off
// The scheduler, which hands its run-queue lock from one task to the next
// across a context switch, uses lock()/unlock() directly.
#pragma once
#include <asm/irqflags.h>
#include <keel/atomic.h>
#include <keel/lockdep.h>
#include <keel/preempt.h>
#include <keel/types.h>

// The bare ticket lock (Linux's arch_spinlock_t): no preemption counting, no
// validation. Only the layers under spinlock_t use it (lockdep itself, which
// must not recurse into itself).
class arch_spinlock_t {
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
    bool is_locked() const { return next_.load(memory_order::relaxed) != owner_.load(memory_order::relaxed); }

private:
    Atomic<u16> next_{0};
    Atomic<u16> owner_{0};
};

class spinlock_t {
public:
    // `name` is the lock's class; unnamed locks are classed by declaration site.
    constexpr spinlock_t(const char* name = nullptr, const char* file = __builtin_FILE(),
                         unsigned line = __builtin_LINE())
        : dep_map_(name, file, line) {}
    spinlock_t(const spinlock_t&) = delete;
    spinlock_t& operator=(const spinlock_t&) = delete;

    void lock(unsigned subclass = 0) {
        preempt_disable();
        acquire(subclass);
    }
    bool try_lock() {
        preempt_disable();
        if (raw_.try_lock()) {
            if constexpr (CONFIG_LOCKDEP) lock_acquire(&dep_map_, 0, true, lock_kind::spinning);
            return true;
        }
        preempt_enable();
        return false;
    }
    void unlock() {
        release();
        preempt_enable();
    }
    bool is_locked() const { return raw_.is_locked(); }
    // For assertions: this CPU holds the lock (always true without lockdep).
    bool is_held() const { return !CONFIG_LOCKDEP || lock_is_held(&dep_map_, lock_kind::spinning); }

    // The halves Guard composes with its IRQ policy: taking and dropping the
    // lock itself while preemption is already off.
    void acquire(unsigned subclass) {
        if constexpr (CONFIG_LOCKDEP) lock_acquire(&dep_map_, subclass, false, lock_kind::spinning);
        raw_.lock();
    }
    void release() {
        if constexpr (CONFIG_LOCKDEP) lock_release(&dep_map_, lock_kind::spinning);
        raw_.unlock();
    }

    lockdep_map* dep_map() { return &dep_map_; }

private:
    // All members private: a spinlock keeps its holder standard-layout, which
    // container_of (offsetof) needs.
    lockdep_map dep_map_;
    arch_spinlock_t raw_;
};

// softirq control (kernel/softirq.cpp, also declared in keel/interrupt.h).
void local_bh_disable();
void local_bh_enable();

// The context policies. enter() runs before preemption is disabled and the lock
// taken; leave() after the lock is dropped and before preemption is enabled
// again, so a reschedule that became due inside is acted on at once (Linux's
// spin_unlock_irqrestore order: unlock, restore IRQs, preempt_enable).
struct IrqSave {
    unsigned long flags = 0;
    void enter() { flags = arch_local_irq_save(); }
    void leave() { arch_local_irq_restore(flags); }
};
struct BhSave {
    void enter() { local_bh_disable(); }
    void leave() { local_bh_enable(); }
};
struct NoIrqSave {
    void enter() {}
    void leave() {}
};

template <typename Policy> class [[nodiscard]] Guard {
public:
    explicit Guard(spinlock_t& lock, unsigned subclass = 0) : lock_(lock) {
        policy_.enter();
        preempt_disable();
        lock_.acquire(subclass);
    }
    ~Guard() {
        lock_.release();
        policy_.leave();
        preempt_enable();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

private:
    spinlock_t& lock_;
    Policy policy_;
};
