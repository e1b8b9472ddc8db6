// Running a line's device handlers. The descriptor lock is dropped while they
// run so other CPUs can note a new edge (PENDING) instead of spinning; the
// INPROGRESS bit keeps them from running the handlers concurrently.
#include <keel/interrupt.h>
#include <keel/irqdesc.h>

unsigned handle_irq_event(irq_desc* desc) {
    desc->istate = (desc->istate & ~IRQS_PENDING) | IRQS_INPROGRESS;
    desc->lock.unlock();
    unsigned ret = IRQ_NONE;
    for (irqaction* action = desc->action; action; action = action->next)
        ret |= action->handler(int(desc->irq_data.irq), action->dev_id);
    desc->lock.lock();
    desc->istate &= ~IRQS_INPROGRESS;
    return ret;
}
