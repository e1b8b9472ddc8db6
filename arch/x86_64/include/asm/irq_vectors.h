// The IDT vector space (Linux's arch/x86/include/asm/irq_vectors.h):
//   0x00-0x1f  CPU exceptions
//   0x20-0x2f  the 8259 PICs, remapped here and masked: anything arriving is spurious
//   0x30-0x3f  ISA IRQs 0-15 through the IO-APIC (ISA_IRQ_VECTOR), as Linux places them
//   0x40-0xeb  device vectors handed out by the vector allocator
//   0xec-0xff  system vectors, the same numbers on every CPU
// A vector's upper nibble is its priority class in the APIC, so system vectors
// (IPIs, timer) outrank devices.
#pragma once

#define FIRST_EXTERNAL_VECTOR 0x20
#define PIC_VECTOR_BASE 0x20
#define ISA_IRQ_VECTOR(irq) (0x30 + (irq))
#define FIRST_DYNAMIC_VECTOR 0x40
#define NR_LEGACY_IRQS 16

#define SPURIOUS_APIC_VECTOR 0xff
#define ERROR_APIC_VECTOR 0xfe
#define RESCHEDULE_VECTOR 0xfd
#define CALL_FUNCTION_VECTOR 0xfc
#define CALL_FUNCTION_SINGLE_VECTOR 0xfb
// Stops the other CPUs on panic or power-off.
#define REBOOT_VECTOR 0xf8
// Linux folds TLB shootdown into function-call IPIs; Keel keeps the dedicated
// vector older Linux had (INVALIDATE_TLB_VECTOR_START), so its count is its own.
#define INVALIDATE_TLB_VECTOR 0xf0
#define LOCAL_TIMER_VECTOR 0xec
#define FIRST_SYSTEM_VECTOR LOCAL_TIMER_VECTOR

#define NR_VECTORS 256
#define NR_IRQS 64  // IRQ numbers = GSIs; enough for two IO-APICs and some MSI later
