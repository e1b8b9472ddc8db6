// The scheduler core (Linux's kernel/sched/core.c): per-CPU run queues, the
// decision of what runs next (asking the classes in priority order), the
// context switch, wake-ups, preemption, the tick, and moving tasks between CPUs.
// The policies themselves live in the classes: fair.cpp, rt.cpp, idle.cpp, stop_task.cpp.
#include <asm/irqflags.h>
#include <asm/process.h>
#include <asm/smp.h>
#include <asm/stacktrace.h>
#include <asm/ptrace.h>
#include <asm/tsc.h>
#include <keel/lockdep.h>
#include <keel/mm.h>
#include <keel/panic.h>
#include <keel/percpu.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/rcupdate.h>
#include <kernel/sched/sched.h>
#include <lib/string.h>
#include <new>

DEFINE_PER_CPU(rq, runqueues);
DEFINE_PER_CPU(task_struct*, current_task) = &init_task;
// Preemption stays off on a CPU until its idle task first schedules.
DEFINE_PER_CPU(unsigned, __preempt_count) = PREEMPT_OFFSET;

rq* cpu_rq(int cpu) { return &per_cpu(runqueues, cpu); }
rq* this_rq() { return this_cpu_ptr(&runqueues); }

namespace {

void set_tsk_need_resched(task_struct* p) { p->thread_flags.fetch_or(1ul << TIF_NEED_RESCHED, memory_order::relaxed); }
void clear_tsk_need_resched(task_struct* p) {
    p->thread_flags.fetch_and(~(1ul << TIF_NEED_RESCHED), memory_order::relaxed);
}

// Locks the run queue p is on; p may move while we wait for the lock, so check.
rq* task_rq_lock(task_struct* p) {
    for (;;) {
        rq* rq = task_rq(p);
        rq->lock.lock();
        // A migrating task belongs to no queue until it lands on its new one.
        if (rq == task_rq(p) && p->on_rq != TASK_ON_RQ_MIGRATING) return rq;
        rq->lock.unlock();
        __builtin_ia32_pause();
    }
}

void schedule_debug(task_struct* prev) {
    if (*static_cast<unsigned long*>(prev->stack) != STACK_END_MAGIC)
        panic("corrupted stack end detected inside scheduler");
    if (preempt_count() != PREEMPT_OFFSET) {
        printk(KERN_ERR "BUG: scheduling while atomic: %s/%d/0x%08x\n", prev->comm, prev->pid, preempt_count());
        dump_stack();
    }
}

task_struct* pick_next_task(rq* rq, task_struct* prev) {
    prev->sched_class->put_prev_task(rq, prev);
    if (!rq->nr_running) newidle_balance(rq);  // about to idle: try to pull work first
    for (const sched_class* c : sched_classes)
        if (task_struct* p = c->pick_next_task(rq)) return p;
    BUG();  // the idle class always has a task
}

// A task whose CPU left its allowed set moves away once it is off the CPU.
// Until it is queued there it is TASK_ON_RQ_MIGRATING, which task_rq_lock
// waits out: a wake-up arriving meanwhile must not queue it a second time.
void migrate_after_switch(task_struct* p) {
    int dest = p->sched_class->select_task_rq(p, p->cpu, 0);
    rq* dst = cpu_rq(dest);
    dst->lock.lock();
    update_rq_clock(dst);
    p->migration_pending = false;
    set_task_cpu(p, dest);
    activate_task(dst, p, ENQUEUE_MIGRATED);
    check_preempt_curr(dst, p, 0);
    dst->lock.unlock();
}

// The run-queue lock is taken by the task switching out and dropped by the one
// switching in. The lock validator tracks locks per task, so ownership is handed
// over explicitly around the switch (Linux's prepare/finish_lock_switch).
void prepare_lock_switch(rq* rq) {
    if constexpr (CONFIG_LOCKDEP) lock_release(rq->lock.dep_map(), lock_kind::spinning);
}
void finish_lock_switch(rq* rq) {
    if constexpr (CONFIG_LOCKDEP) lock_acquire(rq->lock.dep_map(), 0, false, lock_kind::spinning);
    rq->lock.unlock();
}

// Runs on the CPU that just switched, as the new task: prev is now completely
// off this CPU (its stack is no longer in use), so it may be freed or moved.
void finish_task_switch(task_struct* prev) {
    rq* rq = this_rq();
    unsigned prev_state = prev->__state.load(memory_order::relaxed);
    __atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
    bool migrate = prev->migration_pending;
    finish_lock_switch(rq);
    // Before interrupts come back: a handler waking prev on this CPU would
    // otherwise spin in task_rq_lock on a migration that cannot finish.
    if (migrate) migrate_after_switch(prev);
    arch_local_irq_enable();
    if (mm_struct* mm = rq->prev_mm) {
        rq->prev_mm = nullptr;
        mmdrop(mm);
    }
    // A dead kernel thread is released here; a dead process stays a zombie
    // until its parent reaps it, and only the reference it took for this last
    // switch is dropped.
    if (prev_state == TASK_DEAD) {
        if (prev->flags & PF_KTHREAD) release_task(prev);
        else put_task_struct(prev);
    }
}

// The address-space half of the switch (Linux's lazy TLB): a kernel thread has
// no mm and keeps the page tables already loaded, borrowing (and pinning) the
// previous task's active_mm; a user task loads its own. A borrowed mm given up
// here is dropped after the switch, once nothing runs on it.
void switch_mm_lazy(rq* rq, task_struct* prev, task_struct* next) {
    if (!next->mm) {
        next->active_mm = prev->active_mm;
        if (prev->mm) mmgrab(prev->active_mm);  // the borrow pins it
        else prev->active_mm = nullptr;          // a kernel thread hands its borrow on
    } else {
        switch_mm(prev->active_mm ? prev->active_mm : &init_mm, next->mm, next);
        if (!prev->mm) {
            rq->prev_mm = prev->active_mm;
            prev->active_mm = nullptr;
        }
    }
}

void context_switch(rq* rq, task_struct* prev, task_struct* next) {
    next->on_cpu = 1;
    rq->curr = next;
    rq->nr_switches++;
    sched_info_switch_in(rq, next);
    prepare_lock_switch(rq);
    switch_mm_lazy(rq, prev, next);
    prev = switch_to(prev, next);
    finish_task_switch(prev);
}

enum sched_mode { SM_NONE, SM_PREEMPT };

void __schedule(sched_mode mode) {
    int cpu = smp_processor_id();
    rq* rq = cpu_rq(cpu);
    task_struct* prev = rq->curr;
    schedule_debug(prev);
    arch_local_irq_disable();
    rcu_note_context_switch();
    rq->lock.lock();
    update_rq_clock(rq);

    unsigned prev_state = prev->__state.load(memory_order::relaxed);
    // A task preempted on its way to sleep stays queued: it has not slept yet.
    if (mode != SM_PREEMPT && prev_state != TASK_RUNNING) {
        deactivate_task(rq, prev, DEQUEUE_SLEEP);
        prev->stats.nr_voluntary_switches++;
    } else if (prev != rq->idle) {
        if (mode == SM_PREEMPT) prev->stats.nr_involuntary_switches++;
        if (!cpumask_test_cpu(cpu, &prev->cpus_mask)) {  // its CPU was taken away from it
            deactivate_task(rq, prev, DEQUEUE_SAVE);
            prev->on_rq = TASK_ON_RQ_MIGRATING;
            prev->migration_pending = true;
        } else {
            sched_info_enqueue(rq, prev);
        }
    }
    task_struct* next = pick_next_task(rq, prev);
    clear_tsk_need_resched(prev);
    if (prev != next) {
        context_switch(rq, prev, next);  // unlocks rq
    } else {
        prev->stats.wait_start = 0;  // it keeps running: no run-queue delay to account
        rq->lock.unlock();
        arch_local_irq_enable();
    }
}

}  // namespace

