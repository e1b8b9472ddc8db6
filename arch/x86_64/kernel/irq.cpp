// Interrupt entry for vectors 32-255 (Linux's arch/x86/kernel/irq.c and the
// sysvec entries of idtentry.h): device vectors go to their IRQ descriptor,
// system vectors to their handler, anything else is counted as an error. All
// of it runs between irq_enter and irq_exit, so softirqs raised here run on
// the way out.
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/irq_regs.h>
#include <asm/traps.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/printk.h>
#include <lib/cpumask.h>
#include <lib/vsprintf.h>

DEFINE_PER_CPU(irq_cpustat_t, irq_stat);
DEFINE_PER_CPU(pt_regs*, irq_regs);
Atomic<unsigned> irq_err_count{0};

namespace {

unsigned bad_vector_reports;

void handle_system_vector(unsigned vector) {
    switch (vector) {
    case LOCAL_TIMER_VECTOR: sysvec_apic_timer_interrupt(); return;
    case RESCHEDULE_VECTOR: sysvec_reschedule_ipi(); return;
    case CALL_FUNCTION_VECTOR: sysvec_call_function(); return;
    case CALL_FUNCTION_SINGLE_VECTOR: sysvec_call_function_single(); return;
    case INVALIDATE_TLB_VECTOR: sysvec_invalidate_tlb(); return;
    case REBOOT_VECTOR: sysvec_reboot(); return;
    case ERROR_APIC_VECTOR: sysvec_error_interrupt(); return;
    case SPURIOUS_APIC_VECTOR: sysvec_spurious_apic_interrupt(); return;
    default: ack_bad_irq(vector);
    }
}

}  // namespace

void ack_bad_irq(unsigned vector) {
    irq_err_count.fetch_add(1, memory_order::relaxed);
    if (bad_vector_reports++ < 10)
        printk(KERN_EMERG "do_IRQ: %u.%u No irq handler for vector\n", smp_processor_id(), vector);
    // It came through the local APIC (a stale routing, a stray IPI): end it
    // there or its priority class stays blocked.
    if (apic_mmio_base) apic_eoi();
}

void do_IRQ(pt_regs* regs, unsigned long vector) {
    pt_regs* old_regs = set_irq_regs(regs);
    irq_enter();
    if (vector >= FIRST_SYSTEM_VECTOR) {
        handle_system_vector(unsigned(vector));
    } else if (vector < ISA_IRQ_VECTOR(0)) {
        i8259_spurious_interrupt(unsigned(vector));
    } else {
        int irq = vector_to_irq(unsigned(vector));
        if (irq < 0 || !generic_handle_irq(unsigned(irq))) ack_bad_irq(unsigned(vector));
    }
    irq_exit();
    set_irq_regs(old_regs);
}

size_t arch_show_interrupts(char* buf, size_t size, const cpumask* cpus, int prec) {
    struct row {
        const char* name;
        unsigned irq_cpustat_t::*count;
        const char* what;
    };
    static const row rows[] = {
        {"NMI", &irq_cpustat_t::__nmi_count, "Non-maskable interrupts"},
        {"LOC", &irq_cpustat_t::apic_timer_irqs, "Local timer interrupts"},
        {"SPU", &irq_cpustat_t::irq_spurious_count, "Spurious interrupts"},
        {"RES", &irq_cpustat_t::irq_resched_count, "Rescheduling interrupts"},
        {"CAL", &irq_cpustat_t::irq_call_count, "Function call interrupts"},
        {"TLB", &irq_cpustat_t::irq_tlb_count, "TLB shootdowns"},
    };
    size_t len = 0;
    for (const row& r : rows) {
        len += scnprintf(buf + len, size - len, "%*s: ", prec, r.name);
        unsigned cpu;
        for_each_cpu(cpu, cpus) len += scnprintf(buf + len, size - len, "%10u ", per_cpu(irq_stat, cpu).*r.count);
        len += scnprintf(buf + len, size - len, "  %s\n", r.what);
    }
    len += scnprintf(buf + len, size - len, "%*s: %10u\n", prec, "ERR", irq_err_count.load(memory_order::relaxed));
    return len;
}

void init_IRQ() {
    early_irq_init();
    printk(KERN_INFO "NR_IRQS: %u, nr_irqs: %u, preallocated irqs: %u\n", NR_IRQS, NR_IRQS, NR_LEGACY_IRQS);
    lapic_assign_system_vectors();
    apic_intr_mode_init();
}
