// Workqueues (Linux's kernel/workqueue.c, the per-CPU bound pools).
//
// Each CPU has one worker_pool: a list of pending work, and worker threads
// (kworker/<cpu>:<id>, bound to the CPU) that take items off it. Idle workers
// sleep on the pool's idle list; queue_work wakes the first. Concurrency
// differs from Linux: Linux keeps one worker running per CPU and wakes another
// when it blocks (a hook in the scheduler). Keel instead keeps an idle worker
// in reserve: a worker that takes an item wakes the next idle one if more
// items wait, and starts a new worker if it took the last idle slot. So a
// sleeping item never holds up the ones queued behind it.
#include <asm/processor.h>
#include <keel/jiffies.h>
#include <keel/kthread.h>
#include <keel/lockdep.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <keel/workqueue.h>
#include <lib/cpumask.h>
#include <mm/slab.h>

namespace {

constexpr unsigned MAX_WORKERS_PER_POOL = 64;

struct worker {
    list_head node;      // on pool->idle_list while idle
    list_head all;       // on pool->workers
    task_struct* task;
    worker_pool* pool;
    work_struct* current_work;
    int id;
};

}  // namespace

struct worker_pool {
    spinlock_t lock{"worker_pool.lock"};
    unsigned cpu = 0;
    list_head worklist{&worklist, &worklist};
    list_head idle_list{&idle_list, &idle_list};
    list_head workers{&workers, &workers};
    unsigned nr_workers = 0;
    unsigned nr_idle = 0;
    int next_id = 0;
    bool creating = false;  // one worker is being created; others need not
};

namespace {

worker_pool cpu_pools[NR_CPUS];
// Woken whenever a work item finishes: flushers re-check what they wait for.
wait_queue_head work_done_wq{{"work_done_wq.lock"}, {&work_done_wq.head, &work_done_wq.head}};
workqueue_struct system_wq_struct{"events", 0};

bool test_and_set_pending(work_struct* work) {
    return work->data.fetch_or(1ul << WORK_STRUCT_PENDING_BIT, memory_order::acq_rel) & 1ul;
}
void clear_pending(work_struct* work) {
    work->data.fetch_and(~(1ul << WORK_STRUCT_PENDING_BIT), memory_order::release);
}

void work_done(workqueue_struct* wq) {
    wq->nr_in_flight.fetch_sub(1, memory_order::release);
    wake_up_all(&work_done_wq);
}

int worker_thread(void* arg);

// Starts one more worker on the pool. Sleeps (allocation, kthread creation).
bool create_worker(worker_pool* pool) {
    auto* w = static_cast<worker*>(kzalloc(sizeof(worker), GFP_KERNEL));
    if (!w) return false;
    w->pool = pool;
    INIT_LIST_HEAD(&w->node);
    {
        Guard<IrqSave> g(pool->lock);
        w->id = pool->next_id++;
    }
    w->task = kthread_create(worker_thread, w, "kworker/%u:%d", pool->cpu, w->id);
    if (!w->task) {
        kfree(w);
        return false;
    }
    kthread_bind(w->task, pool->cpu);
    {
        Guard<IrqSave> g(pool->lock);
        list_add_tail(&w->all, &pool->workers);
        pool->nr_workers++;
    }
    wake_up_process(w->task);
    return true;
}

int worker_thread(void* arg) {
    auto* w = static_cast<worker*>(arg);
    worker_pool* pool = w->pool;
    for (;;) {
        work_struct* work;
        bool need_worker;
        {
            Guard<IrqSave> g(pool->lock);
            if (!list_empty(&w->node)) {  // woken (or never slept) while idle
                list_del_init(&w->node);
                pool->nr_idle--;
            }
            if (list_empty(&pool->worklist)) {
                list_add(&w->node, &pool->idle_list);
                pool->nr_idle++;
                set_current_state(TASK_INTERRUPTIBLE);
                work = nullptr;
                need_worker = false;
            } else {
                work = list_first_entry(&pool->worklist, work_struct, entry);
                list_del_init(&work->entry);
                // Cleared before it runs: queueing it from now on runs it again.
                clear_pending(work);
                w->current_work = work;
                // More work waiting: pass it to the next idle worker (queue_work
                // may have woken only us). None left idle: start one, so what is
                // queued while this item sleeps still finds a worker.
                if (!list_empty(&pool->worklist) && pool->nr_idle)
                    wake_up_process(list_first_entry(&pool->idle_list, worker, node)->task);
                need_worker = !pool->nr_idle && !pool->creating && pool->nr_workers < MAX_WORKERS_PER_POOL;
                if (need_worker) pool->creating = true;
            }
        }
        if (!work) {
            schedule();
            continue;
        }
        if (need_worker) {
            create_worker(pool);
            Guard<IrqSave> g(pool->lock);
            pool->creating = false;
        }
        workqueue_struct* wq = work->wq;  // the item may free itself
        work->func(work);
        {
            Guard<IrqSave> g(pool->lock);
            w->current_work = nullptr;
        }
        work_done(wq);
    }
}

// Is the work queued on, or running in, the pool it was last queued on?
bool work_busy(work_struct* work) {
    worker_pool* pool = __atomic_load_n(&work->pool, __ATOMIC_ACQUIRE);
    if (!pool) return false;
    Guard<IrqSave> g(pool->lock);
    if (work_pending(work)) return true;
    worker* w;
    list_for_each_entry(w, &pool->workers, all) if (w->current_work == work) return true;
    return false;
}

// Puts a work item whose PENDING bit the caller owns on cpu's pool.
void __queue_work(int cpu, workqueue_struct* wq, work_struct* work) {
    worker_pool* pool = &cpu_pools[cpu];
    Guard<IrqSave> g(pool->lock);
    __atomic_store_n(&work->pool, pool, __ATOMIC_RELEASE);
    work->wq = wq;
    wq->nr_in_flight.fetch_add(1, memory_order::relaxed);
    list_add_tail(&work->entry, &pool->worklist);
    if (!list_empty(&pool->idle_list)) wake_up_process(list_first_entry(&pool->idle_list, worker, node)->task);
}

// Takes a pending item off its pool's list; false if it is not there (idle,
// running, or between a timer and its queue).
bool grab_queued_work(work_struct* work) {
    worker_pool* pool = __atomic_load_n(&work->pool, __ATOMIC_ACQUIRE);
    if (!pool) return false;
    {
        Guard<IrqSave> g(pool->lock);
        // Pending and on this pool's list (not between queue_work's two steps).
        if (work->pool != pool || !work_pending(work) || list_empty(&work->entry)) return false;
        list_del_init(&work->entry);
    }
    work_done(work->wq);
    return true;
}

void delayed_work_timer_fn(timer_list* timer) {
    delayed_work* dwork = from_timer(dwork, timer, timer);
    __queue_work(dwork->cpu, dwork->wq, &dwork->work);
}

// Arms the timer of an item whose PENDING bit the caller owns.
void __queue_delayed_work(int cpu, workqueue_struct* wq, delayed_work* dwork, unsigned long delay) {
    if (!delay) {
        __queue_work(cpu, wq, &dwork->work);
        return;
    }
    dwork->wq = wq;
    dwork->cpu = cpu;
    dwork->timer.expires = jiffies + delay;
    add_timer_on(&dwork->timer, cpu);
}

}  // namespace

