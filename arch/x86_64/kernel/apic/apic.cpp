// The local APIC (Linux's arch/x86/kernel/apic/apic.c): mapping it, programming
// each CPU's local vector table, and the APIC's own interrupts (spurious,
// error). The LAPIC timer is programmed by the clockevent driver; this file
// only delivers its interrupt (lapic_timer_event_handler).
#include <acpi/acpi.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/io_apic.h>
#include <asm/processor.h>
#include <keel/interrupt.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <mm/vmalloc.h>

volatile u8* apic_mmio_base;
u32 boot_cpu_physical_apicid = BAD_APICID;
u32 x86_cpu_to_apicid[NR_CPUS];
void (*lapic_timer_event_handler)();

void init_8259A();  // apic/i8259.cpp

namespace {

// Logical CPU numbers: the boot CPU is 0, the other enabled CPUs follow in MADT
// order (Linux's generic_processor_info). Hot-pluggable ones keep BAD_APICID.
void number_cpus() {
    for (u32& id : x86_cpu_to_apicid) id = BAD_APICID;
    x86_cpu_to_apicid[0] = boot_cpu_physical_apicid;
    unsigned next = 1;
    for (unsigned i = 0; i < acpi_madt.nr_lapics && next < nr_cpu_ids; i++) {
        const auto& l = acpi_madt.lapics[i];
        if (l.enabled && l.apic_id != boot_cpu_physical_apicid) x86_cpu_to_apicid[next++] = l.apic_id;
    }
}

u32 acpi_id_of_apic(u32 apic_id) {
    for (unsigned i = 0; i < acpi_madt.nr_lapics; i++)
        if (acpi_madt.lapics[i].apic_id == apic_id) return acpi_madt.lapics[i].acpi_id;
    return 0xff;
}

// LVT value for LINTn: NMI where the MADT wires the pin to NMI for this CPU,
// masked otherwise. LINT0 (the 8259's ExtINT path) is always masked: Keel runs
// in symmetric I/O mode, with every device through the IO-APIC.
u32 lint_lvt(unsigned lint, u32 apic_id) {
    u32 acpi_id = acpi_id_of_apic(apic_id);
    for (unsigned i = 0; i < acpi_madt.nr_lapic_nmis; i++) {
        const auto& n = acpi_madt.lapic_nmis[i];
        if (n.lint != lint || (n.acpi_id != acpi_id && n.acpi_id != 0xff && n.acpi_id != 0xffffffff)) continue;
        u32 v = APIC_DM_NMI;
        if ((n.flags & 3) == 3) v |= APIC_INPUT_POLARITY;  // MPS INTI flags: active low
        return v;
    }
    return (lint == 0 ? APIC_DM_EXTINT : APIC_DM_NMI) | APIC_LVT_MASKED;
}

unsigned lapic_get_maxlvt() { return (apic_read(APIC_LVR) >> 16) & 0xff; }

unsigned spurious_reports;

}  // namespace

void setup_local_APIC() {
    wrmsr(MSR_IA32_APICBASE, rdmsr(MSR_IA32_APICBASE) | MSR_IA32_APICBASE_ENABLE);
    u32 id = read_apic_id();
    unsigned maxlvt = lapic_get_maxlvt();
    apic_write(APIC_TASKPRI, 0);  // accept every priority class
    apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
    // A CPU coming out of firmware or a previous kernel may hold interrupts in
    // service; unacknowledged, they would block their priority class forever.
    for (unsigned tries = 0; tries < 256; tries++) {
        bool busy = false;
        for (unsigned r = 0; r < 8; r++) busy |= apic_read(APIC_ISR + r * 0x10) != 0;
        if (!busy) break;
        apic_eoi();
    }
    apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
    apic_write(APIC_LVT0, lint_lvt(0, id));
    apic_write(APIC_LVT1, lint_lvt(1, id));
    if (maxlvt >= 4) apic_write(APIC_LVTPC, APIC_LVT_MASKED);
    if (maxlvt >= 5) apic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
    apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
    apic_write(APIC_ESR, 0);  // ESR latches on write: two writes clear it
    apic_write(APIC_ESR, 0);
}

void apic_intr_mode_init() {
    if (!acpi_madt.lapic_addr || !acpi_madt.nr_lapics)
        panic("APIC: the MADT lists no local APIC; Keel needs one");
    apic_mmio_base = static_cast<volatile u8*>(ioremap(acpi_madt.lapic_addr, PAGE_SIZE));
    if (!apic_mmio_base) panic("APIC: cannot map the local APIC at %#llx", (unsigned long long)acpi_madt.lapic_addr);
    boot_cpu_physical_apicid = read_apic_id();
    number_cpus();
    printk(KERN_INFO "APIC: Switch to symmetric I/O mode setup\n");
    init_8259A();
    setup_local_APIC();
    setup_IO_APIC();
}

void sysvec_apic_timer_interrupt() {
    inc_irq_stat(apic_timer_irqs);
    apic_eoi();
    if (lapic_timer_event_handler) lapic_timer_event_handler();
}

// The APIC raises vector 0xff when an interrupt vanished between signalling and
// acceptance. It is not in service, so no EOI; count it and go on.
void sysvec_spurious_apic_interrupt() {
    inc_irq_stat(irq_spurious_count);
    if (spurious_reports++ < 10)
        printk(KERN_INFO "spurious APIC interrupt through vector %x on CPU#%u, should never happen.\n",
               SPURIOUS_APIC_VECTOR, smp_processor_id());
}

void sysvec_error_interrupt() {
    apic_write(APIC_ESR, 0);  // latch the current errors into ESR
    u32 v = apic_read(APIC_ESR);
    apic_eoi();
    irq_err_count.fetch_add(1, memory_order::relaxed);
    printk(KERN_DEBUG "APIC error on CPU%u: %02x\n", smp_processor_id(), v);
}
