// The Completely Fair Scheduler: SCHED_NORMAL, SCHED_BATCH and SCHED_IDLE
// (Linux's kernel/sched/fair.c, without group scheduling and without PELT).
//
// Every task accumulates vruntime: its CPU time scaled by NICE_0_LOAD / weight,
// so a heavy task's clock runs slow and a light one's fast. The queue keeps
// runnable tasks in an rbtree ordered by vruntime and always runs the leftmost,
// i.e. the task that has received the least weighted time. Over a period of
// sysctl_sched_latency each task gets period × weight / total weight of real
// time (its slice); min_vruntime, the monotonic floor of the queue, is where
// new and waking tasks are placed so that they neither starve the others nor
// are starved.
//
// The running entity (cfs_rq->curr) is kept out of the tree while it runs
// and is reinserted when it is put back, as Linux does.
#include "sched.h"

static inline rq* rq_of(cfs_rq* cfs_rq) { return container_of(cfs_rq, rq, cfs); }
static inline task_struct* task_of(sched_entity* se) { return container_of(se, task_struct, se); }
static inline bool entity_is_idle(sched_entity* se) { return task_of(se)->policy == SCHED_IDLE; }

// vruntime is a u64 that may wrap: compare by signed difference.
static inline u64 max_vruntime(u64 a, u64 b) { return s64(b - a) > 0 ? b : a; }
static inline u64 min_vruntime(u64 a, u64 b) { return s64(b - a) < 0 ? b : a; }
static inline bool entity_before(const sched_entity* a, const sched_entity* b) {
    return s64(a->vruntime - b->vruntime) < 0;
}

// ---- weighted time ----------------------------------------------------------

constexpr u64 WMULT_CONST = ~0u;  // 2^32 - 1
constexpr int WMULT_SHIFT = 32;

static void __update_inv_weight(load_weight* lw) {
    if (lw->inv_weight) return;
    if (lw->weight >= WMULT_CONST) lw->inv_weight = 1;
    else if (!lw->weight) lw->inv_weight = WMULT_CONST;
    else lw->inv_weight = u32(WMULT_CONST / lw->weight);
}

static inline int fls32(u32 x) { return x ? 32 - __builtin_clz(x) : 0; }

// delta_exec × weight / lw->weight, as delta × (weight × inv_weight) >> 32. The
// factor is kept within 32 bits by giving up low bits of it (and of the shift),
// so the final product fits a 64×32 multiply with a 128-bit intermediate.
u64 __calc_delta(u64 delta_exec, unsigned long weight, load_weight* lw) {
    u64 fact = weight;
    int shift = WMULT_SHIFT;
    __update_inv_weight(lw);
    if (u32 hi = u32(fact >> 32)) {
        int fs = fls32(hi);
        shift -= fs;
        fact >>= fs;
    }
    fact = u64(u32(fact)) * lw->inv_weight;
    if (u32 hi = u32(fact >> 32)) {
        int fs = fls32(hi);
        shift -= fs;
        fact >>= fs;
    }
    return u64((unsigned __int128)delta_exec * u32(fact) >> shift);
}

// Real time → virtual time for se: unchanged at nice 0.
u64 calc_delta_fair(u64 delta, sched_entity* se) {
    if (se->load.weight != NICE_0_LOAD) delta = __calc_delta(delta, NICE_0_LOAD, &se->load);
    return delta;
}

// The period in which every runnable task should run once: the target latency,
// stretched when so many tasks run that each would get less than the minimum
// granularity.
u64 __sched_period(unsigned long nr_running) {
    if (nr_running > sched_nr_latency) return nr_running * u64(sysctl_sched_min_granularity);
    return sysctl_sched_latency;
}

