// SCHED_FIFO and SCHED_RR (Linux's kernel/sched/rt.c, without RT throttling and
// without push/pull between CPUs).
//
// Each run queue has one list per RT priority (0 = most important, 99 = least)
// and a bitmap of the non-empty lists, so the next task is the head of the list
// at the first set bit: one find-first-bit over 100 bits, independent of how
// many tasks wait. The bitmap has bit MAX_RT_PRIO permanently set, so the search
// stops there when no RT task is queued.
//
// Unlike CFS, the running RT task stays on its list: a FIFO task preempted by a
// higher priority is still at the head of its list when that one is done, and
// runs again first. An RR task goes to the tail of its list when its slice of
// sysctl_sched_rr_timeslice ticks is used up; a FIFO task only when it yields.
#include "sched.h"

static inline bool on_rt_rq(const sched_rt_entity* rt_se) { return rt_se->on_rq; }

static int sched_find_first_bit(const unsigned long* bitmap) {
    return int(find_first_bit(bitmap, MAX_RT_PRIO + 1));
}

// Charges rq->curr for the time since it was last charged, if it is RT.
static void update_curr_rt(rq* rq) {
    task_struct* curr = rq->curr;
    if (curr->sched_class != &rt_sched_class) return;
    u64 now = rq->clock_task;
    u64 delta_exec = now - curr->se.exec_start;
    if (s64(delta_exec) <= 0) return;
    curr->se.sum_exec_runtime += delta_exec;
    curr->se.exec_start = now;
}

static void __enqueue_rt_entity(rt_rq* rt_rq, sched_rt_entity* rt_se, int prio, bool head) {
    list_head* queue = &rt_rq->active.queue[prio];
    if (head) list_add(&rt_se->run_list, queue);
    else list_add_tail(&rt_se->run_list, queue);
    __set_bit(prio, rt_rq->active.bitmap);
    rt_se->on_rq = true;
    rt_rq->rt_nr_running++;
    if (prio < rt_rq->highest_prio) rt_rq->highest_prio = prio;
}

static void __dequeue_rt_entity(rt_rq* rt_rq, sched_rt_entity* rt_se, int prio) {
    list_del_init(&rt_se->run_list);
    if (list_empty(&rt_rq->active.queue[prio])) __clear_bit(prio, rt_rq->active.bitmap);
    rt_se->on_rq = false;
    rt_rq->rt_nr_running--;
    rt_rq->highest_prio = sched_find_first_bit(rt_rq->active.bitmap);
}

static void enqueue_task_rt(rq* rq, task_struct* p, int flags) {
    sched_rt_entity* rt_se = &p->rt;
    // A task that never had a slice (just became RR) gets a full one.
    if (!rt_se->time_slice) rt_se->time_slice = sysctl_sched_rr_timeslice;
    __enqueue_rt_entity(&rq->rt, rt_se, p->prio, flags & ENQUEUE_HEAD);
    add_nr_running(rq, 1);
}

static void dequeue_task_rt(rq* rq, task_struct* p, int) {
    update_curr_rt(rq);
    __dequeue_rt_entity(&rq->rt, &p->rt, p->prio);
    sub_nr_running(rq, 1);
}

// To the tail (or head) of its own priority's list.
static void requeue_task_rt(rq* rq, task_struct* p, bool head) {
    sched_rt_entity* rt_se = &p->rt;
    if (!on_rt_rq(rt_se)) return;
    list_head* queue = &rq->rt.active.queue[p->prio];
    if (head) list_move(&rt_se->run_list, queue);
    else list_move_tail(&rt_se->run_list, queue);
}

static void yield_task_rt(rq* rq) { requeue_task_rt(rq, rq->curr, false); }

// A waking RT task preempts a less important running one at once. Equal
// priorities do not preempt: FIFO order within a priority is kept.
static void check_preempt_curr_rt(rq* rq, task_struct* p, int) {
    if (p->prio < rq->curr->prio) resched_curr(rq);
}

static void set_next_task_rt(rq* rq, task_struct* p, bool) { p->se.exec_start = rq->clock_task; }

