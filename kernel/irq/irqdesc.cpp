// The descriptor table: a static array indexed by IRQ number (Linux allocates
// descriptors sparsely; with NR_IRQS = 64 a flat array is simpler and smaller).
#include <keel/irqdesc.h>

namespace {

irq_desc irq_descs[NR_IRQS];

}  // namespace

irq_desc* irq_to_desc(unsigned irq) { return irq < NR_IRQS ? &irq_descs[irq] : nullptr; }

unsigned long kstat_irqs(unsigned irq) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc) return 0;
    unsigned long sum = 0;
    for (unsigned long n : desc->kstat_irqs) sum += n;
    return sum;
}

void early_irq_init() {
    for (unsigned irq = 0; irq < NR_IRQS; irq++) {
        irq_desc& desc = irq_descs[irq];
        desc.irq_data.irq = irq;
        desc.irq_data.hwirq = irq;
        desc.depth = 1;  // masked until the first request_irq
        desc.istate = IRQS_DISABLED;
    }
}

void irq_set_chip_and_handler_name(unsigned irq, irq_chip* chip, irq_flow_handler_t handle, const char* name) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc) return;
    Guard<IrqSave> g(desc->lock);
    desc->irq_data.chip = chip;
    desc->handle_irq = handle;
    desc->name = name;
}

bool generic_handle_irq(unsigned irq) {
    irq_desc* desc = irq_to_desc(irq);
    if (!desc || !desc->handle_irq) return false;
    desc->handle_irq(desc);
    return true;
}