// se's share of the period, by weight. A task not yet queued is counted as if
// it were (it is about to be).
u64 sched_slice(cfs_rq* cfs_rq, sched_entity* se) {
    u64 slice = __sched_period(cfs_rq->nr_running + !se->on_rq);
    load_weight load = cfs_rq->load;
    if (!se->on_rq) load = {load.weight + se->load.weight, 0};
    else load.inv_weight = 0;  // recomputed: cfs_rq->load.inv_weight is not maintained
    slice = __calc_delta(slice, se->load.weight, &load);
    return slice < sysctl_sched_min_granularity ? sysctl_sched_min_granularity : slice;
}

// The slice in virtual time: how far se's vruntime advances in one slice.
static u64 sched_vslice(cfs_rq* cfs_rq, sched_entity* se) {
    return calc_delta_fair(sched_slice(cfs_rq, se), se);
}

// ---- the timeline -------------------------------------------------------------

static bool __entity_less(rb_node* a, const rb_node* b) {
    return entity_before(rb_entry(a, sched_entity, run_node), rb_entry(const_cast<rb_node*>(b), sched_entity, run_node));
}

static void __enqueue_entity(cfs_rq* cfs_rq, sched_entity* se) {
    rb_add_cached(&se->run_node, &cfs_rq->tasks_timeline, __entity_less);
}

static void __dequeue_entity(cfs_rq* cfs_rq, sched_entity* se) {
    rb_erase_cached(&se->run_node, &cfs_rq->tasks_timeline);
}

sched_entity* __pick_first_entity(cfs_rq* cfs_rq) {
    rb_node* left = rb_first_cached(&cfs_rq->tasks_timeline);
    return left ? rb_entry(left, sched_entity, run_node) : nullptr;
}

static sched_entity* __pick_next_entity(sched_entity* se) {
    rb_node* next = rb_next(&se->run_node);
    return next ? rb_entry(next, sched_entity, run_node) : nullptr;
}

// min_vruntime follows the smallest vruntime of curr and the leftmost, but never
// goes back: placements made against it stay valid.
static void update_min_vruntime(cfs_rq* cfs_rq) {
    sched_entity* curr = cfs_rq->curr;
    sched_entity* left = __pick_first_entity(cfs_rq);
    u64 vruntime = cfs_rq->min_vruntime;
    if (curr && !curr->on_rq) curr = nullptr;
    if (curr) vruntime = curr->vruntime;
    if (left) vruntime = curr ? min_vruntime(vruntime, left->vruntime) : left->vruntime;
    cfs_rq->min_vruntime = max_vruntime(cfs_rq->min_vruntime, vruntime);
}

// Charges the running entity for the time since it was last charged.
static void update_curr(cfs_rq* cfs_rq) {
    sched_entity* curr = cfs_rq->curr;
    if (!curr) return;
    u64 now = rq_of(cfs_rq)->clock_task;
    u64 delta_exec = now - curr->exec_start;
    if (s64(delta_exec) <= 0) return;
    curr->exec_start = now;
    curr->sum_exec_runtime += delta_exec;
    cfs_rq->exec_clock += delta_exec;
    curr->vruntime += calc_delta_fair(delta_exec, curr);
    update_min_vruntime(cfs_rq);
}

static void update_curr_fair(rq* rq) { update_curr(&rq->cfs); }

// ---- placement ------------------------------------------------------------------

// A new task (initial) starts one virtual slice after min_vruntime (START_DEBIT),
// so forking cannot be used to get ahead of the queue. A waking sleeper gets at
// most half a latency of credit (GENTLE_FAIR_SLEEPERS): it runs soon, but cannot
// bank its sleep to starve the others. Neither moves a task's vruntime back.
void place_entity(cfs_rq* cfs_rq, sched_entity* se, bool initial) {
    u64 vruntime = cfs_rq->min_vruntime;
    if (initial) {
        vruntime += sched_vslice(cfs_rq, se);
    } else {
        u64 thresh = entity_is_idle(se) ? sysctl_sched_min_granularity : sysctl_sched_latency;
        vruntime -= thresh >> 1;
    }
    se->vruntime = max_vruntime(se->vruntime, vruntime);
}

