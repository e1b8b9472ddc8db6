// Mutexes (Linux's kernel/locking/mutex.c), the algorithm of the notes:
//
// lock:   cmpxchg owner 0 -> current. Failing that, spin while the owner is
//         running on another CPU (it will release soon); failing that, queue at
//         the tail of wait_list under wait_lock, set WAITERS, and sleep. A woken
//         waiter retries; the first waiter, once it has lost a race to a
//         newcomer, sets HANDOFF so the next unlock gives the lock to it
//         directly: newcomers cannot starve the queue.
// unlock: clear the task bits, keeping the flags; if WAITERS was set, wake the
//         first waiter; if HANDOFF was set, do not release at all but store
//         the first waiter as the owner with PICKUP, for it to collect.
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/panic.h>
#include <keel/sched.h>

namespace {

struct mutex_waiter {
    list_head list;
    task_struct* task;
};

unsigned long owner_flags(unsigned long owner) { return owner & MUTEX_FLAGS; }
task_struct* owner_task(unsigned long owner) { return reinterpret_cast<task_struct*>(owner & ~MUTEX_FLAGS); }

// Tries to take the lock for current. With `handoff`, a waiter that fails
// asks (by setting HANDOFF) to be given the lock at the next unlock. Returns
// nullptr on success, else the owner.
task_struct* mutex_trylock_common(mutex* lock, bool handoff) {
    auto curr = reinterpret_cast<unsigned long>(current);
    unsigned long owner = lock->owner.load(memory_order::relaxed);
    for (;;) {
        unsigned long flags = owner_flags(owner);
        unsigned long task = owner & ~MUTEX_FLAGS;
        if (task) {
            if (flags & MUTEX_FLAG_PICKUP) {
                if (task != curr) break;  // handed to someone else
                flags &= ~MUTEX_FLAG_PICKUP;  // handed to us: pick it up
            } else if (handoff) {
                if (flags & MUTEX_FLAG_HANDOFF) break;
                flags |= MUTEX_FLAG_HANDOFF;
            } else {
                break;
            }
        } else {
            WARN_ON(flags & (MUTEX_FLAG_HANDOFF | MUTEX_FLAG_PICKUP));
            task = curr;
        }
        if (lock->owner.compare_exchange(owner, task | flags, memory_order::acquire, memory_order::relaxed)) {
            if (task == curr) return nullptr;
            break;  // we only set HANDOFF
        }
    }
    return owner_task(owner);
}

bool mutex_trylock_fast(mutex* lock) {
    unsigned long zero = 0;
    return lock->owner.compare_exchange(zero, reinterpret_cast<unsigned long>(current), memory_order::acquire,
                                        memory_order::relaxed);
}

bool owner_on_cpu(task_struct* owner) { return __atomic_load_n(&owner->on_cpu, __ATOMIC_RELAXED); }

bool waiter_is_first(mutex* lock, mutex_waiter* waiter) {
    return list_first_entry(&lock->wait_list, mutex_waiter, list) == waiter;
}

// Spins while `owner` holds the lock and runs on another CPU. Preemption is
// off, which is also what keeps `owner` from being freed meanwhile (task
// structs are freed after an RCU grace period). False if spinning should stop.
bool mutex_spin_on_owner(mutex* lock, task_struct* owner, mutex_waiter* waiter) {
    while (__mutex_owner(lock) == owner) {
        if (!owner_on_cpu(owner) || need_resched()) return false;
        if (waiter && !waiter_is_first(lock, waiter)) return false;
        __builtin_ia32_pause();
    }
    return true;
}

// Optimistic spinning: keep trying while the owner is running elsewhere. A
// queued waiter (`waiter`) only spins while it is first, and asks for handoff.
bool mutex_optimistic_spin(mutex* lock, mutex_waiter* waiter) {
    if (!waiter) {
        if (need_resched()) return false;
        task_struct* owner = __mutex_owner(lock);
        if (owner && !owner_on_cpu(owner)) return false;
    }
    // Try first, then spin on whoever the attempt found: an unlock may have
    // handed the lock to us (owner == current with PICKUP), and spinning
    // "until the owner lets go" on ourselves would last until need_resched.
    for (;;) {
        task_struct* owner = mutex_trylock_common(lock, waiter != nullptr);
        if (!owner) return true;
        if (!mutex_spin_on_owner(lock, owner, waiter)) break;
        __builtin_ia32_pause();
    }
    return false;
}

void add_waiter(mutex* lock, mutex_waiter* waiter) {
    list_add_tail(&waiter->list, &lock->wait_list);
    if (list_is_first(&waiter->list, &lock->wait_list)) lock->owner.fetch_or(MUTEX_FLAG_WAITERS, memory_order::relaxed);
}

void remove_waiter(mutex* lock, mutex_waiter* waiter) {
    list_del(&waiter->list);
    if (list_empty(&lock->wait_list)) lock->owner.fetch_and(~MUTEX_FLAGS, memory_order::relaxed);
}

__noinline void mutex_lock_slowpath(mutex* lock) {
    preempt_disable();
    if (!mutex_trylock_common(lock, false) || mutex_optimistic_spin(lock, nullptr)) {
        preempt_enable();
        return;
    }
    lock->wait_lock.lock();
    if (!mutex_trylock_common(lock, false)) {  // released while we took wait_lock
        lock->wait_lock.unlock();
        preempt_enable();
        return;
    }
    mutex_waiter waiter;
    waiter.task = current;
    add_waiter(lock, &waiter);
    set_current_state(TASK_UNINTERRUPTIBLE);
    for (;;) {
        // With wait_lock held we are serialised against an unlock handing the
        // lock to us: try before sleeping so the handoff is not missed.
        if (!mutex_trylock_common(lock, false)) break;
        lock->wait_lock.unlock();
        schedule_preempt_disabled();
        bool first = waiter_is_first(lock, &waiter);
        set_current_state(TASK_UNINTERRUPTIBLE);
        // Either we see the unlock, or the unlocker sees us sleeping and wakes us.
        if (!mutex_trylock_common(lock, first)) {
            lock->wait_lock.lock();
            break;
        }
        if (first && mutex_optimistic_spin(lock, &waiter)) {
            lock->wait_lock.lock();
            break;
        }
        lock->wait_lock.lock();
    }
    __set_current_state(TASK_RUNNING);
    remove_waiter(lock, &waiter);
    lock->wait_lock.unlock();
    preempt_enable();
}

// Gives the lock to `task` (the first waiter, or nobody), keeping WAITERS.
void mutex_handoff(mutex* lock, task_struct* task) {
    unsigned long owner = lock->owner.load(memory_order::relaxed);
    for (;;) {
        unsigned long next = (owner & MUTEX_FLAG_WAITERS) | reinterpret_cast<unsigned long>(task);
        if (task) next |= MUTEX_FLAG_PICKUP;
        if (lock->owner.compare_exchange(owner, next, memory_order::release, memory_order::relaxed)) return;
    }
}

}  // namespace

