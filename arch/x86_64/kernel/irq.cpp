// Vectors 32-255. Until the IRQ layer (kernel/irq/) and the APIC driver take
// them over, every interrupt line is masked, so one arriving here is unexpected:
// report it, as Linux does for a vector without a handler.
#include <asm/traps.h>
#include <keel/printk.h>

void do_IRQ(pt_regs*, unsigned long vector) {
    printk(KERN_EMERG "do_IRQ: %u.%lu No irq handler for vector\n", 0u, vector);
}