// ---- helpers shared with the classes -------------------------------------------

void update_rq_clock(rq* rq) {
    u64 now = sched_clock();
    if (now > rq->clock) rq->clock = now;  // never backwards, even across calibration
    rq->clock_task = rq->clock;
}

void resched_curr(rq* rq) {
    task_struct* curr = rq->curr;
    if (test_tsk_need_resched(curr)) return;
    set_tsk_need_resched(curr);
    if (rq->cpu != int(smp_processor_id())) smp_send_reschedule(rq->cpu);
}

// ---- scheduling ----------------------------------------------------------------

void schedule() {
    do {
        preempt_disable();
        __schedule(SM_NONE);
        preempt_enable_no_resched();
    } while (need_resched());
}

void schedule_preempt_disabled() {
    preempt_enable_no_resched();
    schedule();
    preempt_disable();
}

// The idle loop's way in: preemption is already off there.
void schedule_idle() {
    do {
        __schedule(SM_NONE);
    } while (need_resched());
}

void schedule_dead() {
    __schedule(SM_NONE);
    BUG();  // a dead task is never picked again
}

void preempt_schedule() {
    if (preempt_count() || arch_irqs_disabled()) return;
    do {
        preempt_count_add(PREEMPT_OFFSET);
        __schedule(SM_PREEMPT);
        preempt_count_sub(PREEMPT_OFFSET);
    } while (need_resched());
}

void preempt_enable() {
    barrier();
    preempt_count_sub(PREEMPT_OFFSET);
    if (preempt_count() == 0 && need_resched()) preempt_schedule();
}

