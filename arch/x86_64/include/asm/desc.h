// Descriptor tables: the GDT with its TSS, and the IDT.
#pragma once
#include <keel/percpu.h>
#include <keel/types.h>

// The 64-bit Task State Segment: no task switching any more, only the stack
// pointers the CPU loads on a privilege change (sp0) and the Interrupt Stack
// Table, known-good stacks for exceptions that may strike on a broken stack.
struct tss_struct {
    u32 reserved0;
    u64 sp0, sp1, sp2;
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 io_bitmap_base;
} __attribute__((packed));
static_assert(sizeof(tss_struct) == 104);

// IST slots (the IDT names them 1-based), as in Linux's asm/page_64_types.h.
enum : unsigned { IST_INDEX_DF, IST_INDEX_NMI, IST_INDEX_DB, IST_INDEX_MCE, N_EXCEPTION_STACKS };
constexpr unsigned long EXCEPTION_STKSZ = 8192;

DECLARE_PER_CPU(tss_struct, cpu_tss_rw);  // this CPU's: this_cpu_ptr(&cpu_tss_rw)
extern "C" char idt_entries_start[];

// Loads this CPU's GDT and TSS (with its IST stacks) from its per-CPU area.
// The boot CPU runs it twice: early on the per-CPU template, and again once its
// real per-CPU area exists (after setup_per_cpu_areas); each AP at start-up.
void cpu_init();
// Installs the 256 IDT gates and loads the IDT.
void idt_setup_traps();
