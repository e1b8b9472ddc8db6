// The queued reader-writer lock behind rwlock_t (Linux's
// kernel/locking/qrwlock.c). `cnts` holds the reader count (from bit 9) and
// the writer byte; uncontended, each side is one atomic operation. Contended
// lockers take wait_lock, a ticket lock, which orders them by arrival.
//
// The validator sees read locks as ordinary acquisitions: with a waiting
// writer, a task-context reader taking the lock again would deadlock here, so
// recursive reads are reported like any recursive locking.
#include <keel/preempt.h>
#include <keel/rwlock.h>

void rwlock_t::read_acquire() {
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&dep_map_, 0, false, lock_kind::spinning);
    u32 cnts = cnts_.fetch_add(QR_BIAS, memory_order::acquire);
    if (cnts & QW_WMASK) read_lock_slowpath();
}

void rwlock_t::read_lock_slowpath() {
    if (in_interrupt()) {
        // Already counted in; only a writer that holds the lock keeps us out.
        while (cnts_.load(memory_order::acquire) & QW_LOCKED) __builtin_ia32_pause();
        return;
    }
    cnts_.fetch_sub(QR_BIAS, memory_order::relaxed);
    wait_lock_.lock();
    cnts_.fetch_add(QR_BIAS, memory_order::acquire);
    // The writer ahead of us in the queue (if any) now holds the lock or
    // waits for readers; once it is done, we are in.
    while (cnts_.load(memory_order::acquire) & QW_LOCKED) __builtin_ia32_pause();
    wait_lock_.unlock();  // the next in line may be a reader too
}

void rwlock_t::read_release() {
    if constexpr (CONFIG_LOCKDEP) lock_release(&dep_map_, lock_kind::spinning);
    cnts_.fetch_sub(QR_BIAS, memory_order::release);
}

void rwlock_t::write_acquire() {
    if constexpr (CONFIG_LOCKDEP) lock_acquire(&dep_map_, 0, false, lock_kind::spinning);
    u32 zero = 0;
    if (!cnts_.compare_exchange(zero, QW_LOCKED, memory_order::acquire, memory_order::relaxed)) write_lock_slowpath();
}

void rwlock_t::write_lock_slowpath() {
    wait_lock_.lock();
    u32 zero = 0;
    if (!cnts_.compare_exchange(zero, QW_LOCKED, memory_order::acquire, memory_order::relaxed)) {
        // Stop new readers (they see WAITING and queue on wait_lock behind
        // us), then wait for the ones inside to leave.
        cnts_.fetch_or(QW_WAITING, memory_order::relaxed);
        for (;;) {
            u32 waiting = QW_WAITING;
            if (cnts_.compare_exchange(waiting, QW_LOCKED, memory_order::acquire, memory_order::relaxed)) break;
            __builtin_ia32_pause();
        }
    }
    wait_lock_.unlock();
}

void rwlock_t::write_release() {
    if constexpr (CONFIG_LOCKDEP) lock_release(&dep_map_, lock_kind::spinning);
    cnts_.fetch_sub(QW_LOCKED, memory_order::release);
}
