// CFS load balancing between CPUs (Linux's load_balance and newidle_balance in
// kernel/sched/fair.c, for one flat domain: every online CPU is a peer).
//
// A CPU pulls; it never pushes. Periodically (trigger_load_balance, from every
// tick) and when it is about to go idle (newidle_balance), a CPU looks for the
// online CPU with the most queued CFS weight and, if that exceeds its own by
// more than 25%, moves waiting tasks over until the two are as even as whole
// tasks allow. A task is left where it is when its affinity forbids the move,
// when it is running, or when it is cache-hot: it ran within
// sysctl_sched_migration_cost, so its data is likely still in the source CPU's
// caches and moving it would cost more than the wait it saves (unless periodic
// balancing keeps failing because of that, as in Linux).
#include <asm/irqflags.h>
#include "sched.h"

constexpr unsigned IMBALANCE_PCT = 125;      // pull only beyond a 25% difference
constexpr unsigned CACHE_NICE_TRIES = 1;     // failed balances before hot tasks may move
constexpr unsigned SCHED_NR_MIGRATE = 32;    // at most this many tasks per balance (Linux's sysctl_sched_nr_migrate)
constexpr u64 BALANCE_INTERVAL_IDLE = 4000000;   // ns: an idle CPU looks every tick
constexpr u64 BALANCE_INTERVAL_BUSY = 32000000;  // a busy one less often (Linux's busy_factor)

namespace {

struct lb_env {
    rq* src;
    rq* dst;
    bool skipped_hot = false;  // a task could have moved but for its cache
};

// The weight of CFS tasks queued on rq, and a decayed average of it that the
// tick maintains in rq->cpu_load. Like Linux's old source_load/target_load, a
// periodic balance judges the source by the lower and the target by the higher
// of the two, so a momentary spike does not move tasks back and forth; a CPU
// going idle uses the instantaneous load, since it has nothing to lose.
unsigned long source_load(const rq* rq, bool newidle) {
    unsigned long now = rq->cfs.load.weight;
    return newidle || now < rq->cpu_load ? now : rq->cpu_load;
}
unsigned long target_load(const rq* rq, bool newidle) {
    unsigned long now = rq->cfs.load.weight;
    return newidle || now > rq->cpu_load ? now : rq->cpu_load;
}

// CFS tasks on rq that are waiting, i.e. could be moved.
unsigned cfs_waiting(const rq* rq) {
    unsigned nr = rq->cfs.nr_running;
    if (rq->cfs.curr && nr) nr--;
    return nr;
}

rq* find_busiest_queue(rq* this_rq, bool newidle) {
    rq* busiest = nullptr;
    unsigned long max_load = 0;
    unsigned cpu;
    for_each_cpu(cpu, cpu_online_mask) {
        rq* rq = cpu_rq(int(cpu));
        if (rq == this_rq || !cfs_waiting(rq)) continue;
        unsigned long load = source_load(rq, newidle);
        if (load > max_load) {
            max_load = load;
            busiest = rq;
        }
    }
    if (!busiest) return nullptr;
    unsigned long this_load = target_load(this_rq, newidle);
    if (max_load * 100 <= this_load * IMBALANCE_PCT) return nullptr;
    return busiest;
}

bool task_hot(const task_struct* p, const rq* src) {
    return s64(src->clock_task - p->se.exec_start) < s64(sysctl_sched_migration_cost);
}

// Hot tasks may move once balancing has failed more than CACHE_NICE_TRIES
// times in a row: the imbalance has then lasted long enough to cost more than
// a cold cache.
bool can_migrate_task(const task_struct* p, lb_env& env) {
    if (!cpumask_test_cpu(unsigned(env.dst->cpu), &p->cpus_mask)) return false;
    if (task_current(env.src, p) || p->on_cpu) return false;
    if (env.dst->nr_balance_failed > CACHE_NICE_TRIES || !task_hot(p, env.src)) return true;
    env.skipped_hot = true;
    return false;
}

// Both queues locked. Moves tasks while each move narrows the gap: moving
// weight w changes a difference d into d - 2w, which is smaller in size only
// while w < d.
int detach_and_attach_tasks(lb_env& env) {
    long diff = long(env.src->cfs.load.weight) - long(env.dst->cfs.load.weight);
    int moved = 0;
    rb_node* node = rb_first_cached(&env.src->cfs.tasks_timeline);
    for (unsigned looked = 0; node && diff > 0 && looked < SCHED_NR_MIGRATE; looked++) {
        sched_entity* se = rb_entry(node, sched_entity, run_node);
        task_struct* p = container_of(se, task_struct, se);
        node = rb_next(node);
        long w = long(se->load.weight);
        if (w >= diff || !can_migrate_task(p, env)) continue;
        move_queued_task(env.src, env.dst, p);  // also checks preemption on dst
        diff -= 2 * w;
        moved++;
    }
    return moved;
}

// this_rq is locked; takes busiest's lock too, in CPU order to avoid deadlock
// with a CPU balancing the other way, dropping this_rq's lock if need be. The
// second run-queue lock is lockdep subclass 1 (Linux's SINGLE_DEPTH_NESTING):
// nesting two locks of one class is fine when the order is fixed like this.
void double_lock_balance(rq* this_rq, rq* busiest) {
    if (busiest->lock.try_lock()) return;
    if (busiest->cpu < this_rq->cpu) {
        this_rq->lock.unlock();
        busiest->lock.lock();
        this_rq->lock.lock(1);
    } else {
        busiest->lock.lock(1);
    }
}

}  // namespace

int load_balance(rq* this_rq) {
    rq* busiest = find_busiest_queue(this_rq, false);
    if (!busiest) return 0;
    unsigned long flags = arch_local_irq_save();
    double_rq_lock(this_rq, busiest);
    update_rq_clock(this_rq);
    update_rq_clock(busiest);
    lb_env env{busiest, this_rq};
    int moved = detach_and_attach_tasks(env);
    // Only hotness counts as a failure: tasks pinned elsewhere will never come.
    this_rq->nr_balance_failed = !moved && env.skipped_hot ? this_rq->nr_balance_failed + 1 : 0;
    double_rq_unlock(this_rq, busiest);
    arch_local_irq_restore(flags);
    return moved;
}

int newidle_balance(rq* this_rq) {
    rq* busiest = find_busiest_queue(this_rq, true);
    if (!busiest) return 0;
    double_lock_balance(this_rq, busiest);
    update_rq_clock(busiest);
    lb_env env{busiest, this_rq};
    int moved = detach_and_attach_tasks(env);
    busiest->lock.unlock();
    return moved;
}

// From scheduler_tick on every CPU: age the load average, and balance when due.
void trigger_load_balance(rq* rq) {
    rq->cpu_load = (rq->cpu_load * 3 + rq->cfs.load.weight) / 4;
    if (s64(rq->clock - rq->next_balance_clock) < 0) return;
    bool idle = rq->curr == rq->idle;
    rq->next_balance_clock = rq->clock + (idle ? BALANCE_INTERVAL_IDLE : BALANCE_INTERVAL_BUSY);
    load_balance(rq);
}