void mutex_lock_nested(mutex* lock, unsigned subclass) {
    might_sleep();
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&lock->dep_map, subclass, false, lock_kind::sleeping);
    if (!mutex_trylock_fast(lock)) mutex_lock_slowpath(lock);
}

void mutex_lock(mutex* lock) { mutex_lock_nested(lock, 0); }

bool mutex_trylock(mutex* lock) {
    if (mutex_trylock_common(lock, false)) return false;
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&lock->dep_map, 0, true, lock_kind::sleeping);
    return true;
}

void mutex_unlock(mutex* lock) {
    if constexpr (CONFIG_LOCKDEP) lock_release(&lock->dep_map, lock_kind::sleeping);
    unsigned long owner = lock->owner.load(memory_order::relaxed);
    for (;;) {
        WARN_ON(owner_task(owner) != current);  // DEBUG_MUTEXES: only the owner unlocks
        WARN_ON(owner & MUTEX_FLAG_PICKUP);
        if (owner & MUTEX_FLAG_HANDOFF) break;  // must not release: hand over below
        unsigned long old = owner;
        if (lock->owner.compare_exchange(owner, owner_flags(old), memory_order::release, memory_order::relaxed)) {
            if (old & MUTEX_FLAG_WAITERS) break;
            return;
        }
    }
    // Wake (and possibly hand the lock to) the first waiter. The wake-up
    // happens under wait_lock: the waiter cannot leave the list, and so cannot
    // return and exit, before we are done with it.
    Guard<NoIrqSave> g(lock->wait_lock);
    task_struct* next = nullptr;
    if (!list_empty(&lock->wait_list)) next = list_first_entry(&lock->wait_list, mutex_waiter, list)->task;
    if (owner & MUTEX_FLAG_HANDOFF) mutex_handoff(lock, next);
    if (next) wake_up_process(next);
}
