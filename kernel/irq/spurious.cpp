// Interrupts no handler claimed. A few are normal (a shared line, a device
// that raced its own status register); a line that fires almost only for
// nobody is stuck, and left enabled it would eat the CPU. As in Linux: after
// 100000 interrupts on a line, if more than 99900 were unhandled, report the
// line ("nobody cared") with its handlers and disable it for good.
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/printk.h>

namespace {

constexpr unsigned SPURIOUS_WINDOW = 100000;
constexpr unsigned SPURIOUS_LIMIT = 99900;

void report_bad_irq(irq_desc* desc) {
    printk(KERN_ERR "irq %u: nobody cared (try booting with the \"irqpoll\" option)\n", desc->irq_data.irq);
    printk(KERN_ERR "handlers:\n");
    for (irqaction* a = desc->action; a; a = a->next)
        printk(KERN_ERR "[<%p>] %s\n", reinterpret_cast<void*>(a->handler), a->name ? a->name : "");
}

}  // namespace

void note_interrupt(irq_desc* desc, unsigned action_ret) {
    if (action_ret & ~unsigned(IRQ_HANDLED | IRQ_WAKE_THREAD)) {
        printk(KERN_ERR "irq event %u: bogus return value %x\n", desc->irq_data.irq, action_ret);
        return;
    }
    if (action_ret == IRQ_NONE) desc->irqs_unhandled++;
    if (++desc->irq_count < SPURIOUS_WINDOW) return;
    if (desc->irqs_unhandled > SPURIOUS_LIMIT) {
        report_bad_irq(desc);
        printk(KERN_EMERG "Disabling IRQ #%u\n", desc->irq_data.irq);
        desc->istate |= IRQS_SPURIOUS_DISABLED | IRQS_DISABLED;
        desc->depth++;
        mask_irq(desc);
    }
    desc->irq_count = 0;
    desc->irqs_unhandled = 0;
}
