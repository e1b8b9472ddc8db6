// Grace periods and callbacks (Linux's kernel/rcu/tree.c, flattened to one
// level: no rcu_node tree, a 64-bit mask of CPUs instead).
//
// A grace period (GP) is numbered by rcu_state.gp_seq, whose low two bits say
// whether one is running (Linux's rcu_seq: start makes the state 1, the end
// rounds up to the next multiple of 4). When a GP starts, every online CPU
// owes it a quiescent state (QS). A CPU notices the new GP on its next tick,
// then waits for a QS of its own — a context switch (rcu_note_context_switch),
// or a tick that interrupted user mode, the idle task, or kernel code running
// with preempt_count 0 (no reader can be inside, readers disable preemption) —
// and reports it from the RCU softirq. The last report ends the GP, and starts
// the next one if callbacks asked for it: the GP machine is driven by the
// ticks and the softirq alone, with no kernel thread.
//
// Callbacks queue per CPU: `next` (not yet waiting for any GP), `wait`
// (waiting for GP number wait_gp to end) and `done` (ready); the softirq moves
// them along and runs the ready ones. Each list keeps queue order, so
// callbacks of one CPU run in the order they were queued (rcu_barrier relies
// on that).
#include <keel/completion.h>
#include <keel/interrupt.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/rcupdate.h>
#include <keel/sched.h>
#include <lib/cpumask.h>

namespace {

// rcu_seq arithmetic on GP numbers.
constexpr unsigned long RCU_SEQ_STATE_MASK = 3;
unsigned long rcu_seq_state(unsigned long s) { return s & RCU_SEQ_STATE_MASK; }
// The number gp_seq will have once a GP that starts after now has ended.
unsigned long rcu_seq_snap(unsigned long s) { return (s + 2 * RCU_SEQ_STATE_MASK + 1) & ~RCU_SEQ_STATE_MASK; }
bool rcu_seq_done(unsigned long cur, unsigned long s) { return long(cur - s) >= 0; }

struct rcu_cblist {
    rcu_head* head = nullptr;
    rcu_head* tail = nullptr;  // no self-pointers: per-CPU copies are memcpy'd from a template

