// Installing and removing device handlers (Linux's kernel/irq/manage.c).
#include <asm/processor.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/printk.h>
#include <mm/slab.h>
#include <uapi/asm/errno.h>

namespace {

unsigned trigger_from_flags(unsigned long flags) {
    return unsigned(flags & (IRQF_TRIGGER_RISING | IRQF_TRIGGER_FALLING | IRQF_TRIGGER_HIGH | IRQF_TRIGGER_LOW));
}

}  // namespace

int setup_irq(unsigned irq, irqaction* act) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc || !act || !act->handler || !desc->handle_irq) return -EINVAL;
    if ((act->flags & IRQF_SHARED) && !act->dev_id) return -EINVAL;
    act->irq = irq;
    act->next = nullptr;
    Guard<IrqSave> g(desc->lock);
    irqaction** tail = &desc->action;
    if (irqaction* old = desc->action) {
        // Sharing needs everyone's consent and the same trigger type.
        if (!(old->flags & act->flags & IRQF_SHARED) ||
            trigger_from_flags(old->flags) != trigger_from_flags(act->flags))
            return -EBUSY;
        while (*tail) tail = &(*tail)->next;
        *tail = act;
        return 0;
    }
    *tail = act;
    desc->irq_count = 0;
    desc->irqs_unhandled = 0;
    desc->istate &= ~(IRQS_SPURIOUS_DISABLED | IRQS_PENDING);
    if (desc->depth > 0 && --desc->depth == 0) {
        desc->istate &= ~IRQS_DISABLED;
        unmask_irq(desc);
    }
    return 0;
}

int request_irq(unsigned irq, irq_handler_t handler, unsigned long flags, const char* name, void* dev_id) {
    if (!handler) return -EINVAL;
    auto* act = static_cast<irqaction*>(kzalloc(sizeof(irqaction), GFP_KERNEL));
    if (!act) return -ENOMEM;
    act->handler = handler;
    act->flags = flags;
    act->name = name;
    act->dev_id = dev_id;
    int ret = setup_irq(irq, act);
    if (ret) kfree(act);
    return ret;
}

void free_irq(unsigned irq, void* dev_id) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc) return;
    irqaction* act = nullptr;
    {
        Guard<IrqSave> g(desc->lock);
        for (irqaction** p = &desc->action; *p; p = &(*p)->next) {
            if ((*p)->dev_id != dev_id) continue;
            act = *p;
            *p = act->next;
            break;
        }
        if (!act) {
            printk(KERN_WARNING "Trying to free already-free IRQ %u\n", irq);
            return;
        }
        if (!desc->action && desc->depth++ == 0) {
            desc->istate |= IRQS_DISABLED;
            mask_irq(desc);
        }
    }
    // synchronize_irq: another CPU may still be inside this handler.
    while (__atomic_load_n(&desc->istate, __ATOMIC_ACQUIRE) & IRQS_INPROGRESS) cpu_relax();
    kfree(act);
}
