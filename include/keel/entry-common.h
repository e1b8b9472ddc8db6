// The work done on every return to user mode (Linux's include/linux/entry-common.h).
#pragma once

struct pt_regs;

// After a system call: reschedule if asked, then (once signals exist) deliver
// pending signals. Returns with interrupts disabled, ready for SYSRET/IRET.
extern "C" void syscall_exit_to_user_mode(pt_regs* regs);
// The same on the way out of an interrupt or exception taken in user mode.
extern "C" void irqentry_exit_to_user_mode(pt_regs* regs);

// Acts on pending signals: runs a handler (builds its frame in regs) or the
// default action, and restarts an interrupted system call when it should be
// (syscall: regs are a system call's, so orig_ax and ax say which and how it
// ended). arch/x86_64/kernel/signal.cpp.
void arch_do_signal_or_restart(pt_regs* regs, bool syscall);
