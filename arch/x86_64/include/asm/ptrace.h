// The registers saved on kernel entry, in Linux's struct pt_regs order, so the
// layout ptrace and signal frames will expose later is the familiar one.
#pragma once
#include <keel/types.h>

struct pt_regs {
    unsigned long r15, r14, r13, r12, bp, bx;
    unsigned long r11, r10, r9, r8, ax, cx, dx, si, di;
    unsigned long orig_ax;  // error code for exceptions, syscall number for syscalls
    // pushed by the CPU
    unsigned long ip, cs, flags, sp, ss;
};
static_assert(sizeof(pt_regs) == 21 * 8);

static inline bool user_mode(const pt_regs* regs) { return regs->cs & 3; }

constexpr unsigned long X86_EFLAGS_IF = 1ul << 9;