// Interrupt return to kernel code that may be preempted (entry_64.S calls this
// with IRQs off): switch now if the interrupt asked for it.
extern "C" void irqentry_exit_cond_resched(pt_regs* regs) {
    if (user_mode(regs) || !(regs->flags & X86_EFLAGS_IF) || preempt_count() || !need_resched()) return;
    do {
        preempt_count_add(PREEMPT_OFFSET);
        arch_local_irq_enable();
        __schedule(SM_PREEMPT);
        arch_local_irq_disable();
        preempt_count_sub(PREEMPT_OFFSET);
    } while (need_resched());
}

// First code of every new task (from ret_from_fork): complete the switch that
// started it, then allow preemption.
extern "C" void schedule_tail(task_struct* prev) {
    finish_task_switch(prev);
    preempt_enable();
}

void yield() {
    rq* rq = this_rq();
    arch_local_irq_disable();
    rq->lock.lock();
    rq->curr->sched_class->yield_task(rq);
    rq->lock.unlock();
    arch_local_irq_enable();
    schedule();
}

// ---- wake-ups -----------------------------------------------------------------

namespace {

bool try_to_wake_up(task_struct* p, unsigned state, int wake_flags) {
    Guard<IrqSave> guard(p->pi_lock);
    if (!(p->__state.load(memory_order::acquire) & state)) return false;
    p->stats.nr_wakeups++;

    // Still queued (it has not reached schedule(), or was preempted on the way):
    // making it runnable again is all there is to do.
    rq* rq = task_rq_lock(p);
    if (task_on_rq_queued(p)) {
        update_rq_clock(rq);
        p->__state.store(TASK_RUNNING, memory_order::release);
        check_preempt_curr(rq, p, wake_flags);
        rq->lock.unlock();
        return true;
    }
    rq->lock.unlock();

    // Off every run queue; wait until its old CPU has switched away from it
    // before it may be queued anywhere (its stack may still be in use).
    while (__atomic_load_n(&p->on_cpu, __ATOMIC_ACQUIRE)) __builtin_ia32_pause();
    int cpu = p->sched_class->select_task_rq(p, p->cpu, wake_flags);
    set_task_cpu(p, cpu);
    rq = cpu_rq(cpu);
    rq->lock.lock();
    update_rq_clock(rq);
    activate_task(rq, p, ENQUEUE_WAKEUP);
    p->__state.store(TASK_RUNNING, memory_order::release);
    check_preempt_curr(rq, p, wake_flags);
    rq->lock.unlock();
    return true;
}

}  // namespace

bool wake_up_process(task_struct* p) { return try_to_wake_up(p, TASK_NORMAL, 0); }
bool wake_up_state(task_struct* p, unsigned state) { return try_to_wake_up(p, state, 0); }

void wake_up_new_task(task_struct* p) {
    Guard<IrqSave> guard(p->pi_lock);
    p->__state.store(TASK_RUNNING, memory_order::relaxed);
    int cpu = p->sched_class->select_task_rq(p, p->cpu, WF_FORK);
    set_task_cpu(p, cpu);
    rq* rq = cpu_rq(cpu);
    rq->lock.lock();
    update_rq_clock(rq);
    activate_task(rq, p, 0);
    check_preempt_curr(rq, p, WF_FORK);
    rq->lock.unlock();
}

// ---- task attributes ----------------------------------------------------------

void sched_fork(task_struct* p) {
    p->__state.store(TASK_NEW, memory_order::relaxed);
    p->policy = current->policy == SCHED_IDLE || current->policy == SCHED_BATCH ? current->policy : SCHED_NORMAL;
    p->static_prio = current->flags & PF_IDLE ? DEFAULT_PRIO : current->static_prio;
    p->normal_prio = p->prio = p->static_prio;
    p->rt_priority = 0;
    p->sched_class = &fair_sched_class;
    p->se = {};
    p->rt = {};
    INIT_LIST_HEAD(&p->rt.run_list);
    set_load_weight(p);
    p->on_cpu = 0;
    p->cpu = int(smp_processor_id());
    p->sched_class->task_fork(p);
}

namespace {

// Changes a task's scheduling attributes with it off the queue and, if it is
// running, out of its class's bookkeeping; then puts it back and lets the
// class react (Linux's __sched_setscheduler/set_user_nice pattern).
template <typename Change> void change_task(task_struct* p, Change change) {
    Guard<IrqSave> guard(p->pi_lock);
    rq* rq = task_rq_lock(p);
    update_rq_clock(rq);
    bool queued = task_on_rq_queued(p), running = task_current(rq, p);
    const sched_class* prev_class = p->sched_class;
    int oldprio = p->prio;
    if (queued) deactivate_task(rq, p, DEQUEUE_SAVE);
    if (running) prev_class->put_prev_task(rq, p);
    change();
    if (queued) activate_task(rq, p, ENQUEUE_RESTORE);
    if (running) p->sched_class->set_next_task(rq, p, false);
    if (p->sched_class != prev_class) p->sched_class->switched_to(rq, p);
    else if (p->prio != oldprio) p->sched_class->prio_changed(rq, p, oldprio);
    if (queued && !running) check_preempt_curr(rq, p, 0);
    if (running) resched_curr(rq);
    rq->lock.unlock();
}

}  // namespace

