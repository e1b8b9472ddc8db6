// Softirqs and tasklets (Linux's kernel/softirq.c). A softirq is a bit in this
// CPU's pending mask plus a handler in softirq_vec; raising one sets the bit,
// and the handlers run, with IRQs on, at the next of: the end of the outermost
// interrupt (irq_exit), a local_bh_enable that re-allows them, or ksoftirqd/N.
// __do_softirq loops while handlers raise more, but only 10 rounds or 2 ms:
// after that the rest goes to ksoftirqd, a normal thread the scheduler can
// weigh against everything else, so a flood of softirqs cannot starve tasks.
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/interrupt.h>
#include <keel/kthread.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <lib/cpumask.h>
#include <lib/vsprintf.h>

const char* const softirq_to_name[NR_SOFTIRQS] = {"HI",    "TIMER",   "NET_TX", "NET_RX",  "BLOCK",
                                                  "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"};

namespace {

constexpr unsigned MAX_SOFTIRQ_RESTART = 10;
constexpr u64 MAX_SOFTIRQ_TIME_NS = 2'000'000;
// Tasklets must not wait behind ksoftirqd: they are what drivers use for latency.
constexpr u32 SOFTIRQ_NOW_MASK = (1u << HI_SOFTIRQ) | (1u << TASKLET_SOFTIRQ);

softirq_action softirq_vec[NR_SOFTIRQS];

struct softirq_stat {
    unsigned long count[NR_SOFTIRQS];
};

struct tasklet_head {
    tasklet_struct* head;
    tasklet_struct** tail;
};

}  // namespace

DEFINE_PER_CPU(u32, __softirq_pending);
DEFINE_PER_CPU(task_struct*, ksoftirqd);
DEFINE_PER_CPU(softirq_stat, softirq_stats);
DEFINE_PER_CPU(tasklet_head, tasklet_vec);
DEFINE_PER_CPU(tasklet_head, tasklet_hi_vec);

namespace {

// The ksoftirqd of this CPU is runnable: it will get to the work, and running
// it here too would only take the CPU from the tasks the scheduler chose.
bool ksoftirqd_running(u32 pending) {
    task_struct* tsk = this_cpu_read(ksoftirqd);
    if (pending & SOFTIRQ_NOW_MASK) return false;
    return tsk && tsk->__state.load(memory_order::relaxed) == TASK_RUNNING;
}

void wakeup_softirqd() {
    task_struct* tsk = this_cpu_read(ksoftirqd);
    if (tsk && tsk->__state.load(memory_order::relaxed) != TASK_RUNNING) wake_up_process(tsk);
}

// With IRQs off (the pending mask is also written from interrupts).
void __do_softirq() {
    u64 end = sched_clock() + MAX_SOFTIRQ_TIME_NS;
    unsigned restart = MAX_SOFTIRQ_RESTART;
    preempt_count_add(SOFTIRQ_OFFSET);
    u32 pending = this_cpu_read(__softirq_pending);
    for (;;) {
        this_cpu_write(__softirq_pending, 0u);
        arch_local_irq_enable();
        softirq_stat* stats = this_cpu_ptr(&softirq_stats);
        for (unsigned nr = 0; pending; nr++, pending >>= 1) {
            if (!(pending & 1)) continue;
            stats->count[nr]++;
            unsigned prev_count = preempt_count();
            softirq_vec[nr].action(&softirq_vec[nr]);
            // A handler that leaks a preempt_disable would leave the CPU atomic forever.
            if (preempt_count() != prev_count) {
                printk(KERN_ERR "huh, entered softirq %u %s %p with preempt_count %08x, exited with %08x?\n",
                       nr, softirq_to_name[nr], reinterpret_cast<void*>(softirq_vec[nr].action), prev_count,
                       preempt_count());
                this_cpu_write(__preempt_count, prev_count);
            }
        }
        arch_local_irq_disable();
        pending = this_cpu_read(__softirq_pending);
        if (!pending) break;
        if (sched_clock() < end && !need_resched() && --restart) continue;
        wakeup_softirqd();
        break;
    }
    preempt_count_sub(SOFTIRQ_OFFSET);
}

int run_ksoftirqd(void*) {
    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!local_softirq_pending()) schedule();
        __set_current_state(TASK_RUNNING);
        arch_local_irq_disable();
        if (local_softirq_pending()) __do_softirq();
        arch_local_irq_enable();
        // Work left over (a disabled tasklet keeps re-raising itself): offer
        // the CPU, rather than rely on the tick to preempt this loop.
        if (local_softirq_pending()) yield();
        else if (need_resched()) schedule();
    }
}

