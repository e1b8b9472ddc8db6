// The simulated machine of sched_test_env.h. The functions above the sim
// namespace are the host's stand-ins for the parts of kernel/sched/core.cpp and
// kernel/cpu.cpp that need the hardware (the clock, IPIs); the run-queue
// bookkeeping is the kernel's own kernel/sched/rq.cpp.
#include <new>
#include <string.h>
#include <vector>
#include <tests/host/sched_test_env.h>

cpumask cpu_possible_mask_bits, cpu_online_mask_bits, cpu_active_mask_bits;
LIST_HEAD(task_list);
spinlock_t tasklist_lock;

static rq sim_rqs[sim::SIM_CPUS];
static task_struct sim_idle[sim::SIM_CPUS];

rq* cpu_rq(int cpu) { return &sim_rqs[cpu]; }
rq* this_rq() { return cpu_rq(int(smp_processor_id())); }

void update_rq_clock(rq* rq) {
    if (sim::now > rq->clock) rq->clock = sim::now;
    rq->clock_task = rq->clock;
}
void resched_curr(rq* rq) { rq->curr->thread_flags.fetch_or(1ul << TIF_NEED_RESCHED, memory_order::relaxed); }

namespace sim {

u64 now;
static std::vector<task_struct*> tasks;
static int next_pid;

rq* rq_of_cpu(int cpu) { return cpu_rq(cpu); }

void reset(unsigned ncpus) {
    for (task_struct* p : tasks) delete p;
    tasks.clear();
    INIT_LIST_HEAD(&task_list);
    next_pid = 1;
    now = 1000 * MSEC;  // a clock of 0 would read as "no wait_start"
    cpu_number = 0;
    cpumask_clear(cpu_possible_mask);
    cpumask_clear(cpu_online_mask);
    for (int cpu = 0; cpu < SIM_CPUS; cpu++) {
        rq* rq = cpu_rq(cpu);
        memset(static_cast<void*>(rq), 0, sizeof(*rq));
        new (rq) struct rq;
        rq->cpu = cpu;
        init_cfs_rq(&rq->cfs);
        init_rt_rq(&rq->rt);
        task_struct* idle = &sim_idle[cpu];
        idle->~task_struct();
        new (idle) task_struct;
        idle->__state.store(TASK_RUNNING, memory_order::relaxed);
        idle->flags = PF_IDLE | PF_KTHREAD;
        idle->sched_class = &idle_sched_class;
        idle->prio = idle->normal_prio = idle->static_prio = MAX_PRIO - 20;
        idle->cpu = cpu;
        idle->on_cpu = 1;
        rq->idle = rq->curr = idle;
        if (unsigned(cpu) < ncpus) {
            cpumask_set_cpu(unsigned(cpu), cpu_possible_mask);
            cpumask_set_cpu(unsigned(cpu), cpu_online_mask);
            rq->online = true;
            update_rq_clock(rq);
        }
    }
    // One CPU's values whatever ncpus is, so each test sees the textbook figures.
    sysctl_sched_tunable_scaling = SCHED_TUNABLESCALING_LOG;
    sched_sysctl_write("sched_latency_ns", 6000000);
    sched_sysctl_write("sched_min_granularity_ns", 750000);
    sched_sysctl_write("sched_wakeup_granularity_ns", 1000000);
    sched_sysctl_write("sched_migration_cost_ns", 500000);
    sched_sysctl_write("sched_rr_timeslice_ms", 0);
}

task_struct* new_task(const char* comm, int cpu, int nice, unsigned policy, int rt_priority, bool any_cpu) {
    auto* p = new task_struct;
    tasks.push_back(p);
    strncpy(p->comm, comm, sizeof(p->comm) - 1);
    p->pid = next_pid++;
    list_add_tail(&p->tasks, &task_list);
    if (any_cpu) {
        cpumask_setall(&p->cpus_mask);
    } else {
        cpumask_clear(&p->cpus_mask);
        cpumask_set_cpu(unsigned(cpu), &p->cpus_mask);
    }
    // sched_fork, on the CPU the parent runs on
    bool rt = policy == SCHED_FIFO || policy == SCHED_RR;
    p->policy = policy;
    p->static_prio = NICE_TO_PRIO(nice);
    p->rt_priority = unsigned(rt_priority);
    p->normal_prio = p->prio = rt ? MAX_RT_PRIO - 1 - rt_priority : p->static_prio;
    p->sched_class = rt ? &rt_sched_class : &fair_sched_class;
    p->se = {};
    p->rt = {};
    INIT_LIST_HEAD(&p->rt.run_list);
    set_load_weight(p);
    p->cpu = cpu;
    cpu_number = unsigned(cpu);
    p->sched_class->task_fork(p);
    // wake_up_new_task
    p->__state.store(TASK_RUNNING, memory_order::relaxed);
    set_task_cpu(p, p->sched_class->select_task_rq(p, p->cpu, WF_FORK));
    rq* rq = cpu_rq(p->cpu);
    update_rq_clock(rq);
    activate_task(rq, p, 0);
    check_preempt_curr(rq, p, WF_FORK);
    return p;
}

void wake(task_struct* p) {
    set_task_cpu(p, p->sched_class->select_task_rq(p, p->cpu, 0));
    rq* rq = cpu_rq(p->cpu);
    update_rq_clock(rq);
    activate_task(rq, p, ENQUEUE_WAKEUP);
    p->__state.store(TASK_RUNNING, memory_order::relaxed);
    check_preempt_curr(rq, p, 0);
}

// core.cpp's __schedule, minus the context switch itself.
void schedule(int cpu) {
    rq* rq = cpu_rq(cpu);
    task_struct* prev = rq->curr;
    update_rq_clock(rq);
    if (prev->__state.load(memory_order::relaxed) != TASK_RUNNING) deactivate_task(rq, prev, DEQUEUE_SLEEP);
    else if (prev != rq->idle) sched_info_enqueue(rq, prev);
    prev->sched_class->put_prev_task(rq, prev);
    task_struct* next = nullptr;
    for (const sched_class* c : sched_classes)
        if ((next = c->pick_next_task(rq))) break;
    prev->thread_flags.fetch_and(~(1ul << TIF_NEED_RESCHED), memory_order::relaxed);
    if (prev == next) {
        prev->stats.wait_start = 0;  // it never stopped running
        return;
    }
    prev->on_cpu = 0;
    next->on_cpu = 1;
    rq->curr = next;
    rq->nr_switches++;
    sched_info_switch_in(rq, next);
}

void block(task_struct* p) {
    p->__state.store(TASK_INTERRUPTIBLE, memory_order::relaxed);
    schedule(p->cpu);
}

void yield(int cpu) {
    rq* rq = cpu_rq(cpu);
    rq->curr->sched_class->yield_task(rq);
    schedule(cpu);
}

void preempt_point(int cpu) {
    if (test_tsk_need_resched(curr(cpu))) schedule(cpu);
}

void tick() {
    now += TICK;
    unsigned cpu;
    for_each_cpu(cpu, cpu_online_mask) {
        rq* rq = cpu_rq(int(cpu));
        cpu_number = cpu;
        update_rq_clock(rq);
        rq->curr->sched_class->task_tick(rq, rq->curr, 0);
        trigger_load_balance(rq);
        preempt_point(int(cpu));
    }
    cpu_number = 0;
}

void run(u64 ns) {
    for (u64 t = 0; t < ns; t += TICK) tick();
}

}  // namespace sim
