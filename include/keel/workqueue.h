// Workqueues (Linux's include/linux/workqueue.h): deferred work that runs in
// process context — in a kernel thread, so unlike a softirq or tasklet it may
// sleep. Each CPU has a pool of worker threads named kworker/<cpu>:<id>; a
// work item queued on a CPU runs on one of that CPU's workers. A work item is
// queued at most once at a time (WORK_STRUCT_PENDING): queueing it again while
// it waits does nothing, queueing it while it runs makes it run once more.
//
//     static void fn(work_struct* w) { ... may sleep ... }
//     static work_struct my_work;
//     INIT_WORK(&my_work, fn);
//     schedule_work(&my_work);
//     cancel_work_sync(&my_work);   // neither queued nor running afterwards
#pragma once
#include <keel/atomic.h>
#include <keel/timer.h>
#include <keel/wait.h>
#include <lib/list.h>

struct work_struct;
struct worker_pool;
struct workqueue_struct;
using work_func_t = void (*)(work_struct* work);

enum : unsigned long { WORK_STRUCT_PENDING_BIT = 0 };

struct work_struct {
    Atomic<unsigned long> data{0};  // WORK_STRUCT_PENDING_BIT
    list_head entry;
    work_func_t func = nullptr;
    worker_pool* pool = nullptr;  // where it was last queued
    workqueue_struct* wq = nullptr;
};

static inline void INIT_WORK(work_struct* work, work_func_t func) {
    work->data.store(0, memory_order::relaxed);
    INIT_LIST_HEAD(&work->entry);
    work->func = func;
    work->pool = nullptr;
    work->wq = nullptr;
}
static inline bool work_pending(const work_struct* work) {
    return work->data.load(memory_order::relaxed) & (1ul << WORK_STRUCT_PENDING_BIT);
}

// A named group of work items that can be flushed together. Keel's bound
// workqueues all share the per-CPU pools (flags and max_active are kept for
// Linux's signature; see docs/locking.md).
struct workqueue_struct {
    const char* name;
    unsigned flags;
    Atomic<long> nr_in_flight{0};  // queued or running items
};

extern workqueue_struct* system_wq;

workqueue_struct* alloc_workqueue(const char* name, unsigned flags, int max_active);
// Waits for the queue's work to finish, then frees it.
void destroy_workqueue(workqueue_struct* wq);

// True if queued, false if it was already pending.
bool queue_work_on(int cpu, workqueue_struct* wq, work_struct* work);
// On the current CPU.
bool queue_work(workqueue_struct* wq, work_struct* work);
static inline bool schedule_work(work_struct* work) { return queue_work(system_wq, work); }
static inline bool schedule_work_on(int cpu, work_struct* work) { return queue_work_on(cpu, system_wq, work); }

// Waits until the work is neither pending nor running; true if it had to wait.
bool flush_work(work_struct* work);
// Takes the work off its queue if pending, then waits for a running instance.
// True if it was pending.
bool cancel_work_sync(work_struct* work);
// Waits until every item queued on wq has run (including ones queued meanwhile).
void flush_workqueue(workqueue_struct* wq);
static inline void flush_scheduled_work() { flush_workqueue(system_wq); }

// Delayed work: a work item queued by a timer after `delay` jiffies. While the
// timer waits the work is already PENDING, so queueing it again does nothing,
// as for plain work.
struct delayed_work {
    work_struct work;
    timer_list timer;
    workqueue_struct* wq = nullptr;  // where the timer will queue it
    int cpu = 0;
};
static inline delayed_work* to_delayed_work(work_struct* work) { return container_of(work, delayed_work, work); }
void INIT_DELAYED_WORK(delayed_work* dwork, work_func_t func);

// False if it was already pending. A zero delay queues it at once.
bool queue_delayed_work_on(int cpu, workqueue_struct* wq, delayed_work* dwork, unsigned long delay);
bool queue_delayed_work(workqueue_struct* wq, delayed_work* dwork, unsigned long delay);
static inline bool schedule_delayed_work(delayed_work* dwork, unsigned long delay) {
    return queue_delayed_work(system_wq, dwork, delay);
}
// Like queue_delayed_work, but a pending item's delay is reset to `delay`.
// True if it was pending.
bool mod_delayed_work_on(int cpu, workqueue_struct* wq, delayed_work* dwork, unsigned long delay);
// Stops the timer or takes the item off its queue; true if it was pending.
// cancel_delayed_work_sync also waits for a running instance.
bool cancel_delayed_work(delayed_work* dwork);
bool cancel_delayed_work_sync(delayed_work* dwork);
// Runs a waiting item now (its timer cancelled), then waits for it.
bool flush_delayed_work(delayed_work* dwork);

// The work item the current task (a kworker) is executing, or nullptr.
work_struct* current_work();

// Creates the per-CPU pools' first workers (start_kernel, after kthreadd runs
// and the other CPUs are online).
void init_workqueues();
