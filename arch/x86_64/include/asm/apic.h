// The local APIC: every CPU's own interrupt controller. It accepts interrupts
// from the IO-APIC and from other CPUs (IPIs), has a timer of its own, and must
// be told when a handler is done (EOI). Keel drives it through its MMIO page
// (xAPIC mode; x2APIC is not used). Register offsets are Intel SDM vol. 3 §11.
#pragma once
#include <keel/smp.h>
#include <keel/types.h>

// Register offsets in the APIC page.
enum : u32 {
    APIC_ID = 0x20,
    APIC_LVR = 0x30,      // version; bits 16-23: highest LVT entry
    APIC_TASKPRI = 0x80,  // TPR
    APIC_EOI = 0xb0,
    APIC_LDR = 0xd0,
    APIC_DFR = 0xe0,
    APIC_SPIV = 0xf0,     // spurious vector + software enable
    APIC_ISR = 0x100,     // in-service, 8 registers 0x10 apart
    APIC_TMR = 0x180,     // trigger mode
    APIC_IRR = 0x200,     // requests pending
    APIC_ESR = 0x280,     // error status
    APIC_ICR = 0x300,     // interrupt command, low half (writing it sends)
    APIC_ICR2 = 0x310,    // interrupt command, high half: destination in bits 24-31
    APIC_LVTT = 0x320,    // timer
    APIC_LVTTHMR = 0x330, // thermal sensor
    APIC_LVTPC = 0x340,   // performance counters
    APIC_LVT0 = 0x350,    // LINT0 pin
    APIC_LVT1 = 0x360,    // LINT1 pin
    APIC_LVTERR = 0x370,  // APIC error
    APIC_TMICT = 0x380,   // timer initial count
    APIC_TMCCT = 0x390,   // timer current count
    APIC_TDCR = 0x3e0,    // timer divide configuration
};

// Register bits.
enum : u32 {
    APIC_SPIV_APIC_ENABLED = 1u << 8,
    APIC_LVT_MASKED = 1u << 16,
    APIC_LVT_LEVEL_TRIGGER = 1u << 15,
    APIC_LVT_REMOTE_IRR = 1u << 14,
    APIC_INPUT_POLARITY = 1u << 13,  // active low
    APIC_SEND_PENDING = 1u << 12,
    APIC_LVT_TIMER_ONESHOT = 0u << 17,
    APIC_LVT_TIMER_PERIODIC = 1u << 17,
    APIC_LVT_TIMER_TSCDEADLINE = 2u << 17,
    APIC_TDR_DIV_1 = 0xb,
    APIC_TDR_DIV_2 = 0x0,
    APIC_TDR_DIV_16 = 0x3,
    // Delivery modes (LVT and ICR bits 8-10).
    APIC_DM_FIXED = 0x000,
    APIC_DM_NMI = 0x400,
    APIC_DM_INIT = 0x500,
    APIC_DM_STARTUP = 0x600,
    APIC_DM_EXTINT = 0x700,
    // ICR only.
    APIC_ICR_BUSY = 1u << 12,
    APIC_INT_ASSERT = 1u << 14,
    APIC_INT_LEVELTRIG = 1u << 15,
    APIC_DEST_SELF = 0x40000,
    APIC_DEST_ALLINC = 0x80000,
    APIC_DEST_ALLBUT = 0xc0000,
};

enum : u32 {
    MSR_IA32_APICBASE = 0x1b,
    MSR_IA32_TSC_DEADLINE = 0x6e0,
};
constexpr u64 MSR_IA32_APICBASE_ENABLE = 1ull << 11;
constexpr u64 MSR_IA32_APICBASE_BSP = 1ull << 8;

// Virtual address of the APIC page (ioremap of acpi_madt.lapic_addr). Every CPU
// sees its own APIC at the same physical address, so one mapping serves all.
extern volatile u8* apic_mmio_base;

static inline u32 apic_read(u32 reg) { return *reinterpret_cast<volatile u32*>(apic_mmio_base + reg); }
static inline void apic_write(u32 reg, u32 v) { *reinterpret_cast<volatile u32*>(apic_mmio_base + reg) = v; }
// This CPU's APIC ID (xAPIC: bits 24-31 of the ID register).
static inline u32 read_apic_id() { return apic_read(APIC_ID) >> 24; }
// Ends the interrupt being served so the APIC delivers the next one of equal or
// lower priority. Every handler of an APIC-delivered vector must do it once.
static inline void apic_eoi() { apic_write(APIC_EOI, 0); }

extern u32 boot_cpu_physical_apicid;
// Logical CPU number -> APIC ID (Linux keeps this per CPU; an array is readable
// before the per-CPU areas exist). BAD_APICID for CPUs that are not there.
constexpr u32 BAD_APICID = 0xffffffff;
extern u32 x86_cpu_to_apicid[NR_CPUS];

// Maps the APIC, disables the 8259s and sets up the boot CPU's APIC and the
// IO-APICs (Linux's apic_intr_mode_init). Called from init_IRQ.
void apic_intr_mode_init();
// Programs this CPU's APIC: enabled, TPR 0, LINT0/LINT1 per the MADT, error
// vector. The boot CPU runs it from apic_intr_mode_init, every AP at start-up.
void setup_local_APIC();

// The LAPIC timer interrupt (LOCAL_TIMER_VECTOR): counted in /proc/interrupts'
// LOC row, then handed to the clockevent driver through this hook, which it
// sets before programming the timer on a CPU.
extern void (*lapic_timer_event_handler)();

// Interprocessor interrupts (apic/ipi.cpp). `vector` is a fixed vector from
// asm/irq_vectors.h. Each waits until the APIC has accepted the previous command.
void apic_wait_icr_idle();
void apic_icr_write(u32 low, u32 apicid);
void apic_send_IPI(unsigned cpu, unsigned vector);
void apic_send_IPI_mask(const struct cpumask* mask, unsigned vector);
void apic_send_IPI_allbutself(unsigned vector);
void apic_send_IPI_self(unsigned vector);