// se's vruntime was measured against another queue (it moved CPU): carry its
// distance from that queue's floor over to this one. The other queue is not
// locked; a slightly stale min_vruntime only shifts the task a little.
static void rebase_vruntime(cfs_rq* cfs_rq, sched_entity* se) {
    if (se->cfs_rq && se->cfs_rq != cfs_rq) {
        u64 old_min = __atomic_load_n(&se->cfs_rq->min_vruntime, __ATOMIC_RELAXED);
        se->vruntime = se->vruntime - old_min + cfs_rq->min_vruntime;
    }
    se->cfs_rq = cfs_rq;
}

// ---- enqueue / dequeue ------------------------------------------------------------

static void enqueue_task_fair(rq* rq, task_struct* p, int flags) {
    cfs_rq* cfs_rq = &rq->cfs;
    sched_entity* se = &p->se;
    bool curr = cfs_rq->curr == se;

    update_curr(cfs_rq);  // min_vruntime must be current before placing against it
    rebase_vruntime(cfs_rq, se);
    if (flags & ENQUEUE_WAKEUP) place_entity(cfs_rq, se, false);
    if (!curr) __enqueue_entity(cfs_rq, se);
    se->on_rq = true;
    cfs_rq->load.weight += se->load.weight;
    cfs_rq->nr_running++;
    add_nr_running(rq, 1);
}

// A yielder leaving the queue must not stay the skip buddy.
static void clear_buddies(cfs_rq* cfs_rq, sched_entity* se) {
    if (cfs_rq->skip == se) cfs_rq->skip = nullptr;
}

static void dequeue_task_fair(rq* rq, task_struct* p, int) {
    cfs_rq* cfs_rq = &rq->cfs;
    sched_entity* se = &p->se;

    update_curr(cfs_rq);
    clear_buddies(cfs_rq, se);
    if (se != cfs_rq->curr) __dequeue_entity(cfs_rq, se);
    se->on_rq = false;
    cfs_rq->load.weight -= se->load.weight;
    cfs_rq->nr_running--;
    update_min_vruntime(cfs_rq);
    sub_nr_running(rq, 1);
}

// ---- picking ------------------------------------------------------------------------

// Makes se the running entity: out of the tree, its slice accounting restarted.
static void set_next_entity(cfs_rq* cfs_rq, sched_entity* se) {
    if (se->on_rq) __dequeue_entity(cfs_rq, se);
    se->exec_start = rq_of(cfs_rq)->clock_task;
    cfs_rq->curr = se;
    se->prev_sum_exec_runtime = se->sum_exec_runtime;
}

// The leftmost entity, unless it just yielded (the skip buddy): then, for this
// one pick, the next. Linux passes over the yielder only if the next one is within the wakeup
// granularity of it; Keel always does, because kernel code calls yield() to let
// a peer make progress and must not spin when that peer is a little ahead.
// The yielder's vruntime is untouched, so it loses no share by yielding.
static sched_entity* pick_next_entity(cfs_rq* cfs_rq) {
    sched_entity* se = __pick_first_entity(cfs_rq);
    if (cfs_rq->skip == se) {
        if (sched_entity* second = __pick_next_entity(se)) se = second;
    }
    cfs_rq->skip = nullptr;  // one pick only, or the yielder could starve
    return se;
}

static task_struct* pick_next_task_fair(rq* rq) {
    cfs_rq* cfs_rq = &rq->cfs;
    if (!cfs_rq->nr_running) return nullptr;
    sched_entity* se = pick_next_entity(cfs_rq);
    set_next_entity(cfs_rq, se);
    return task_of(se);
}

static void put_prev_task_fair(rq* rq, task_struct* p) {
    cfs_rq* cfs_rq = &rq->cfs;
    sched_entity* prev = &p->se;
    if (prev->on_rq) {
        update_curr(cfs_rq);
        __enqueue_entity(cfs_rq, prev);
    }
    cfs_rq->curr = nullptr;
}