void tasklet_queue(tasklet_struct* t, tasklet_head* head, unsigned softirq) {
    unsigned long flags = arch_local_irq_save();
    t->next = nullptr;
    *head->tail = t;
    head->tail = &t->next;
    raise_softirq_irqoff(softirq);
    arch_local_irq_restore(flags);
}

bool test_and_set_state(tasklet_struct* t, unsigned long bit) {
    return t->state.fetch_or(1ul << bit, memory_order::acq_rel) & (1ul << bit);
}
bool test_state(tasklet_struct* t, unsigned long bit) { return t->state.load(memory_order::acquire) & (1ul << bit); }
void clear_state(tasklet_struct* t, unsigned long bit) { t->state.fetch_and(~(1ul << bit), memory_order::release); }

// Runs the tasklets queued on this CPU. One that is disabled, or already
// running elsewhere (RUN held by another CPU), goes back on the list for the
// next round; that is what keeps each tasklet serialised.
void tasklet_action_common(tasklet_head* head, unsigned softirq) {
    arch_local_irq_disable();
    tasklet_struct* list = head->head;
    head->head = nullptr;
    head->tail = &head->head;
    arch_local_irq_enable();
    while (list) {
        tasklet_struct* t = list;
        list = list->next;
        if (!test_and_set_state(t, TASKLET_STATE_RUN)) {
            if (t->count.load(memory_order::acquire) == 0) {
                clear_state(t, TASKLET_STATE_SCHED);
                t->func(t->data);
                clear_state(t, TASKLET_STATE_RUN);
                continue;
            }
            clear_state(t, TASKLET_STATE_RUN);
        }
        tasklet_queue(t, head, softirq);
    }
}

void tasklet_action(softirq_action*) { tasklet_action_common(this_cpu_ptr(&tasklet_vec), TASKLET_SOFTIRQ); }
void tasklet_hi_action(softirq_action*) { tasklet_action_common(this_cpu_ptr(&tasklet_hi_vec), HI_SOFTIRQ); }

}  // namespace

u32 local_softirq_pending() { return this_cpu_read(__softirq_pending); }

void open_softirq(int nr, void (*action)(softirq_action*)) { softirq_vec[nr].action = action; }

void raise_softirq_irqoff(unsigned nr) {
    this_cpu_write(__softirq_pending, this_cpu_read(__softirq_pending) | (1u << nr));
    // Raised outside interrupt context: nothing on the way out of an interrupt
    // will see it soon, so have ksoftirqd run it.
    if (!in_interrupt()) wakeup_softirqd();
}

void raise_softirq(unsigned nr) {
    unsigned long flags = arch_local_irq_save();
    raise_softirq_irqoff(nr);
    arch_local_irq_restore(flags);
}

void do_softirq() {
    if (in_interrupt()) return;
    unsigned long flags = arch_local_irq_save();
    u32 pending = local_softirq_pending();
    if (pending && !ksoftirqd_running(pending)) __do_softirq();
    arch_local_irq_restore(flags);
}

void irq_enter() { preempt_count_add(HARDIRQ_OFFSET); }

// IRQs are off here; __do_softirq turns them on around the handlers, and a
// nested interrupt's irq_exit sees in_interrupt() and leaves them to us.
void irq_exit() {
    preempt_count_sub(HARDIRQ_OFFSET);
    u32 pending = local_softirq_pending();
    if (!in_interrupt() && pending && !ksoftirqd_running(pending)) __do_softirq();
}

void local_bh_disable() {
    preempt_count_add(SOFTIRQ_DISABLE_OFFSET);
    barrier();
}

