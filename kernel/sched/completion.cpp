// Completions on a wait queue (Linux's kernel/sched/completion.c). The count
// and the queue share the wait queue's lock, so an event cannot slip between a
// waiter's check and its sleep: complete() takes the first waiter off the
// queue as it wakes it, and the next complete() wakes the next one.
#include <keel/completion.h>
#include <keel/jiffies.h>
#include <keel/lockdep.h>

namespace {

constexpr unsigned COMPLETE_ALL = ~0u;

void wake_first(completion* x) {
    if (list_empty(&x->wait.head)) return;
    auto* w = list_first_entry(&x->wait.head, wait_queue_entry, entry);
    list_del_init(&w->entry);
    wake_up_state(w->private_, TASK_NORMAL);
}

// Sleeps until an event is there or the timeout passes; returns the jiffies
// left (at least 1) on success, 0 on timeout.
long do_wait_for_common(completion* x, long timeout) {
    wait_queue_entry wait;
    wait.flags = WQ_FLAG_EXCLUSIVE;
    wait.private_ = current;
    INIT_LIST_HEAD(&wait.entry);
    for (;;) {
        {
            Guard<IrqSave> g(x->wait.lock);
            if (x->done) {
                if (x->done != COMPLETE_ALL) x->done--;
                list_del_init(&wait.entry);  // a complete_all may have left us queued
                __set_current_state(TASK_RUNNING);
                return timeout ? timeout : 1;
            }
            if (!timeout) {
                list_del_init(&wait.entry);
                __set_current_state(TASK_RUNNING);
                return 0;
            }
            if (list_empty(&wait.entry)) list_add_tail(&wait.entry, &x->wait.head);
            set_current_state(TASK_UNINTERRUPTIBLE);
        }
        timeout = schedule_timeout(timeout);
    }
}

}  // namespace

void init_completion(completion* x) {
    x->done = 0;
    INIT_LIST_HEAD(&x->wait.head);
}

void complete(completion* x) {
    Guard<IrqSave> g(x->wait.lock);
    if (x->done != COMPLETE_ALL) x->done++;
    wake_first(x);
}

void complete_all(completion* x) {
    Guard<IrqSave> g(x->wait.lock);
    x->done = COMPLETE_ALL;
    while (!list_empty(&x->wait.head)) wake_first(x);
}

void wait_for_completion(completion* x) {
    might_sleep();
    do_wait_for_common(x, MAX_SCHEDULE_TIMEOUT);
}

unsigned long wait_for_completion_timeout(completion* x, unsigned long timeout) {
    might_sleep();
    return static_cast<unsigned long>(do_wait_for_common(x, long(timeout)));
}

bool try_wait_for_completion(completion* x) {
    // Lockless peek first, as Linux does: no event means no work to do.
    if (!__atomic_load_n(&x->done, __ATOMIC_RELAXED)) return false;
    Guard<IrqSave> g(x->wait.lock);
    if (!x->done) return false;
    if (x->done != COMPLETE_ALL) x->done--;
    return true;
}

bool completion_done(completion* x) {
    if (!__atomic_load_n(&x->done, __ATOMIC_RELAXED)) return false;
    // Taking the lock waits out a complete() still inside its critical section,
    // so a caller that then frees the completion does not pull it from under it.
    Guard<IrqSave> g(x->wait.lock);
    return true;
}
