// Flow handlers: the order of controller operations around the device handlers.
// Edge: acknowledge first, so a new edge during the handlers is latched, and
// run again if one was (PENDING). Level: mask and acknowledge, run, unmask —
// the line stays asserted until the device is serviced, so it must stay masked
// until then or it would fire again at once.
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/printk.h>

namespace {

void chip_op(irq_desc* desc, void (*irq_chip::*op)(irq_data*)) {
    irq_chip* chip = desc->irq_data.chip;
    if (chip && chip->*op) (chip->*op)(&desc->irq_data);
}
void ack_irq(irq_desc* desc) { chip_op(desc, &irq_chip::irq_ack); }

}  // namespace

void mask_irq(irq_desc* desc) {
    chip_op(desc, &irq_chip::irq_mask);
    desc->istate |= IRQS_MASKED;
}
void unmask_irq(irq_desc* desc) {
    chip_op(desc, &irq_chip::irq_unmask);
    desc->istate &= ~IRQS_MASKED;
}

void handle_edge_irq(irq_desc* desc) {
    Guard<NoIrqSave> g(desc->lock);
    // Another CPU is in the handlers, or the line is off: remember the edge.
    // The CPU in the handlers loops once more; enable_irq leaves it for the next.
    if (desc->istate & (IRQS_INPROGRESS | IRQS_DISABLED) || !desc->action) {
        desc->istate |= IRQS_PENDING;
        mask_irq(desc);
        ack_irq(desc);
        return;
    }
    desc->kstat_irqs[smp_processor_id()]++;
    ack_irq(desc);
    do {
        if (!desc->action) {
            mask_irq(desc);
            return;
        }
        if ((desc->istate & (IRQS_PENDING | IRQS_DISABLED | IRQS_MASKED)) == (IRQS_PENDING | IRQS_MASKED))
            unmask_irq(desc);
        note_interrupt(desc, handle_irq_event(desc));
    } while ((desc->istate & (IRQS_PENDING | IRQS_DISABLED)) == IRQS_PENDING);
}

void handle_level_irq(irq_desc* desc) {
    Guard<NoIrqSave> g(desc->lock);
    mask_irq(desc);
    ack_irq(desc);
    if (desc->istate & IRQS_INPROGRESS) return;
    desc->kstat_irqs[smp_processor_id()]++;
    if (!desc->action || desc->istate & IRQS_DISABLED) {
        desc->istate |= IRQS_PENDING;
        return;
    }
    note_interrupt(desc, handle_irq_event(desc));
    if (!(desc->istate & IRQS_DISABLED)) unmask_irq(desc);
}

void disable_irq(unsigned irq) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc) return;
    Guard<IrqSave> g(desc->lock);
    if (desc->depth++ == 0) {
        desc->istate |= IRQS_DISABLED;
        mask_irq(desc);
    }
}

void enable_irq(unsigned irq) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc) return;
    Guard<IrqSave> g(desc->lock);
    if (desc->depth == 0) {
        printk(KERN_WARNING "Unbalanced enable for IRQ %u\n", irq);
        return;
    }
    if (--desc->depth == 0 && !(desc->istate & IRQS_SPURIOUS_DISABLED)) {
        desc->istate &= ~IRQS_DISABLED;
        unmask_irq(desc);
    }
}