void set_user_nice(task_struct* p, long nice) {
    if (nice < -20) nice = -20;
    if (nice > 19) nice = 19;
    change_task(p, [&] {
        p->static_prio = NICE_TO_PRIO(int(nice));
        set_load_weight(p);
        if (!rt_prio(p->normal_prio)) p->normal_prio = p->prio = p->static_prio;
    });
}

int sched_setscheduler_nocheck(task_struct* p, unsigned policy, int rt_priority) {
    bool rt_policy = policy == SCHED_FIFO || policy == SCHED_RR;
    if (policy != SCHED_NORMAL && policy != SCHED_BATCH && policy != SCHED_IDLE && !rt_policy) return -EINVAL;
    if (rt_policy ? (rt_priority < 1 || rt_priority > MAX_RT_PRIO - 1) : rt_priority != 0) return -EINVAL;
    change_task(p, [&] {
        p->policy = policy;
        p->rt_priority = unsigned(rt_priority);
        p->normal_prio = rt_policy ? MAX_RT_PRIO - 1 - rt_priority : p->static_prio;
        p->prio = p->normal_prio;
        p->sched_class = rt_policy ? &rt_sched_class : &fair_sched_class;
        set_load_weight(p);
    });
    return 0;
}

int set_cpus_allowed_ptr(task_struct* p, const cpumask* mask) {
    cpumask allowed;
    cpumask_clear(&allowed);
    unsigned cpu;
    for_each_cpu(cpu, mask) if (cpumask_test_cpu(cpu, cpu_possible_mask)) cpumask_set_cpu(cpu, &allowed);
    if (cpumask_empty(&allowed)) return -EINVAL;
    Guard<IrqSave> guard(p->pi_lock);
    rq* rq = task_rq_lock(p);
    p->cpus_mask = allowed;
    p->nr_cpus_allowed = int(cpumask_weight(&allowed));
    bool here_ok = cpumask_test_cpu(unsigned(p->cpu), &allowed);
    if (!here_ok) {
        if (task_current(rq, p)) {
            resched_curr(rq);  // __schedule moves it once it is off the CPU
        } else if (task_on_rq_queued(p)) {
            int dest = p->sched_class->select_task_rq(p, p->cpu, 0);
            struct rq* dst = cpu_rq(dest);
            rq->lock.unlock();
            double_rq_lock(rq, dst);
            if (task_rq(p) == rq && task_on_rq_queued(p) && !task_current(rq, p)) move_queued_task(rq, dst, p);
            double_rq_unlock(rq, dst);
            return 0;
        } else {
            set_task_cpu(p, int(cpumask_first(&allowed)));  // sleeping: wakes up there
        }
    }
    rq->lock.unlock();
    return 0;
}

// ---- the tick and boot ----------------------------------------------------------

void scheduler_tick() {
    rq* rq = this_rq();
    rq->lock.lock();
    update_rq_clock(rq);
    rq->curr->sched_class->task_tick(rq, rq->curr, 0);
    rq->lock.unlock();
    trigger_load_balance(rq);
}

void init_idle(task_struct* idle, int cpu) {
    rq* rq = cpu_rq(cpu);
    idle->__state.store(TASK_RUNNING, memory_order::relaxed);
    idle->flags |= PF_IDLE | PF_KTHREAD;
    idle->sched_class = &idle_sched_class;
    idle->policy = SCHED_NORMAL;
    idle->prio = idle->normal_prio = idle->static_prio = MAX_PRIO - 20;
    idle->on_cpu = 1;
    idle->cpu = idle->wake_cpu = cpu;
    cpumask_clear(&idle->cpus_mask);
    cpumask_set_cpu(unsigned(cpu), &idle->cpus_mask);
    idle->nr_cpus_allowed = 1;
    rq->idle = rq->curr = idle;
    per_cpu(current_task, cpu) = idle;
    per_cpu(__preempt_count, cpu) = PREEMPT_OFFSET;
}

void sched_init() {
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        // The per-CPU copies were made from the template by memcpy: build each
        // run queue in place so its lists point into its own copy.
        rq* rq = new (cpu_rq(int(cpu))) struct rq;
        rq->cpu = int(cpu);
        init_cfs_rq(&rq->cfs);
        init_rt_rq(&rq->rt);
    }
    init_idle(&init_task, int(smp_processor_id()));
    cpu_rq(int(smp_processor_id()))->online = true;
    update_sysctl();  // scale latency and granularities to the online CPUs
}
