// Reader-writer semaphores. The fast paths are one atomic operation on
// `count` and apply only while nobody is queued (RWSEM_FLAG_WAITERS clear);
// otherwise a task queues under wait_lock, and the lock is passed on in queue
// order by rwsem_grant(), which releasers and new waiters call. A granted
// waiter already owns the lock when it wakes: it has nothing to race for.
#include <keel/lockdep.h>
#include <keel/rwsem.h>
#include <keel/sched.h>

namespace {

enum class waiter_type { reader, writer };

struct rwsem_waiter {
    list_head list;
    task_struct* task;
    waiter_type type;
    bool granted;
};

// Passes the lock to the waiters at the head of the queue while it is free
// for them. Caller holds wait_lock.
void rwsem_grant(rw_semaphore* sem) {
    while (!list_empty(&sem->wait_list)) {
        auto* w = list_first_entry(&sem->wait_list, rwsem_waiter, list);
        long c = sem->count.load(memory_order::relaxed);
        if (w->type == waiter_type::writer) {
            if (c & (RWSEM_WRITER_LOCKED | RWSEM_READER_MASK)) return;
            // Only releases change count now (WAITERS blocks the fast paths): retry on a race.
            if (!sem->count.compare_exchange(c, c | RWSEM_WRITER_LOCKED, memory_order::acquire, memory_order::relaxed))
                continue;
        } else {
            if (c & RWSEM_WRITER_LOCKED) return;
            sem->count.fetch_add(RWSEM_READER_BIAS, memory_order::acquire);
        }
        list_del(&w->list);
        // The waiter checks `granted` under wait_lock, so it cannot go away
        // before this wake-up is done.
        w->granted = true;
        wake_up_process(w->task);
        if (w->type == waiter_type::writer) break;
    }
    if (list_empty(&sem->wait_list)) sem->count.fetch_and(~RWSEM_FLAG_WAITERS, memory_order::relaxed);
}

void rwsem_wait(rw_semaphore* sem, waiter_type type) {
    rwsem_waiter waiter;
    waiter.task = current;
    waiter.type = type;
    waiter.granted = false;
    {
        Guard<NoIrqSave> g(sem->wait_lock);
        list_add_tail(&waiter.list, &sem->wait_list);
        sem->count.fetch_or(RWSEM_FLAG_WAITERS, memory_order::relaxed);
        // The holder may have released before it could see WAITERS.
        rwsem_grant(sem);
    }
    for (;;) {
        {
            Guard<NoIrqSave> g(sem->wait_lock);
            if (waiter.granted) break;
            set_current_state(TASK_UNINTERRUPTIBLE);
        }
        schedule();
    }
    __set_current_state(TASK_RUNNING);
}

bool read_trylock_fast(rw_semaphore* sem) {
    long c = sem->count.load(memory_order::relaxed);
    while (!(c & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_WAITERS)))
        if (sem->count.compare_exchange(c, c + RWSEM_READER_BIAS, memory_order::acquire, memory_order::relaxed))
            return true;
    return false;
}

bool write_trylock_fast(rw_semaphore* sem) {
    long zero = 0;
    return sem->count.compare_exchange(zero, RWSEM_WRITER_LOCKED, memory_order::acquire, memory_order::relaxed);
}

void rwsem_wake(rw_semaphore* sem) {
    Guard<NoIrqSave> g(sem->wait_lock);
    rwsem_grant(sem);
}

}  // namespace

void down_read(rw_semaphore* sem) {
    might_sleep();
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&sem->dep_map, 0, false, lock_kind::sleeping);
    if (!read_trylock_fast(sem)) rwsem_wait(sem, waiter_type::reader);
}

void down_write(rw_semaphore* sem) {
    might_sleep();
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&sem->dep_map, 0, false, lock_kind::sleeping);
    if (!write_trylock_fast(sem)) rwsem_wait(sem, waiter_type::writer);
}

int down_read_trylock(rw_semaphore* sem) {
    if (!read_trylock_fast(sem)) return 0;
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&sem->dep_map, 0, true, lock_kind::sleeping);
    return 1;
}

int down_write_trylock(rw_semaphore* sem) {
    if (!write_trylock_fast(sem)) return 0;
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&sem->dep_map, 0, true, lock_kind::sleeping);
    return 1;
}

void up_read(rw_semaphore* sem) {
    if constexpr (CONFIG_LOCKDEP) lock_release(&sem->dep_map, lock_kind::sleeping);
    long c = sem->count.fetch_sub(RWSEM_READER_BIAS, memory_order::release) - RWSEM_READER_BIAS;
    if ((c & RWSEM_FLAG_WAITERS) && !(c & (RWSEM_WRITER_LOCKED | RWSEM_READER_MASK))) rwsem_wake(sem);
}

void up_write(rw_semaphore* sem) {
    if constexpr (CONFIG_LOCKDEP) lock_release(&sem->dep_map, lock_kind::sleeping);
    long c = sem->count.fetch_and(~RWSEM_WRITER_LOCKED, memory_order::release);
    if (c & RWSEM_FLAG_WAITERS) rwsem_wake(sem);
}

void downgrade_write(rw_semaphore* sem) {
    // One step from writer to reader: no writer can get in between.
    long c = sem->count.fetch_add(RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED, memory_order::release);
    if (c & RWSEM_FLAG_WAITERS) rwsem_wake(sem);  // readers queued first may join us
}
