// Which IRQ each device vector delivers (Linux's apic/vector.c, simplified to
// one table for all CPUs because every device IRQ targets the boot CPU). The
// fixed vectors — system vectors, the 8259 range, the ISA IRQs — are reserved
// at boot; the rest (0x40-0xeb) are handed out by the matrix allocator.
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <keel/irqdesc.h>
#include <kernel/irq/matrix.h>
#include <uapi/asm/errno.h>

namespace {

irq_matrix vector_matrix;
spinlock_t vector_lock;
short vector_irq[NR_VECTORS];  // -1: no IRQ

void lapic_ack(irq_data*) { apic_eoi(); }

}  // namespace

irq_chip lapic_chip = {"APIC", nullptr, nullptr, lapic_ack, nullptr};

void lapic_assign_system_vectors() {
    for (short& irq : vector_irq) irq = -1;
    irq_matrix_init(&vector_matrix, FIRST_DYNAMIC_VECTOR, FIRST_SYSTEM_VECTOR);
    for (unsigned v = 0; v < FIRST_DYNAMIC_VECTOR; v++) irq_matrix_reserve(&vector_matrix, v);
    for (unsigned v = FIRST_SYSTEM_VECTOR; v < NR_VECTORS; v++) irq_matrix_reserve(&vector_matrix, v);
    for (unsigned irq = 0; irq < NR_LEGACY_IRQS; irq++) vector_irq[ISA_IRQ_VECTOR(irq)] = short(irq);
}

int vector_to_irq(unsigned vector) { return vector < NR_VECTORS ? vector_irq[vector] : -1; }

int irq_to_vector(unsigned irq) {
    for (unsigned v = 0; v < NR_VECTORS; v++)
        if (vector_irq[v] == int(irq)) return int(v);
    return -1;
}

int assign_irq_vector(unsigned irq, unsigned vector) {
    if (irq >= NR_IRQS) return -EINVAL;
    Guard<IrqSave> g(vector_lock);
    int v = int(vector);
    if (!vector) v = irq_matrix_alloc(&vector_matrix);
    else if (!irq_matrix_reserve(&vector_matrix, vector)) return -EBUSY;
    if (v < 0) return v;
    vector_irq[v] = short(irq);
    return v;
}

void clear_irq_vector(unsigned irq) {
    Guard<IrqSave> g(vector_lock);
    for (unsigned v = FIRST_DYNAMIC_VECTOR; v < FIRST_SYSTEM_VECTOR; v++) {
        if (vector_irq[v] != int(irq)) continue;
        vector_irq[v] = -1;
        irq_matrix_free(&vector_matrix, v);
    }
}
