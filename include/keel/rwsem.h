// Reader-writer semaphores (Linux's include/linux/rwsem.h): many readers or one
// writer, sleeping while they wait. Fair: once anyone is queued, new readers
// queue behind them instead of joining the readers inside, so a stream of
// readers cannot starve a writer. Waiters are granted the lock in FIFO order
// by whoever releases it: a writer alone, or every reader at the head of the
// queue together (kernel/locking/rwsem.cpp).
#pragma once
#include <keel/atomic.h>
#include <keel/lockdep.h>
#include <keel/spinlock.h>
#include <lib/list.h>

// count: bit 0 a writer holds it, bit 1 someone is queued, readers above.
constexpr long RWSEM_WRITER_LOCKED = 1l << 0;
constexpr long RWSEM_FLAG_WAITERS = 1l << 1;
constexpr long RWSEM_READER_SHIFT = 8;
constexpr long RWSEM_READER_BIAS = 1l << RWSEM_READER_SHIFT;
constexpr long RWSEM_READER_MASK = ~(RWSEM_READER_BIAS - 1);

struct rw_semaphore {
    Atomic<long> count{0};
    spinlock_t wait_lock{"rw_semaphore.wait_lock"};
    list_head wait_list;
    lockdep_map dep_map;

    constexpr rw_semaphore(const char* name = nullptr, const char* file = __builtin_FILE(),
                           unsigned line = __builtin_LINE())
        : wait_list{&wait_list, &wait_list}, dep_map(name, file, line) {}
    rw_semaphore(const rw_semaphore&) = delete;
    rw_semaphore& operator=(const rw_semaphore&) = delete;
};

#define DECLARE_RWSEM(name) rw_semaphore name{#name}

void down_read(rw_semaphore* sem);
void up_read(rw_semaphore* sem);
void down_write(rw_semaphore* sem);
void up_write(rw_semaphore* sem);
// 1 if taken, 0 if not (Linux's convention); never sleep.
int down_read_trylock(rw_semaphore* sem);
int down_write_trylock(rw_semaphore* sem);
// Turns the caller's write lock into a read lock without letting a writer in.
void downgrade_write(rw_semaphore* sem);
static inline bool rwsem_is_locked(rw_semaphore* sem) {
    return sem->count.load(memory_order::relaxed) & (RWSEM_WRITER_LOCKED | RWSEM_READER_MASK);
}
