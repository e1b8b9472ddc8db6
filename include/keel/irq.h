// IRQ lines and the interrupt controllers behind them (Linux's linux/irq.h).
// An IRQ number is a GSI: the IO-APIC input it arrives on, so ISA IRQ 0 is the
// GSI the MADT's override names (usually 2). Each line has a chip (how to mask,
// acknowledge and end it at its controller) and a flow handler (in what order
// to do that around the device handlers: edge or level, kernel/irq/chip.cpp).
#pragma once
#include <keel/types.h>

struct irq_desc;
struct cpumask;

// Trigger types (IRQ_TYPE_* as in Linux).
enum : unsigned {
    IRQ_TYPE_NONE = 0,
    IRQ_TYPE_EDGE_RISING = 1,
    IRQ_TYPE_EDGE_FALLING = 2,
    IRQ_TYPE_LEVEL_HIGH = 4,
    IRQ_TYPE_LEVEL_LOW = 8,
    IRQ_TYPE_LEVEL_MASK = IRQ_TYPE_LEVEL_HIGH | IRQ_TYPE_LEVEL_LOW,
};

struct irq_chip;
// What a chip needs to find the line at its controller.
struct irq_data {
    unsigned irq;
    unsigned long hwirq;  // the controller's own number for it (IO-APIC pin + gsi_base)
    irq_chip* chip;
    void* chip_data;
    unsigned trigger;     // IRQ_TYPE_*
};

// Operations a chip does not need are nullptr.
struct irq_chip {
    const char* name;  // shown in /proc/interrupts
    void (*irq_mask)(irq_data* d);
    void (*irq_unmask)(irq_data* d);
    void (*irq_ack)(irq_data* d);  // before the handlers (edge)
    void (*irq_eoi)(irq_data* d);  // after the handlers (level)
};

using irq_flow_handler_t = void (*)(irq_desc* desc);

// Flow handlers.
void handle_edge_irq(irq_desc* desc);
void handle_level_irq(irq_desc* desc);
// Sets a line's chip, flow handler and the flow name /proc/interrupts shows.
void irq_set_chip_and_handler_name(unsigned irq, irq_chip* chip, irq_flow_handler_t handle,
                                   const char* name);
// Runs the flow handler of `irq` (from do_IRQ, with IRQs off). Returns false for
// an IRQ number without a descriptor.
bool generic_handle_irq(unsigned irq);

void disable_irq(unsigned irq);  // nests; masks the line at the first level
void enable_irq(unsigned irq);
