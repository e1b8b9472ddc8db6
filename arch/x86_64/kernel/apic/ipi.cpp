// Sending interprocessor interrupts through the ICR (Linux's apic/ipi.c). The
// destination goes to ICR2 first; writing the low half sends. One command at a
// time: wait for the previous to be accepted (delivery status idle), with
// IRQs off so an interrupt handler cannot send in between the two writes.
#include <asm/apic.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <lib/cpumask.h>

void apic_wait_icr_idle() {
    while (apic_read(APIC_ICR) & APIC_ICR_BUSY) cpu_relax();
}

void apic_icr_write(u32 low, u32 apicid) {
    unsigned long flags = arch_local_irq_save();
    apic_wait_icr_idle();
    apic_write(APIC_ICR2, apicid << 24);
    apic_write(APIC_ICR, low);
    arch_local_irq_restore(flags);
}

void apic_send_IPI(unsigned cpu, unsigned vector) {
    apic_icr_write(APIC_DM_FIXED | vector, x86_cpu_to_apicid[cpu]);
}

void apic_send_IPI_mask(const cpumask* mask, unsigned vector) {
    unsigned cpu;
    for_each_cpu(cpu, mask) apic_send_IPI(cpu, vector);
}

void apic_send_IPI_allbutself(unsigned vector) {
    apic_icr_write(APIC_DEST_ALLBUT | APIC_DM_FIXED | vector, 0);
}

void apic_send_IPI_self(unsigned vector) {
    apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | vector, 0);
}