workqueue_struct* system_wq = &system_wq_struct;

bool queue_work_on(int cpu, workqueue_struct* wq, work_struct* work) {
    if (test_and_set_pending(work)) return false;
    __queue_work(cpu, wq, work);
    return true;
}

bool queue_work(workqueue_struct* wq, work_struct* work) { return queue_work_on(int(smp_processor_id()), wq, work); }

bool flush_work(work_struct* work) {
    might_sleep();
    if (!work_busy(work)) return false;
    wait_event(work_done_wq, !work_busy(work));
    return true;
}

bool cancel_work_sync(work_struct* work) {
    bool was_pending = grab_queued_work(work);
    if (was_pending) clear_pending(work);
    flush_work(work);
    return was_pending;
}

void INIT_DELAYED_WORK(delayed_work* dwork, work_func_t func) {
    INIT_WORK(&dwork->work, func);
    timer_setup(&dwork->timer, delayed_work_timer_fn, 0);
    dwork->wq = nullptr;
    dwork->cpu = 0;
}

bool queue_delayed_work_on(int cpu, workqueue_struct* wq, delayed_work* dwork, unsigned long delay) {
    if (test_and_set_pending(&dwork->work)) return false;
    __queue_delayed_work(cpu, wq, dwork, delay);
    return true;
}

bool queue_delayed_work(workqueue_struct* wq, delayed_work* dwork, unsigned long delay) {
    return queue_delayed_work_on(int(smp_processor_id()), wq, dwork, delay);
}

bool mod_delayed_work_on(int cpu, workqueue_struct* wq, delayed_work* dwork, unsigned long delay) {
    for (;;) {
        // Whoever takes PENDING away from the timer or the queue owns it.
        bool was_pending = del_timer_sync(&dwork->timer) || grab_queued_work(&dwork->work);
        if (was_pending || !test_and_set_pending(&dwork->work)) {
            __queue_delayed_work(cpu, wq, dwork, delay);
            return was_pending;
        }
        cpu_relax();  // between its timer and its queue: try again
    }
}

bool cancel_delayed_work(delayed_work* dwork) {
    bool was_pending = del_timer_sync(&dwork->timer) || grab_queued_work(&dwork->work);
    if (was_pending) clear_pending(&dwork->work);
    return was_pending;
}

bool cancel_delayed_work_sync(delayed_work* dwork) {
    bool was_pending = cancel_delayed_work(dwork);
    flush_work(&dwork->work);
    return was_pending;
}

bool flush_delayed_work(delayed_work* dwork) {
    if (del_timer_sync(&dwork->timer)) __queue_work(dwork->cpu, dwork->wq, &dwork->work);
    return flush_work(&dwork->work);
}

void flush_workqueue(workqueue_struct* wq) {
    might_sleep();
    wait_event(work_done_wq, wq->nr_in_flight.load(memory_order::acquire) == 0);
}

workqueue_struct* alloc_workqueue(const char* name, unsigned flags, int) {
    auto* wq = static_cast<workqueue_struct*>(kzalloc(sizeof(workqueue_struct), GFP_KERNEL));
    if (wq) {
        wq->name = name;
        wq->flags = flags;
    }
    return wq;
}

void destroy_workqueue(workqueue_struct* wq) {
    flush_workqueue(wq);
    kfree(wq);
}

work_struct* current_work() {
    // Workers are bound to their pool's CPU, so only this CPU's pool can hold us.
    worker_pool* pool = &cpu_pools[smp_processor_id()];
    task_struct* self = current;
    Guard<IrqSave> g(pool->lock);
    worker* w;
    list_for_each_entry(w, &pool->workers, all) if (w->task == self) return w->current_work;
    return nullptr;
}

void init_workqueues() {
    unsigned cpu;
    for_each_possible_cpu(cpu) cpu_pools[cpu].cpu = cpu;
    for_each_online_cpu(cpu) {
        if (!create_worker(&cpu_pools[cpu])) pr_err("workqueue: cannot create a worker for CPU %u\n", cpu);
    }
}
