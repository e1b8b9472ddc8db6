// Wait queues (Linux's include/linux/wait.h): a task that must wait for a
// condition puts an entry on a queue and sleeps; whoever makes the condition
// true wakes the queue. Exclusive waiters are added at the tail and woken one
// at a time (to avoid thundering herds); the others are all woken.
#pragma once
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <lib/list.h>

struct wait_queue_entry;
using wait_queue_func_t = int (*)(wait_queue_entry* wq_entry, unsigned mode, int flags, void* key);

enum : unsigned { WQ_FLAG_EXCLUSIVE = 0x01 };

struct wait_queue_entry {
    unsigned flags = 0;
    task_struct* private_ = nullptr;
    wait_queue_func_t func = nullptr;
    list_head entry;
};

struct wait_queue_head {
    spinlock_t lock;
    list_head head;
};
using wait_queue_head_t = wait_queue_head;

int default_wake_function(wait_queue_entry* wq_entry, unsigned mode, int flags, void* key);
// Wakes the task and takes the entry off the queue (prepare_to_wait's default).
int autoremove_wake_function(wait_queue_entry* wq_entry, unsigned mode, int flags, void* key);

void init_wait_entry(wait_queue_entry* wq_entry, unsigned flags);
void add_wait_queue(wait_queue_head* wq_head, wait_queue_entry* wq_entry);
void add_wait_queue_exclusive(wait_queue_head* wq_head, wait_queue_entry* wq_entry);
void remove_wait_queue(wait_queue_head* wq_head, wait_queue_entry* wq_entry);
void prepare_to_wait(wait_queue_head* wq_head, wait_queue_entry* wq_entry, unsigned state);
void prepare_to_wait_exclusive(wait_queue_head* wq_head, wait_queue_entry* wq_entry, unsigned state);
void finish_wait(wait_queue_head* wq_head, wait_queue_entry* wq_entry);
// Wakes every non-exclusive waiter and up to nr_exclusive exclusive ones.
void __wake_up(wait_queue_head* wq_head, unsigned mode, int nr_exclusive, void* key);

#define wake_up(x) __wake_up((x), TASK_NORMAL, 1, nullptr)
#define wake_up_nr(x, nr) __wake_up((x), TASK_NORMAL, (nr), nullptr)
#define wake_up_all(x) __wake_up((x), TASK_NORMAL, 0, nullptr)
#define wake_up_interruptible(x) __wake_up((x), TASK_INTERRUPTIBLE, 1, nullptr)

// Sleeps until `condition` holds, re-checking after every wake-up.
#define wait_event(wq_head, condition)                                          \
    do {                                                                        \
        if (condition) break;                                                   \
        wait_queue_entry __wq_entry;                                            \
        init_wait_entry(&__wq_entry, 0);                                        \
        for (;;) {                                                              \
            prepare_to_wait(&(wq_head), &__wq_entry, TASK_UNINTERRUPTIBLE);     \
            if (condition) break;                                               \
            schedule();                                                         \
        }                                                                       \
        finish_wait(&(wq_head), &__wq_entry);                                   \
    } while (0)

// As wait_event, giving up after `timeout` jiffies; evaluates to the jiffies
// left (at least 1) if the condition came true, 0 on timeout.
#define wait_event_timeout(wq_head, condition, timeout)                         \
    ({                                                                          \
        long __ret = (timeout);                                                 \
        if (!(condition)) {                                                     \
            wait_queue_entry __wq_entry;                                        \
            init_wait_entry(&__wq_entry, 0);                                    \
            for (;;) {                                                          \
                prepare_to_wait(&(wq_head), &__wq_entry, TASK_UNINTERRUPTIBLE); \
                if (condition) break;                                           \
                __ret = schedule_timeout(__ret);                                \
                if (!__ret) {                                                   \
                    __ret = (condition) ? 1 : 0;                                \
                    break;                                                      \
                }                                                               \
            }                                                                   \
            finish_wait(&(wq_head), &__wq_entry);                               \
        }                                                                       \
        __ret;                                                                  \
    })
