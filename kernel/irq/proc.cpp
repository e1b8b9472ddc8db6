// /proc/interrupts in Linux's exact layout (kernel/irq/proc.c show_interrupts):
// a header of CPU columns, one row per IRQ that has a handler or a count
//   "  0:         44          0   IO-APIC   2-edge      timer"
// (per-CPU counts, chip, hwirq, flow name, handler names), then the
// architecture's rows (NMI, LOC, SPU, ...). Rows for IRQs without a handler and
// without counts are left out, as in Linux.
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <lib/cpumask.h>
#include <lib/vsprintf.h>

namespace {

// Digits of the highest IRQ number, at least 3: the width of the first column.
int irq_column_width() {
    int prec = 3;
    for (unsigned n = 1000; n <= NR_IRQS; n *= 10) prec++;
    return prec;
}

}  // namespace

size_t show_interrupts(char* buf, size_t size, const cpumask* cpus) {
    if (!size) return 0;
    buf[0] = '\0';
    int prec = irq_column_width();
    size_t len = scnprintf(buf, size, "%*s", prec + 8, "");
    unsigned cpu;
    for_each_cpu(cpu, cpus) len += scnprintf(buf + len, size - len, "CPU%-8u", cpu);
    len += scnprintf(buf + len, size - len, "\n");

    for (unsigned irq = 0; irq < NR_IRQS; irq++) {
        irq_desc* desc = irq_to_desc(irq);
        Guard<IrqSave> g(desc->lock);
        unsigned long any = 0;
        for_each_cpu(cpu, cpus) any |= desc->kstat_irqs[cpu];
        if (!desc->action && !any) continue;
        len += scnprintf(buf + len, size - len, "%*u: ", prec, irq);
        for_each_cpu(cpu, cpus) len += scnprintf(buf + len, size - len, "%10lu ", desc->kstat_irqs[cpu]);
        const irq_chip* chip = desc->irq_data.chip;
        len += scnprintf(buf + len, size - len, " %8s", chip ? chip->name : "None");
        len += scnprintf(buf + len, size - len, " %*lu", prec, desc->irq_data.hwirq);
        if (desc->name) len += scnprintf(buf + len, size - len, "-%-8s", desc->name);
        for (irqaction* a = desc->action; a; a = a->next)
            len += scnprintf(buf + len, size - len, a == desc->action ? "  %s" : ", %s", a->name ? a->name : "");
        len += scnprintf(buf + len, size - len, "\n");
    }
    return len + arch_show_interrupts(buf + len, size - len, cpus, prec);
}
