// The registers an interrupt interrupted (Linux's asm/irq_regs.h): do_IRQ
// records them per CPU so the tick, which runs deep inside the interrupt's
// handlers, can tell whether it hit user or kernel mode.
#pragma once
#include <asm/percpu.h>
#include <keel/percpu.h>

struct pt_regs;
DECLARE_PER_CPU(pt_regs*, irq_regs);

static inline pt_regs* get_irq_regs() { return this_cpu_read(irq_regs); }

// Returns the previous value, to be restored when the interrupt ends (interrupts nest).
static inline pt_regs* set_irq_regs(pt_regs* regs) {
    pt_regs* old = this_cpu_read(irq_regs);
    this_cpu_write(irq_regs, regs);
    return old;
}
