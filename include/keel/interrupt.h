// Interrupt handlers and the bottom halves they defer work to (Linux's
// linux/interrupt.h). A top half (the handler passed to request_irq) runs with
// IRQs off and does the least it can; the rest goes to a softirq or a tasklet,
// which run with IRQs on when the interrupt returns (irq_exit), when a
// local_bh_enable re-allows them, or in the per-CPU ksoftirqd thread when they
// keep coming back (kernel/softirq.cpp; docs/irq.md).
#pragma once
#include <keel/atomic.h>
#include <keel/percpu.h>
#include <keel/types.h>

enum irqreturn_t : unsigned {
    IRQ_NONE = 0,        // not my device's interrupt
    IRQ_HANDLED = 1,
    IRQ_WAKE_THREAD = 2,
};
using irq_handler_t = irqreturn_t (*)(int irq, void* dev_id);

// request_irq flags (a subset of Linux's, same values).
enum : unsigned long {
    IRQF_TRIGGER_RISING = 0x01,
    IRQF_TRIGGER_FALLING = 0x02,
    IRQF_TRIGGER_HIGH = 0x04,
    IRQF_TRIGGER_LOW = 0x08,
    IRQF_SHARED = 0x80,   // other devices may share the line
    IRQF_TIMER = 0x200,
};

// One device handler on a line.
struct irqaction {
    irq_handler_t handler;
    void* dev_id;
    irqaction* next;
    unsigned irq;
    unsigned long flags;
    const char* name;
};

// Adds a handler to `irq` and unmasks the line if it is the first. Every
// handler on a shared line must say IRQF_SHARED and pass a distinct dev_id.
// 0, or -EINVAL (no such IRQ, no handler, shared without dev_id), -EBUSY (the
// line is taken by a handler that does not share), -ENOMEM.
int request_irq(unsigned irq, irq_handler_t handler, unsigned long flags, const char* name, void* dev_id);
// Removes the handler registered with dev_id; masks the line when none remain.
// Waits for a running instance of the handler on another CPU to finish.
void free_irq(unsigned irq, void* dev_id);
// request_irq with a caller-owned action (Linux's old setup_irq, for users that
// run before kmalloc or must not fail).
int setup_irq(unsigned irq, irqaction* act);

// ---- hardirq context -----------------------------------------------------------
// do_IRQ brackets every interrupt with these: preempt_count gains HARDIRQ_OFFSET,
// and irq_exit runs pending softirqs when it is not nested in another interrupt
// or a bh-disabled section.
void irq_enter();
void irq_exit();

// ---- softirqs --------------------------------------------------------------------
// The fixed set, in priority order (a lower number runs first).
enum {
    HI_SOFTIRQ = 0,
    TIMER_SOFTIRQ,
    NET_TX_SOFTIRQ,
    NET_RX_SOFTIRQ,
    BLOCK_SOFTIRQ,
    IRQ_POLL_SOFTIRQ,
    TASKLET_SOFTIRQ,
    SCHED_SOFTIRQ,
    HRTIMER_SOFTIRQ,
    RCU_SOFTIRQ,
    NR_SOFTIRQS
};
extern const char* const softirq_to_name[NR_SOFTIRQS];

struct softirq_action {
    void (*action)(softirq_action* h);
};

void open_softirq(int nr, void (*action)(softirq_action*));
// Marks softirq nr pending on this CPU; if not in interrupt context, wakes
// ksoftirqd so it runs soon. _irqoff: the caller has IRQs off already.
void raise_softirq(unsigned nr);
void raise_softirq_irqoff(unsigned nr);
// This CPU's pending mask (bit nr = softirq nr).
u32 local_softirq_pending();
// Runs this CPU's pending softirqs now, unless in interrupt context.
void do_softirq();
// Each CPU's ksoftirqd thread (nullptr until spawn_ksoftirqd).
DECLARE_PER_CPU(struct task_struct*, ksoftirqd);
// Starts the per-CPU ksoftirqd/N threads (an early_initcall in Linux). Needs kthreads.
void spawn_ksoftirqd();
// Registers TASKLET_SOFTIRQ and HI_SOFTIRQ (start_kernel, before IRQs are on).
void softirq_init();
// Writes /proc/softirqs for the CPUs in `cpus`; returns the length written.
size_t show_softirqs(char* buf, size_t size, const struct cpumask* cpus);
// Times softirq nr ran on cpu (the /proc/softirqs counts).
unsigned long kstat_softirqs_cpu(unsigned nr, unsigned cpu);

// Bottom-half disabling: softirqs do not run on this CPU between the two; the
// enable runs whatever became pending meanwhile.
void local_bh_disable();
void local_bh_enable();

// ---- tasklets --------------------------------------------------------------------
// A deferred function on TASKLET_SOFTIRQ (or HI_SOFTIRQ). The same tasklet never
// runs on two CPUs at once; scheduling it while it is queued does nothing, and
// scheduling it while it runs queues it once more.
enum : unsigned long {
    TASKLET_STATE_SCHED = 0,  // queued on some CPU's list (bit numbers)
    TASKLET_STATE_RUN = 1,    // running on some CPU
};
struct tasklet_struct {
    tasklet_struct* next;
    Atomic<unsigned long> state;
    Atomic<int> count;  // disable depth: runs only at 0
    void (*func)(unsigned long data);
    unsigned long data;
};

void tasklet_init(tasklet_struct* t, void (*func)(unsigned long), unsigned long data);
void tasklet_schedule(tasklet_struct* t);
void tasklet_hi_schedule(tasklet_struct* t);
// Disabled tasklets stay queued and run after the matching enable.
// tasklet_disable also waits for a running instance to finish.
void tasklet_disable_nosync(tasklet_struct* t);
void tasklet_disable(tasklet_struct* t);
void tasklet_enable(tasklet_struct* t);
// Waits until the tasklet is neither queued nor running (process context).
void tasklet_kill(tasklet_struct* t);
