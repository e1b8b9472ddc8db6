// The idle class (Linux's kernel/sched/idle.c): the last class consulted, which
// always has a task, the CPU's idle task (PID 0), so pick_next_task never comes
// back empty-handed. The idle task is never queued: it runs when nothing else
// is runnable, and anything that wakes preempts it.
#include <keel/panic.h>
#include "sched.h"

static void enqueue_task_idle(rq*, task_struct*, int) { BUG(); }

static void dequeue_task_idle(rq*, task_struct*, int) {
    panic("bad: scheduling from the idle thread!");
}

static void yield_task_idle(rq*) {}

// Any task of a higher class preempts idle; core only calls this for the idle
// class itself, which never wakes anything.
static void check_preempt_curr_idle(rq* rq, task_struct*, int) { resched_curr(rq); }

static void set_next_task_idle(rq* rq, task_struct*, bool) { rq->idle_stamp = rq->clock; }

static task_struct* pick_next_task_idle(rq* rq) {
    set_next_task_idle(rq, rq->idle, true);
    return rq->idle;
}

static void put_prev_task_idle(rq*, task_struct*) {}
static void task_tick_idle(rq*, task_struct*, int) {}
static void task_fork_idle(task_struct*) { BUG(); }
static void switched_to_idle(rq*, task_struct*) { BUG(); }
static void prio_changed_idle(rq*, task_struct*, int) { BUG(); }
static void update_curr_idle(rq*) {}
static int select_task_rq_idle(task_struct* p, int, int) { return p->cpu; }

const sched_class idle_sched_class = {
    .enqueue_task = enqueue_task_idle,
    .dequeue_task = dequeue_task_idle,
    .yield_task = yield_task_idle,
    .check_preempt_curr = check_preempt_curr_idle,
    .pick_next_task = pick_next_task_idle,
    .put_prev_task = put_prev_task_idle,
    .set_next_task = set_next_task_idle,
    .task_tick = task_tick_idle,
    .task_fork = task_fork_idle,
    .switched_to = switched_to_idle,
    .prio_changed = prio_changed_idle,
    .update_curr = update_curr_idle,
    .select_task_rq = select_task_rq_idle,
};