static void set_next_task_fair(rq* rq, task_struct* p, bool) { set_next_entity(&rq->cfs, &p->se); }

// ---- preemption ---------------------------------------------------------------------

// The wakeup granularity in se's virtual time: a light task must be further
// ahead in vruntime before it may preempt.
static u64 wakeup_gran(sched_entity* se) { return calc_delta_fair(sysctl_sched_wakeup_granularity, se); }

// Should se preempt curr? -1: se is not behind curr; 0: behind, but within the
// granularity; 1: behind by more than the granularity.
int wakeup_preempt_entity(sched_entity* curr, sched_entity* se) {
    s64 vdiff = s64(curr->vruntime - se->vruntime);
    if (vdiff <= 0) return -1;
    return vdiff > s64(wakeup_gran(se)) ? 1 : 0;
}

static void check_preempt_wakeup(rq* rq, task_struct* p, int) {
    task_struct* curr = rq->curr;
    sched_entity* se = &curr->se;
    sched_entity* pse = &p->se;
    if (se == pse || test_tsk_need_resched(curr)) return;
    // Non-idle tasks always preempt SCHED_IDLE ones.
    if (curr->policy == SCHED_IDLE && p->policy != SCHED_IDLE) {
        resched_curr(rq);
        return;
    }
    // BATCH and IDLE wakers wait for the tick: they never preempt on wakeup.
    if (p->policy != SCHED_NORMAL) return;
    update_curr(&rq->cfs);
    if (wakeup_preempt_entity(se, pse) == 1) resched_curr(rq);
}

// Tick-driven preemption: curr has used its slice, or has run at least the
// minimum granularity and is now a whole slice ahead of the leftmost task.
static void check_preempt_tick(cfs_rq* cfs_rq, sched_entity* curr) {
    u64 ideal_runtime = sched_slice(cfs_rq, curr);
    u64 delta_exec = curr->sum_exec_runtime - curr->prev_sum_exec_runtime;
    if (delta_exec > ideal_runtime) {
        resched_curr(rq_of(cfs_rq));
        return;
    }
    if (delta_exec < sysctl_sched_min_granularity) return;
    sched_entity* se = __pick_first_entity(cfs_rq);
    if (!se) return;
    s64 delta = s64(curr->vruntime - se->vruntime);
    if (delta > s64(ideal_runtime)) resched_curr(rq_of(cfs_rq));
}

static void task_tick_fair(rq* rq, task_struct* p, int) {
    cfs_rq* cfs_rq = &rq->cfs;
    update_curr(cfs_rq);
    if (cfs_rq->nr_running > 1) check_preempt_tick(cfs_rq, &p->se);
}

// sched_yield: let the next task go first. The skip buddy keeps
// pick_next_entity off this task for one pick.
static void yield_task_fair(rq* rq) {
    cfs_rq* cfs_rq = &rq->cfs;
    if (cfs_rq->nr_running == 1) return;
    update_rq_clock(rq);
    update_curr(cfs_rq);
    cfs_rq->skip = &rq->curr->se;
}

// ---- fork, class and priority changes ---------------------------------------------

// Called by sched_fork without the rq lock, on the parent's CPU: the child
// starts at the parent's vruntime or one slice past min_vruntime, whichever is
// later.
static void task_fork_fair(task_struct* p) {
    rq* rq = this_rq();
    Guard<IrqSave> guard(rq->lock);
    update_rq_clock(rq);
    cfs_rq* cfs_rq = &rq->cfs;
    sched_entity* se = &p->se;
    se->vruntime = 0;
    if (sched_entity* curr = cfs_rq->curr) {
        update_curr(cfs_rq);
        se->vruntime = curr->vruntime;
    }
    place_entity(cfs_rq, se, true);
    se->cfs_rq = cfs_rq;
}

