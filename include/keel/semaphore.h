// Counting semaphores (Linux's include/linux/semaphore.h): `count` tasks may
// hold it at once; the others sleep in FIFO order. up() may be called from any
// context and by a task other than the one that called down() — which is
// what distinguishes it from a mutex, and why lockdep does not track it.
#pragma once
#include <keel/spinlock.h>
#include <lib/list.h>

struct semaphore {
    spinlock_t lock{"semaphore->lock"};
    unsigned count;
    list_head wait_list;

    constexpr explicit semaphore(unsigned n) : count(n), wait_list{&wait_list, &wait_list} {}
    semaphore(const semaphore&) = delete;
    semaphore& operator=(const semaphore&) = delete;
};

#define DEFINE_SEMAPHORE(name) semaphore name{1}
void sema_init(semaphore* sem, unsigned val);

void down(semaphore* sem);
// 0 on success, -ETIME if `timeout` jiffies passed first.
int down_timeout(semaphore* sem, long timeout);
// Takes the semaphore if available, never sleeps. Beware Linux's convention,
// kept here: 0 on success, 1 if it is not available.
int down_trylock(semaphore* sem);
void up(semaphore* sem);
