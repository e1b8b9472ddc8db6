// The IO-APIC: routes device interrupt pins to CPUs as vectors. Each has a
// window of two registers (select, data) and a redirection table entry (RTE)
// per pin; its pins carry GSIs gsi_base .. gsi_base + entries - 1.
#pragma once
#include <keel/types.h>

// Register indices behind IOREGSEL.
enum : u32 { IO_APIC_ID = 0x00, IO_APIC_VERSION = 0x01, IO_APIC_REDTBL = 0x10 };
// Redirection-table entry bits (low dword).
enum : u32 {
    IO_APIC_RTE_LEVEL = 1u << 15,
    IO_APIC_RTE_ACTIVE_LOW = 1u << 13,
    IO_APIC_RTE_MASKED = 1u << 16,
};

// Maps every IO-APIC in the MADT, masks all pins, and routes ISA IRQs 0-15 to
// the boot CPU at ISA_IRQ_VECTOR, honouring the interrupt source overrides.
void setup_IO_APIC();
// The GSI an ISA IRQ arrives on (after MADT overrides), and its trigger type.
unsigned isa_irq_to_gsi(unsigned isa_irq);
// Routes `gsi` to `vector` on the boot CPU with the given IRQ_TYPE_* (masked)
// and installs the IO-APIC chip and the matching flow handler on IRQ gsi.
// False if no IO-APIC has that pin.
bool io_apic_setup_irq(unsigned gsi, unsigned vector, unsigned trigger);
extern unsigned nr_ioapics;
