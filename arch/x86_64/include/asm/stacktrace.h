// Register dumps and frame-pointer backtraces, printed the way Linux prints them.
#pragma once
#include <asm/ptrace.h>

void show_regs(const pt_regs* regs);
// Walks the frame-pointer chain starting at (ip, bp) and prints "Call Trace:";
// first_caller, if not 0, is a return address known to precede the chain.
void show_trace(unsigned long ip, unsigned long bp, unsigned long first_caller);
// The call trace for an exception frame.
void show_trace_regs(const pt_regs* regs);
// Fills regs with the caller's registers (for panic() and dump_stack()).
void capture_regs(pt_regs* regs);
void dump_stack();
