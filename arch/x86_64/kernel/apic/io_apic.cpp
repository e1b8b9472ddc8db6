// IO-APICs (Linux's arch/x86/kernel/apic/io_apic.c). Every pin starts masked;
// the ISA IRQs get fixed vectors and their MADT polarity/trigger at boot and
// are unmasked by request_irq. All device interrupts go to the boot CPU in
// physical destination mode (no IRQ balancing yet).
#include <acpi/acpi.h>
#include <acpi/actbl.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/io_apic.h>
#include <keel/irqdesc.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <mm/vmalloc.h>

unsigned nr_ioapics;

namespace {

struct ioapic {
    volatile u32* base;  // IOREGSEL at +0x00, IOWIN at +0x10
    u32 gsi_base;
    unsigned nr_pins;
    spinlock_t lock;     // the select/data window is one shared cursor
} ioapics[ACPI_MAX_IOAPICS];

// Where each IRQ's line is: chip_data of its descriptor.
struct irq_pin {
    ioapic* apic;
    unsigned pin;
} irq_pins[NR_IRQS];

u32 io_apic_read(ioapic& a, u32 reg) {
    a.base[0] = reg;
    return a.base[4];
}
void io_apic_write(ioapic& a, u32 reg, u32 v) {
    a.base[0] = reg;
    a.base[4] = v;
}

void rte_modify(irq_data* d, u32 set, u32 clear) {
    auto* p = static_cast<irq_pin*>(d->chip_data);
    Guard<IrqSave> g(p->apic->lock);
    u32 reg = IO_APIC_REDTBL + 2 * p->pin;
    io_apic_write(*p->apic, reg, (io_apic_read(*p->apic, reg) & ~clear) | set);
}

void ioapic_mask(irq_data* d) { rte_modify(d, IO_APIC_RTE_MASKED, 0); }
void ioapic_unmask(irq_data* d) { rte_modify(d, 0, IO_APIC_RTE_MASKED); }
// The local APIC's EOI also ends a level interrupt at the IO-APIC (the EOI is
// broadcast to it and clears the pin's Remote IRR).
void ioapic_ack(irq_data*) { apic_eoi(); }

irq_chip ioapic_chip = {"IO-APIC", ioapic_mask, ioapic_unmask, ioapic_ack, nullptr};

ioapic* ioapic_of_gsi(unsigned gsi, unsigned* pin) {
    for (unsigned i = 0; i < nr_ioapics; i++) {
        ioapic& a = ioapics[i];
        if (gsi >= a.gsi_base && gsi < a.gsi_base + a.nr_pins) {
            *pin = gsi - a.gsi_base;
            return &a;
        }
    }
    return nullptr;
}

// MPS INTI flags of an override: polarity in bits 0-1, trigger in bits 2-3,
// 0 meaning "as the bus says" (ISA: active high, edge).
unsigned override_trigger(u16 flags) {
    bool level = ((flags >> 2) & 3) == 3;
    bool low = (flags & 3) == 3;
    if (level) return low ? IRQ_TYPE_LEVEL_LOW : IRQ_TYPE_LEVEL_HIGH;
    return low ? IRQ_TYPE_EDGE_FALLING : IRQ_TYPE_EDGE_RISING;
}

const acpi_madt_info::int_override* isa_override(unsigned isa_irq) {
    for (unsigned i = 0; i < acpi_madt.nr_overrides; i++)
        if (acpi_madt.overrides[i].bus == 0 && acpi_madt.overrides[i].bus_irq == isa_irq)
            return &acpi_madt.overrides[i];
    return nullptr;
}

// Routes an IRQ number to a pin; the IRQ number and the GSI differ only for ISA
// IRQs an override moved (IRQ 0 arrives on GSI 2 on most boards).
bool route_irq(unsigned irq, unsigned gsi, unsigned vector, unsigned trigger) {
    unsigned pin;
    ioapic* a = ioapic_of_gsi(gsi, &pin);
    if (!a || irq >= NR_IRQS) return false;
    u32 lo = vector | IO_APIC_RTE_MASKED;  // fixed delivery, physical destination
    if (trigger & IRQ_TYPE_LEVEL_MASK) lo |= IO_APIC_RTE_LEVEL;
    if (trigger & (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_EDGE_FALLING)) lo |= IO_APIC_RTE_ACTIVE_LOW;
    {
        Guard<IrqSave> g(a->lock);
        io_apic_write(*a, IO_APIC_REDTBL + 2 * pin + 1, boot_cpu_physical_apicid << 24);
        io_apic_write(*a, IO_APIC_REDTBL + 2 * pin, lo);
    }
    irq_pins[irq] = {a, pin};
    irq_desc* desc = irq_to_desc(irq);
    desc->irq_data.chip_data = &irq_pins[irq];
    desc->irq_data.hwirq = gsi;
    desc->irq_data.trigger = trigger;
    bool level = trigger & IRQ_TYPE_LEVEL_MASK;
    irq_set_chip_and_handler_name(irq, &ioapic_chip, level ? handle_level_irq : handle_edge_irq,
                                  level ? "level" : "edge");
    return true;
}

}  // namespace

unsigned isa_irq_to_gsi(unsigned isa_irq) {
    auto* o = isa_override(isa_irq);
    return o ? o->global_irq : isa_irq;
}

bool io_apic_setup_irq(unsigned gsi, unsigned vector, unsigned trigger) {
    return route_irq(gsi, gsi, vector, trigger);
}

void setup_IO_APIC() {
    for (unsigned i = 0; i < acpi_madt.nr_ioapics; i++) {
        const auto& m = acpi_madt.ioapics[i];
        ioapic& a = ioapics[nr_ioapics];
        a.base = static_cast<volatile u32*>(ioremap(m.address, PAGE_SIZE));
        if (!a.base) {
            printk(KERN_ERR "IOAPIC[%u]: cannot map %#x, skipped\n", i, m.address);
            continue;
        }
        u32 ver = io_apic_read(a, IO_APIC_VERSION);
        a.gsi_base = m.gsi_base;
        a.nr_pins = ((ver >> 16) & 0xff) + 1;
        printk(KERN_INFO "IOAPIC[%u]: apic_id %u, version %u, address %#x, GSI %u-%u\n", nr_ioapics, m.id,
               ver & 0xff, m.address, a.gsi_base, a.gsi_base + a.nr_pins - 1);
        for (unsigned pin = 0; pin < a.nr_pins; pin++)
            io_apic_write(a, IO_APIC_REDTBL + 2 * pin, IO_APIC_RTE_MASKED);
        nr_ioapics++;
    }
    if (!nr_ioapics) {
        printk(KERN_WARNING "IOAPIC: none usable; device interrupts stay off\n");
        return;
    }
    // An ISA IRQ whose own GSI another ISA IRQ was moved onto has no line of
    // its own (IRQ 2: the old cascade, now the timer's pin).
    bool taken[NR_LEGACY_IRQS] = {};
    for (unsigned irq = 0; irq < NR_LEGACY_IRQS; irq++) {
        unsigned gsi = isa_irq_to_gsi(irq);
        if (gsi != irq && gsi < NR_LEGACY_IRQS) taken[gsi] = true;
    }
    for (unsigned irq = 0; irq < NR_LEGACY_IRQS; irq++) {
        auto* o = isa_override(irq);
        if (!o && taken[irq]) continue;
        unsigned trigger = o ? override_trigger(o->flags) : IRQ_TYPE_EDGE_RISING;
        route_irq(irq, isa_irq_to_gsi(irq), ISA_IRQ_VECTOR(irq), trigger);
    }
}