    bool empty() const { return !head; }
    void enqueue(rcu_head* h) {
        h->next = nullptr;
        if (tail) tail->next = h;
        else head = h;
        tail = h;
    }
    void splice_tail(rcu_cblist* from) {
        if (from->empty()) return;
        if (tail) tail->next = from->head;
        else head = from->head;
        tail = from->tail;
        from->head = from->tail = nullptr;
    }
};

struct rcu_data {
    spinlock_t lock{"rcu_data.lock"};  // the callback lists (rcu_barrier queues remotely)
    rcu_cblist next, wait, done;
    unsigned long wait_gp = 0;
    // Touched only by this CPU with IRQs off:
    unsigned long gp_seq = 0;  // the last GP this CPU noticed
    bool qs_pending = false;   // this CPU owes gp_seq a QS
    bool passed_qs = false;    // ...and has passed one since noticing it
    // Statistics.
    unsigned long n_cbs_invoked = 0;
    rcu_head barrier_head{};
};

DEFINE_PER_CPU(rcu_data, rcu_data_pcpu);

struct rcu_state_t {
    spinlock_t lock{"rcu_state.lock"};
    Atomic<unsigned long> gp_seq{0};
    unsigned long gp_seq_needed = 0;  // the highest GP number callbacks wait for
    Atomic<u64> qsmask{0};            // CPUs that still owe the current GP a QS
    Atomic<unsigned long> gp_completed{0};
} rcu_state;

static_assert(NR_CPUS <= 64, "qsmask is one word");

// Starts a GP if one is needed and none is running. rcu_state.lock held.
void rcu_start_gp_locked() {
    unsigned long s = rcu_state.gp_seq.load(memory_order::relaxed);
    if (rcu_seq_state(s) || rcu_seq_done(s, rcu_state.gp_seq_needed)) return;
    rcu_state.qsmask.store(cpu_online_mask->bits[0], memory_order::relaxed);
    // Everything before this (the updates callbacks wait for) is ordered
    // before any CPU can see the new GP number.
    rcu_state.gp_seq.store(s + 1, memory_order::seq_cst);
}

// Asks for GP number `snap` to happen. rcu_state.lock taken here.
void rcu_request_gp(unsigned long snap) {
    Guard<IrqSave> g(rcu_state.lock);
    if (long(snap - rcu_state.gp_seq_needed) > 0) rcu_state.gp_seq_needed = snap;
    rcu_start_gp_locked();
}

// This CPU looks at the current GP number: a new GP means a new QS is owed.
// IRQs off.
void note_gp_changes(rcu_data* rdp) {
    unsigned long s = rcu_state.gp_seq.load(memory_order::acquire);
    if (s == rdp->gp_seq) return;
    rdp->gp_seq = s;
    rdp->qs_pending = rcu_seq_state(s) && (rcu_state.qsmask.load(memory_order::relaxed) >> smp_processor_id() & 1);
    rdp->passed_qs = false;
}

// Reports this CPU's QS for rdp->gp_seq; the last report ends the GP.
void rcu_report_qs(rcu_data* rdp) {
    Guard<IrqSave> g(rcu_state.lock);
    rdp->qs_pending = false;
    if (rcu_state.gp_seq.load(memory_order::relaxed) != rdp->gp_seq) return;  // that GP is over
    u64 bit = u64(1) << smp_processor_id();
    if (!(rcu_state.qsmask.fetch_and(~bit, memory_order::seq_cst) & ~bit)) {
        unsigned long s = rcu_state.gp_seq.load(memory_order::relaxed);
        rcu_state.gp_seq.store((s | RCU_SEQ_STATE_MASK) + 1, memory_order::seq_cst);
        rcu_state.gp_completed.fetch_add(1, memory_order::relaxed);
        rcu_start_gp_locked();
    }
}

// Moves callbacks along: wait -> done once its GP ended, next -> wait with
// the GP that will cover them, requesting that GP.
void rcu_advance_cbs(rcu_data* rdp) {
    unsigned long snap = 0;
    bool request = false;
    {
        Guard<IrqSave> g(rdp->lock);
        unsigned long cur = rcu_state.gp_seq.load(memory_order::acquire);
        if (!rdp->wait.empty() && rcu_seq_done(cur, rdp->wait_gp)) rdp->done.splice_tail(&rdp->wait);
        if (!rdp->next.empty()) {
            snap = rcu_seq_snap(cur);
            if (rdp->wait.empty() || rdp->wait_gp == snap) {
                rdp->wait.splice_tail(&rdp->next);
                rdp->wait_gp = snap;
                request = true;
            }
        }
    }
    if (request) rcu_request_gp(snap);
}

void rcu_do_batch(rcu_data* rdp) {
    rcu_cblist ready;
    {
        Guard<IrqSave> g(rdp->lock);
        ready.splice_tail(&rdp->done);
    }
    for (rcu_head* h = ready.head; h;) {
        rcu_head* next = h->next;  // the callback usually frees h
        h->func(h);
        rdp->n_cbs_invoked++;
        h = next;
    }
}

// RCU_SOFTIRQ: report a QS, move callbacks along, run the ready ones.
void rcu_core(softirq_action*) {
    rcu_data* rdp = this_cpu_ptr(&rcu_data_pcpu);
    unsigned long flags = arch_local_irq_save();
    note_gp_changes(rdp);
    bool report = rdp->qs_pending && rdp->passed_qs;
    arch_local_irq_restore(flags);
    if (report) rcu_report_qs(rdp);
    rcu_advance_cbs(rdp);
    flags = arch_local_irq_save();
    note_gp_changes(rdp);  // the GP we may have started or ended
    arch_local_irq_restore(flags);
    rcu_do_batch(rdp);
}

// Has the softirq anything to do on this CPU? (Lockless peeks; IRQs off.)
bool rcu_pending(rcu_data* rdp) {
    if (rdp->qs_pending && rdp->passed_qs) return true;
    if (!rdp->done.empty()) return true;
    if (!rdp->next.empty() && rdp->wait.empty()) return true;
    return !rdp->wait.empty() && rcu_seq_done(rcu_state.gp_seq.load(memory_order::relaxed), rdp->wait_gp);
}

// rcu_barrier's state.
DEFINE_MUTEX(rcu_barrier_mutex);
Atomic<int> barrier_cpu_count{0};
completion barrier_completion;

// synchronize_rcu: a callback that completes a completion.
struct rcu_synchronize {
    rcu_head head;
    completion done;
};

void wakeme_after_rcu(rcu_head* head) { complete(&container_of(head, rcu_synchronize, head)->done); }

void rcu_barrier_callback(rcu_head*) {
    if (barrier_cpu_count.fetch_sub(1, memory_order::acq_rel) == 1) complete(&barrier_completion);
}

}  // namespace

