// Exception vectors and the handlers' shared entry points.
#pragma once
#include <asm/ptrace.h>

enum x86_trap : unsigned {
    X86_TRAP_DE = 0,   // divide error
    X86_TRAP_DB = 1,   // debug
    X86_TRAP_NMI = 2,
    X86_TRAP_BP = 3,   // int3
    X86_TRAP_OF = 4,   // overflow
    X86_TRAP_BR = 5,   // bound range exceeded
    X86_TRAP_UD = 6,   // invalid opcode
    X86_TRAP_NM = 7,   // device not available
    X86_TRAP_DF = 8,   // double fault
    X86_TRAP_OLD_MF = 9,
    X86_TRAP_TS = 10,  // invalid TSS
    X86_TRAP_NP = 11,  // segment not present
    X86_TRAP_SS = 12,  // stack segment fault
    X86_TRAP_GP = 13,  // general protection
    X86_TRAP_PF = 14,  // page fault
    X86_TRAP_SPURIOUS = 15,
    X86_TRAP_MF = 16,  // x87 floating point
    X86_TRAP_AC = 17,  // alignment check
    X86_TRAP_MC = 18,  // machine check
    X86_TRAP_XF = 19,  // SIMD floating point
    X86_TRAP_VE = 20,  // virtualization
    X86_TRAP_CP = 21,  // control protection
    X86_TRAP_VC = 29,  // VMM communication
    X86_TRAP_SX = 30,  // security
};

extern "C" void do_idt_entry(pt_regs* regs, unsigned long vector);
// Vectors 32-255: device interrupts, IPIs, the APIC's own (arch/x86_64/kernel/irq.cpp).
void do_IRQ(pt_regs* regs, unsigned long vector);
// Prints an oops for an unrecoverable kernel-mode exception and panics.
[[noreturn]] void die(const char* str, pt_regs* regs, unsigned long err);
// If the faulting instruction has an exception-table entry, resumes at its fixup.
bool fixup_exception(pt_regs* regs);
void do_page_fault(pt_regs* regs, unsigned long error_code);