static task_struct* pick_next_task_rt(rq* rq) {
    rt_rq* rt_rq = &rq->rt;
    if (!rt_rq->rt_nr_running) return nullptr;
    int idx = sched_find_first_bit(rt_rq->active.bitmap);
    list_head* queue = &rt_rq->active.queue[idx];
    task_struct* p = container_of(container_of(queue->next, sched_rt_entity, run_list), task_struct, rt);
    set_next_task_rt(rq, p, true);
    return p;
}

static void put_prev_task_rt(rq* rq, task_struct*) { update_curr_rt(rq); }

// RR: one tick less of the slice; at zero, refill it and go behind the other
// tasks of the same priority (if there are any — alone, it just runs on).
static void task_tick_rt(rq* rq, task_struct* p, int) {
    update_curr_rt(rq);
    if (p->policy != SCHED_RR) return;
    if (--p->rt.time_slice) return;
    p->rt.time_slice = sysctl_sched_rr_timeslice;
    if (p->rt.run_list.prev != p->rt.run_list.next) {
        requeue_task_rt(rq, p, false);
        resched_curr(rq);
    }
}

static void task_fork_rt(task_struct* p) { p->rt.time_slice = sysctl_sched_rr_timeslice; }

// Became RT while queued: if it now outranks the running task, run it.
static void switched_to_rt(rq* rq, task_struct* p) {
    if (!task_on_rq_queued(p) || task_current(rq, p)) return;
    if (rq->curr->sched_class != &rt_sched_class || p->prio < rq->curr->prio) resched_curr(rq);
}

static void prio_changed_rt(rq* rq, task_struct* p, int oldprio) {
    if (!task_on_rq_queued(p)) return;
    if (task_current(rq, p)) {
        // Lowered: someone queued may now outrank it.
        if (oldprio < p->prio && rq->rt.highest_prio < p->prio) resched_curr(rq);
    } else if (p->prio < rq->curr->prio) {
        resched_curr(rq);
    }
}

// Stay on prev_cpu unless an RT task at least as important runs there; else
// the allowed online CPU running the least important task (an idle one first).
static int select_task_rq_rt(task_struct* p, int prev_cpu, int) {
    auto curr_prio = [](int cpu) {
        const rq* rq = cpu_rq(cpu);
        return !rq->curr || rq->curr == rq->idle ? MAX_PRIO : rq->curr->prio;
    };
    bool prev_ok = cpu_online(prev_cpu) && cpumask_test_cpu(prev_cpu, &p->cpus_mask);
    if (prev_ok && curr_prio(prev_cpu) > p->prio) return prev_cpu;
    int best = prev_cpu;
    int best_prio = prev_ok ? curr_prio(prev_cpu) : -1;
    unsigned cpu;
    for_each_cpu(cpu, cpu_online_mask) {
        if (!cpumask_test_cpu(cpu, &p->cpus_mask)) continue;
        int prio = curr_prio(int(cpu));
        if (prio > best_prio) {
            best = int(cpu);
            best_prio = prio;
        }
    }
    return best;
}

void init_rt_rq(rt_rq* rt_rq) {
    for (int i = 0; i < MAX_RT_PRIO; i++) INIT_LIST_HEAD(&rt_rq->active.queue[i]);
    bitmap_zero(rt_rq->active.bitmap, MAX_RT_PRIO + 1);
    __set_bit(MAX_RT_PRIO, rt_rq->active.bitmap);  // the delimiter for sched_find_first_bit
    rt_rq->rt_nr_running = 0;
    rt_rq->highest_prio = MAX_RT_PRIO;
}

const sched_class rt_sched_class = {
    .enqueue_task = enqueue_task_rt,
    .dequeue_task = dequeue_task_rt,
    .yield_task = yield_task_rt,
    .check_preempt_curr = check_preempt_curr_rt,
    .pick_next_task = pick_next_task_rt,
    .put_prev_task = put_prev_task_rt,
    .set_next_task = set_next_task_rt,
    .task_tick = task_tick_rt,
    .task_fork = task_fork_rt,
    .switched_to = switched_to_rt,
    .prio_changed = prio_changed_rt,
    .update_curr = update_curr_rt,
    .select_task_rq = select_task_rq_rt,
};
