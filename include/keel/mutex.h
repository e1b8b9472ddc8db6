// Mutexes (Linux's include/linux/mutex.h): a sleeping lock with one owner.
// The whole state is one word, `owner`: the owning task's pointer, whose low
// bits (task_structs are aligned) carry three flags —
//   MUTEX_FLAG_WAITERS  the wait list is not empty: unlock must wake someone;
//   MUTEX_FLAG_HANDOFF  the first waiter asks for the lock to be handed to it
//                       at the next unlock, rather than raced for;
//   MUTEX_FLAG_PICKUP   the unlocker handed the lock to that waiter, which now
//                       only has to pick it up.
// Uncontended lock and unlock are one compare-and-exchange each. Contended
// lockers first spin while the owner runs on another CPU (it will likely
// release soon, and sleeping costs two context switches), then queue FIFO on
// wait_list and sleep (kernel/locking/mutex.cpp, docs/locking.md).
//
// Rules (checked where lockdep can): only the owner unlocks; no recursion; not
// from interrupt context; the holder may sleep.
#pragma once
#include <keel/atomic.h>
#include <keel/lockdep.h>
#include <keel/spinlock.h>
#include <lib/list.h>

struct task_struct;

constexpr unsigned long MUTEX_FLAG_WAITERS = 0x01;
constexpr unsigned long MUTEX_FLAG_HANDOFF = 0x02;
constexpr unsigned long MUTEX_FLAG_PICKUP = 0x04;
constexpr unsigned long MUTEX_FLAGS = 0x07;

struct mutex {
    Atomic<unsigned long> owner{0};
    spinlock_t wait_lock{"mutex.wait_lock"};
    list_head wait_list;
    lockdep_map dep_map;

    // `name` is the lockdep class; unnamed mutexes are classed by declaration site.
    constexpr mutex(const char* name = nullptr, const char* file = __builtin_FILE(), unsigned line = __builtin_LINE())
        : wait_list{&wait_list, &wait_list}, dep_map(name, file, line) {}
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;
};

#define DEFINE_MUTEX(name) mutex name{#name}

void mutex_lock(mutex* lock);
// Lockdep subclass for nesting two mutexes of one class.
void mutex_lock_nested(mutex* lock, unsigned subclass);
// Takes the lock if it is free; never sleeps. True on success.
bool mutex_trylock(mutex* lock);
void mutex_unlock(mutex* lock);
static inline bool mutex_is_locked(mutex* lock) { return lock->owner.load(memory_order::relaxed) & ~MUTEX_FLAGS; }
static inline task_struct* __mutex_owner(mutex* lock) {
    return reinterpret_cast<task_struct*>(lock->owner.load(memory_order::relaxed) & ~MUTEX_FLAGS);
}

// A scope that holds a mutex: MutexGuard g(&lock);
class [[nodiscard]] MutexGuard {
public:
    explicit MutexGuard(mutex* lock) : lock_(lock) { mutex_lock(lock); }
    ~MutexGuard() { mutex_unlock(lock_); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    mutex* lock_;
};
