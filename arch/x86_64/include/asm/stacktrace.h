// Register dumps and frame-pointer backtraces, printed the way Linux prints them.
#pragma once
#include <asm/ptrace.h>

void show_regs(const pt_regs* regs);
// Walks the frame-pointer chain starting at (ip, bp) and prints "Call Trace:".
void show_trace(unsigned long ip, unsigned long bp);
// Fills regs with the caller's registers (for panic() and dump_stack()).
void capture_regs(pt_regs* regs);
void dump_stack();