// A task that came from another class (RT, or a boost that ended): its
// vruntime is from whenever it last ran under CFS. Place it as a waking task,
// so it neither jumps ahead with an old small vruntime nor waits behind everyone.
static void switched_to_fair(rq* rq, task_struct* p) {
    cfs_rq* cfs_rq = &rq->cfs;
    sched_entity* se = &p->se;
    bool in_tree = se->on_rq && cfs_rq->curr != se;
    if (in_tree) __dequeue_entity(cfs_rq, se);
    rebase_vruntime(cfs_rq, se);
    place_entity(cfs_rq, se, false);
    if (in_tree) __enqueue_entity(cfs_rq, se);
    if (!task_on_rq_queued(p)) return;
    if (task_current(rq, p)) resched_curr(rq);
    else check_preempt_curr(rq, p, 0);
}

// A niced task: if it runs and got lighter, someone else may now be due; if it
// waits and got heavier, it may now be due itself.
static void prio_changed_fair(rq* rq, task_struct* p, int oldprio) {
    if (!task_on_rq_queued(p) || rq->cfs.nr_running == 1) return;
    if (task_current(rq, p)) {
        if (p->prio > oldprio) resched_curr(rq);
    } else {
        check_preempt_curr(rq, p, 0);
    }
}

// ---- CPU selection ------------------------------------------------------------------

static bool rq_is_idle(const rq* rq) { return rq->curr == rq->idle && rq->nr_running == 0; }

// Wake-affine in its simplest form: stay on prev_cpu (its cache is warm) if it
// is allowed and idle; otherwise the least loaded allowed online CPU, preferring
// prev_cpu among equals.
static int select_task_rq_fair(task_struct* p, int prev_cpu, int) {
    bool prev_ok = cpu_online(prev_cpu) && cpumask_test_cpu(prev_cpu, &p->cpus_mask);
    if (prev_ok && rq_is_idle(cpu_rq(prev_cpu))) return prev_cpu;
    int best = prev_ok ? prev_cpu : -1;
    unsigned long best_load = prev_ok ? cpu_rq(prev_cpu)->cfs.load.weight : ~0ul;
    unsigned best_nr = prev_ok ? cpu_rq(prev_cpu)->nr_running : ~0u;
    unsigned cpu;
    for_each_cpu(cpu, cpu_online_mask) {
        if (!cpumask_test_cpu(cpu, &p->cpus_mask)) continue;
        rq* rq = cpu_rq(int(cpu));
        if (rq_is_idle(rq)) return int(cpu);
        unsigned nr = rq->nr_running;
        unsigned long load = rq->cfs.load.weight;
        if (nr < best_nr || (nr == best_nr && load < best_load)) {
            best = int(cpu);
            best_nr = nr;
            best_load = load;
        }
    }
    return best >= 0 ? best : prev_cpu;
}

void init_cfs_rq(cfs_rq* cfs_rq) {
    cfs_rq->load = {0, 0};
    cfs_rq->nr_running = 0;
    // Start close to the wrap, as Linux does, so wrap-unsafe comparisons fail early.
    cfs_rq->min_vruntime = u64(-(1ll << 20));
    cfs_rq->tasks_timeline = RB_ROOT_CACHED;
    cfs_rq->curr = nullptr;
    cfs_rq->skip = nullptr;
    cfs_rq->exec_clock = 0;
}

const sched_class fair_sched_class = {
    .enqueue_task = enqueue_task_fair,
    .dequeue_task = dequeue_task_fair,
    .yield_task = yield_task_fair,
    .check_preempt_curr = check_preempt_wakeup,
    .pick_next_task = pick_next_task_fair,
    .put_prev_task = put_prev_task_fair,
    .set_next_task = set_next_task_fair,
    .task_tick = task_tick_fair,
    .task_fork = task_fork_fair,
    .switched_to = switched_to_fair,
    .prio_changed = prio_changed_fair,
    .update_curr = update_curr_fair,
    .select_task_rq = select_task_rq_fair,
};
