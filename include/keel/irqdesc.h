// The interrupt descriptor (Linux's struct irq_desc): one per IRQ number, holding
// the line's chip, its flow handler, the device handlers sharing it, its
// per-CPU counts and the bookkeeping for unhandled interrupts.
#pragma once
#include <asm/irq_vectors.h>
#include <keel/irq.h>
#include <keel/smp.h>
#include <keel/spinlock.h>

struct irqaction;

// desc->istate bits.
enum : unsigned {
    IRQS_INPROGRESS = 1u << 0,  // a handler runs: a second edge is only recorded
    IRQS_PENDING = 1u << 1,     // an edge arrived while in progress or disabled
    IRQS_DISABLED = 1u << 2,
    IRQS_SPURIOUS_DISABLED = 1u << 3,  // "nobody cared": switched off for good
    IRQS_MASKED = 1u << 4,             // masked at the chip right now
};

struct irq_desc {
    ::irq_data irq_data;
    irq_flow_handler_t handle_irq = nullptr;
    irqaction* action = nullptr;  // device handlers, in request order
    const char* name = nullptr;   // flow name: "edge", "level"
    spinlock_t lock;
    unsigned istate = 0;
    unsigned depth = 0;  // disable_irq nesting; masked while > 0
    // Unhandled-interrupt accounting (kernel/irq/spurious.cpp).
    unsigned irq_count = 0;       // interrupts in the current window of 100000
    unsigned irqs_unhandled = 0;  // of those, how many no handler claimed
    unsigned long kstat_irqs[NR_CPUS] = {};  // each CPU writes only its own slot
};

// The descriptor of `irq`, or nullptr when irq >= NR_IRQS.
irq_desc* irq_to_desc(unsigned irq);
// Sum of the per-CPU counts.
unsigned long kstat_irqs(unsigned irq);
static inline unsigned long kstat_irqs_cpu(unsigned irq, unsigned cpu) {
    irq_desc* desc = irq_to_desc(irq);
    return desc ? desc->kstat_irqs[cpu] : 0;
}
// Sets up every descriptor: no chip (dummy), no handler (early_irq_init).
void early_irq_init();

// Accounting of interrupts nobody handled (spurious.cpp), called by the flow
// handlers with the OR of the actions' return values.
void note_interrupt(irq_desc* desc, unsigned action_ret);
// Runs the line's actions (for the flow handlers): clears PENDING, marks the
// descriptor in progress and drops its lock around the handlers.
unsigned handle_irq_event(irq_desc* desc);
// Mask or unmask at the chip and track it in IRQS_MASKED (desc->lock held).
void mask_irq(irq_desc* desc);
void unmask_irq(irq_desc* desc);

// Writes /proc/interrupts for the CPUs in `cpus` into buf (NUL-terminated);
// returns the length written. kernel/irq/proc.cpp, arch rows from the arch.
size_t show_interrupts(char* buf, size_t size, const cpumask* cpus);
size_t arch_show_interrupts(char* buf, size_t size, const cpumask* cpus, int prec);
// With `irqdump` on the command line, prints both tables to the log (end of boot).
void irqdump_if_requested();
