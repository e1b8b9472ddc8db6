// Run-queue bookkeeping shared by the core and the classes (Linux keeps it in
// kernel/sched/core.c): queueing and dequeueing with the statistics that go
// with it, preemption checks between classes, moving queued tasks between CPUs.
// Nothing here switches context, so it builds on the host too, where the
// scheduler tests drive it (tests/host/sched_test_env.cpp).
#include <kernel/sched/sched.h>
#include <keel/lockdep.h>

namespace {

// Index of a class in sched_classes: lower is more important.
int class_rank(const sched_class* c) {
    for (int i = 0; i < int(ARRAY_SIZE(sched_classes)); i++)
        if (sched_classes[i] == c) return i;
    return int(ARRAY_SIZE(sched_classes));
}

}  // namespace

// sched_info: how long a task waited on the run queue before it ran.
void sched_info_enqueue(rq* rq, task_struct* p) { p->stats.wait_start = rq->clock; }
void sched_info_switch_in(rq* rq, task_struct* p) {
    if (p->stats.wait_start) {
        u64 delay = rq->clock - p->stats.wait_start;
        p->stats.wait_sum += delay;
        rq->run_delay += delay;
        p->stats.wait_count++;
        if (delay > p->stats.wait_max) p->stats.wait_max = delay;
        p->stats.wait_start = 0;
    }
    p->stats.nr_switches++;
    rq->pcount++;
}

void add_nr_running(rq* rq, unsigned count) { rq->nr_running += count; }
void sub_nr_running(rq* rq, unsigned count) { rq->nr_running -= count; }

void set_load_weight(task_struct* p) {
    if (p->policy == SCHED_IDLE) {
        p->se.load = {3, 1431655765};  // WEIGHT_IDLEPRIO and its inverse
        return;
    }
    int idx = p->static_prio - MAX_RT_PRIO;
    p->se.load = {static_cast<unsigned long>(sched_prio_to_weight[idx]), sched_prio_to_wmult[idx]};
}

void activate_task(rq* rq, task_struct* p, int flags) {
    p->sched_class->enqueue_task(rq, p, flags);
    p->on_rq = TASK_ON_RQ_QUEUED;
    if (!task_current(rq, p)) sched_info_enqueue(rq, p);
}

void deactivate_task(rq* rq, task_struct* p, int flags) {
    p->on_rq = 0;
    p->sched_class->dequeue_task(rq, p, flags);
}

void check_preempt_curr(rq* rq, task_struct* p, int flags) {
    if (p->sched_class == rq->curr->sched_class)
        p->sched_class->check_preempt_curr(rq, p, flags);
    else if (class_rank(p->sched_class) < class_rank(rq->curr->sched_class))
        resched_curr(rq);
}

void set_task_cpu(task_struct* p, int cpu) {
    if (p->cpu != cpu) {
        p->se.nr_migrations++;
        p->stats.nr_wakeups_migrate++;
    }
    p->cpu = cpu;
    p->wake_cpu = cpu;
}

void double_rq_lock(rq* a, rq* b) {
    if (a == b) {
        a->lock.lock();
        return;
    }
    rq* first = a->cpu < b->cpu ? a : b;
    rq* second = first == a ? b : a;
    first->lock.lock();
    second->lock.lock(SINGLE_DEPTH_NESTING);  // same class, fixed order: lockdep subclass 1
}

void double_rq_unlock(rq* a, rq* b) {
    a->lock.unlock();
    if (a != b) b->lock.unlock();
}

void move_queued_task(rq* src, rq* dst, task_struct* p) {
    deactivate_task(src, p, DEQUEUE_SAVE);
    set_task_cpu(p, dst->cpu);
    activate_task(dst, p, ENQUEUE_MIGRATED);
    check_preempt_curr(dst, p, 0);
}