void call_rcu(rcu_head* head, rcu_callback_t func) {
    head->func = func;
    rcu_data* rdp = this_cpu_ptr(&rcu_data_pcpu);  // if we migrate now, its lock still protects it
    Guard<IrqSave> g(rdp->lock);
    rdp->next.enqueue(head);
}

void rcu_note_context_switch() {
    this_cpu_ptr(&rcu_data_pcpu)->passed_qs = true;
}

void rcu_sched_clock_irq(int user) {
    rcu_data* rdp = this_cpu_ptr(&rcu_data_pcpu);
    note_gp_changes(rdp);
    // The tick's own hardirq level is the only thing in preempt_count: the
    // interrupted code was preemptible, hence outside any reader. The idle
    // task runs with preemption off, but never inside a reader in its loop.
    unsigned pc = preempt_count();
    bool idle = current->flags & PF_IDLE;
    if (user || pc == HARDIRQ_OFFSET || (idle && pc == HARDIRQ_OFFSET + PREEMPT_OFFSET)) rdp->passed_qs = true;
    if (rcu_pending(rdp)) raise_softirq(RCU_SOFTIRQ);
}

void synchronize_rcu() {
    if (!rcu_scheduler_active) return;  // one task: no reader to wait for
    might_sleep();
    // With one CPU, a caller that may block is itself a grace period: readers
    // cannot be preempted, so none is in progress anywhere (Linux's
    // rcu_blocking_is_gp).
    if (num_online_cpus() <= 1) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        return;
    }
    rcu_synchronize rs;
    init_completion(&rs.done);
    call_rcu(&rs.head, wakeme_after_rcu);
    wait_for_completion(&rs.done);
}

void rcu_barrier() {
    MutexGuard serialise(&rcu_barrier_mutex);
    init_completion(&barrier_completion);
    barrier_cpu_count.store(1, memory_order::relaxed);  // held until every CPU is queued
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        rcu_data* rdp = per_cpu_ptr(&rcu_data_pcpu, cpu);
        Guard<IrqSave> g(rdp->lock);
        if (rdp->next.empty() && rdp->wait.empty() && rdp->done.empty()) continue;
        barrier_cpu_count.fetch_add(1, memory_order::relaxed);
        rdp->barrier_head.func = rcu_barrier_callback;
        rdp->next.enqueue(&rdp->barrier_head);
    }
    rcu_barrier_callback(nullptr);
    wait_for_completion(&barrier_completion);
}

unsigned long rcu_gp_completed() { return rcu_state.gp_completed.load(memory_order::relaxed); }

void rcu_init() {
    open_softirq(RCU_SOFTIRQ, rcu_core);
    init_completion(&barrier_completion);
    pr_info("rcu: Classic non-preemptible RCU; grace periods from ticks and context switches.\n");
}
