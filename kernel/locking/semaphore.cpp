// Counting semaphores (Linux's kernel/locking/semaphore.c). up() with sleepers
// does not increment the count: it hands the unit straight to the first
// waiter (waiter->up), so a task calling down() meanwhile cannot steal it.
#include <keel/jiffies.h>
#include <keel/lockdep.h>
#include <keel/sched.h>
#include <keel/semaphore.h>
#include <uapi/asm/errno.h>
#ifndef ETIME  // not yet in uapi/asm/errno.h
#define ETIME 62
#endif

namespace {

struct semaphore_waiter {
    list_head list;
    task_struct* task;
    bool up;
};

// Sleeps until up() hands us the semaphore or `timeout` jiffies pass.
int __down(semaphore* sem, long timeout) {
    semaphore_waiter waiter;
    waiter.task = current;
    waiter.up = false;
    {
        Guard<IrqSave> g(sem->lock);
        if (sem->count > 0) {  // an up() came while we were getting here
            sem->count--;
            return 0;
        }
        list_add_tail(&waiter.list, &sem->wait_list);
    }
    for (;;) {
        {
            // up() sets waiter.up and wakes us under this lock, so once we see
            // it the waker is done with our stack frame.
            Guard<IrqSave> g(sem->lock);
            if (waiter.up) {
                __set_current_state(TASK_RUNNING);
                return 0;
            }
            if (timeout <= 0) {
                list_del(&waiter.list);
                __set_current_state(TASK_RUNNING);
                return -ETIME;
            }
            set_current_state(TASK_UNINTERRUPTIBLE);
        }
        timeout = schedule_timeout(timeout);
    }
}

}  // namespace

void sema_init(semaphore* sem, unsigned val) {
    sem->count = val;
    INIT_LIST_HEAD(&sem->wait_list);
}

void down(semaphore* sem) {
    might_sleep();
    __down(sem, MAX_SCHEDULE_TIMEOUT);
}

int down_timeout(semaphore* sem, long timeout) {
    might_sleep();
    return __down(sem, timeout);
}

int down_trylock(semaphore* sem) {
    Guard<IrqSave> g(sem->lock);
    if (!sem->count) return 1;
    sem->count--;
    return 0;
}

void up(semaphore* sem) {
    Guard<IrqSave> g(sem->lock);
    if (list_empty(&sem->wait_list)) {
        sem->count++;
        return;
    }
    auto* waiter = list_first_entry(&sem->wait_list, semaphore_waiter, list);
    list_del(&waiter->list);
    waiter->up = true;
    wake_up_process(waiter->task);
}