// Keeps preemption off (one count) while running what became pending, so the
// softirqs run on this CPU, then drops it through preempt_enable, which
// reschedules if they woke something more important.
void local_bh_enable() {
    barrier();
    preempt_count_sub(SOFTIRQ_DISABLE_OFFSET - PREEMPT_OFFSET);
    if (!in_interrupt() && local_softirq_pending()) do_softirq();
    preempt_enable();
}

unsigned long kstat_softirqs_cpu(unsigned nr, unsigned cpu) {
    return nr < NR_SOFTIRQS ? per_cpu(softirq_stats, cpu).count[nr] : 0;
}

size_t show_softirqs(char* buf, size_t size, const cpumask* cpus) {
    if (!size) return 0;
    size_t len = scnprintf(buf, size, "%20s", "");
    unsigned cpu;
    for_each_cpu(cpu, cpus) len += scnprintf(buf + len, size - len, "CPU%-8u", cpu);
    len += scnprintf(buf + len, size - len, "\n");
    for (unsigned nr = 0; nr < NR_SOFTIRQS; nr++) {
        len += scnprintf(buf + len, size - len, "%12s:", softirq_to_name[nr]);
        for_each_cpu(cpu, cpus) len += scnprintf(buf + len, size - len, " %10lu", kstat_softirqs_cpu(nr, cpu));
        len += scnprintf(buf + len, size - len, "\n");
    }
    return len;
}

void spawn_ksoftirqd() {
    unsigned cpu;
    for_each_online_cpu(cpu) {
        task_struct* t = kthread_create_on_cpu(run_ksoftirqd, nullptr, cpu, "ksoftirqd/%u");
        if (!t) {
            printk(KERN_ERR "softirq: cannot create ksoftirqd/%u\n", cpu);
            continue;
        }
        per_cpu(ksoftirqd, cpu) = t;
        wake_up_process(t);
    }
}

void softirq_init() {
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        per_cpu(tasklet_vec, cpu).tail = &per_cpu(tasklet_vec, cpu).head;
        per_cpu(tasklet_hi_vec, cpu).tail = &per_cpu(tasklet_hi_vec, cpu).head;
    }
    open_softirq(TASKLET_SOFTIRQ, tasklet_action);
    open_softirq(HI_SOFTIRQ, tasklet_hi_action);
}

// ---- tasklets ------------------------------------------------------------------------

void tasklet_init(tasklet_struct* t, void (*func)(unsigned long), unsigned long data) {
    t->next = nullptr;
    t->state.store(0, memory_order::relaxed);
    t->count.store(0, memory_order::relaxed);
    t->func = func;
    t->data = data;
}

void tasklet_schedule(tasklet_struct* t) {
    if (!test_and_set_state(t, TASKLET_STATE_SCHED)) tasklet_queue(t, this_cpu_ptr(&tasklet_vec), TASKLET_SOFTIRQ);
}

void tasklet_hi_schedule(tasklet_struct* t) {
    if (!test_and_set_state(t, TASKLET_STATE_SCHED)) tasklet_queue(t, this_cpu_ptr(&tasklet_hi_vec), HI_SOFTIRQ);
}

void tasklet_disable_nosync(tasklet_struct* t) { t->count.fetch_add(1, memory_order::seq_cst); }

void tasklet_disable(tasklet_struct* t) {
    tasklet_disable_nosync(t);
    while (test_state(t, TASKLET_STATE_RUN)) cpu_relax();
}

void tasklet_enable(tasklet_struct* t) { t->count.fetch_sub(1, memory_order::seq_cst); }

void tasklet_kill(tasklet_struct* t) {
    if (in_interrupt()) printk(KERN_WARNING "Attempt to kill tasklet from interrupt\n");
    while (test_and_set_state(t, TASKLET_STATE_SCHED)) {
        while (test_state(t, TASKLET_STATE_SCHED)) yield();
    }
    while (test_state(t, TASKLET_STATE_RUN)) cpu_relax();
    clear_state(t, TASKLET_STATE_SCHED);
}
