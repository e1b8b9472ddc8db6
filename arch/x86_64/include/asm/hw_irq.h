// The x86 side of IRQ handling: which IRQ each vector delivers, the per-CPU
// counters of the system vectors (Linux's irq_cpustat_t, the rows under the IRQ
// lines in /proc/interrupts) and the vector allocator's interface.
#pragma once
#include <asm/irq_vectors.h>
#include <keel/atomic.h>
#include <keel/percpu.h>

struct irq_cpustat_t {
    unsigned __nmi_count;           // NMI
    unsigned apic_timer_irqs;       // LOC
    unsigned irq_spurious_count;    // SPU
    unsigned irq_resched_count;     // RES
    unsigned irq_call_count;        // CAL
    unsigned irq_tlb_count;         // TLB
};
DECLARE_PER_CPU(irq_cpustat_t, irq_stat);
#define inc_irq_stat(member) this_cpu_inc(irq_stat.member)

// Interrupts that should not have happened (APIC errors, vectors nobody owns,
// spurious 8259 IRQs): the ERR row.
extern Atomic<unsigned> irq_err_count;
// Reports and counts an interrupt on a vector that maps to no IRQ.
void ack_bad_irq(unsigned vector);

// Vector -> IRQ for device vectors; -1 where none. Shared by all CPUs.
int vector_to_irq(unsigned vector);
// Gives `irq` a free device vector (or `vector` itself if not 0) and records the
// mapping. Returns the vector or -ENOSPC/-EBUSY.
int assign_irq_vector(unsigned irq, unsigned vector = 0);
void clear_irq_vector(unsigned irq);
int irq_to_vector(unsigned irq);  // -1 if none
// Reserves the fixed vectors (system, ISA, 8259) in the allocator (init_IRQ).
void lapic_assign_system_vectors();

// An IRQ chip for vectors raised by software (self-IPIs in tests): only EOI.
extern struct irq_chip lapic_chip;

// init_IRQ (arch/x86_64/kernel/irq.cpp): descriptors, vectors, the APICs.
void init_IRQ();

// System-vector handlers (run inside irq_enter/irq_exit; each does its own EOI).
void sysvec_apic_timer_interrupt();
void sysvec_spurious_apic_interrupt();
void sysvec_error_interrupt();
void sysvec_reschedule_ipi();
void sysvec_call_function();
void sysvec_call_function_single();
void sysvec_invalidate_tlb();
void sysvec_reboot();
void i8259_spurious_interrupt(unsigned vector);
