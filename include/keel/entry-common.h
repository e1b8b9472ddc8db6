// The work done on every return to user mode (Linux's include/linux/entry-common.h).
#pragma once

struct pt_regs;

// After a system call: reschedule if asked, then (once signals exist) deliver
// pending signals. Returns with interrupts disabled, ready for SYSRET/IRET.
extern "C" void syscall_exit_to_user_mode(pt_regs* regs);
// The same on the way out of an interrupt or exception taken in user mode.
extern "C" void irqentry_exit_to_user_mode(pt_regs* regs);
