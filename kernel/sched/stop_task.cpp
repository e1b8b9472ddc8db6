// The stop class (Linux's kernel/sched/stop_task.c): one task per CPU (rq->stop,
// the future migration/N thread) that outranks everything, RT included, so work
// such as moving a running task off its CPU can be done with nothing else
// running there. It is never preempted and never migrates.
#include <keel/panic.h>
#include "sched.h"

static bool sched_stop_runnable(const rq* rq) { return rq->stop && task_on_rq_queued(rq->stop); }

static void enqueue_task_stop(rq* rq, task_struct*, int) { add_nr_running(rq, 1); }
static void dequeue_task_stop(rq* rq, task_struct*, int) { sub_nr_running(rq, 1); }

// The stop task runs until it blocks; it has nobody to yield to.
static void yield_task_stop(rq*) { BUG(); }

// Nothing preempts the stop task (there is only one per CPU).
static void check_preempt_curr_stop(rq*, task_struct*, int) {}

static void set_next_task_stop(rq* rq, task_struct* stop, bool) { stop->se.exec_start = rq->clock_task; }

static task_struct* pick_next_task_stop(rq* rq) {
    if (!sched_stop_runnable(rq)) return nullptr;
    set_next_task_stop(rq, rq->stop, true);
    return rq->stop;
}

static void update_curr_stop(rq* rq) {
    task_struct* curr = rq->curr;
    u64 delta_exec = rq->clock_task - curr->se.exec_start;
    if (s64(delta_exec) <= 0) return;
    curr->se.sum_exec_runtime += delta_exec;
    curr->se.exec_start = rq->clock_task;
}

static void put_prev_task_stop(rq* rq, task_struct*) { update_curr_stop(rq); }
static void task_tick_stop(rq*, task_struct*, int) {}
static void task_fork_stop(task_struct*) {}
// Only the core makes a task the stop task, never a policy change.
static void switched_to_stop(rq*, task_struct*) { BUG(); }
static void prio_changed_stop(rq*, task_struct*, int) { BUG(); }
static int select_task_rq_stop(task_struct* p, int, int) { return p->cpu; }

const sched_class stop_sched_class = {
    .enqueue_task = enqueue_task_stop,
    .dequeue_task = dequeue_task_stop,
    .yield_task = yield_task_stop,
    .check_preempt_curr = check_preempt_curr_stop,
    .pick_next_task = pick_next_task_stop,
    .put_prev_task = put_prev_task_stop,
    .set_next_task = set_next_task_stop,
    .task_tick = task_tick_stop,
    .task_fork = task_fork_stop,
    .switched_to = switched_to_stop,
    .prio_changed = prio_changed_stop,
    .update_curr = update_curr_stop,
    .select_task_rq = select_task_rq_stop,
};
