// Fatal signals from faults (the part of Linux's force_sig_fault path that user
// page faults need before signal delivery exists). si_code numbers are Linux's;
// identical redefinitions by a fuller siginfo header are harmless.
#pragma once
#include <keel/mm.h>
#include <uapi/asm/signal.h>

#define SEGV_MAPERR 1  // no mapping at the address
#define SEGV_ACCERR 2  // a mapping without the access right
#define BUS_ADRERR 2   // past the end of the backing object

struct pt_regs;

// A user-mode fault that cannot be resolved: prints Linux's segfault line
// (show_signal_msg) for SIGSEGV, then ends the task with the signal the fault
// means (SIGSEGV, SIGBUS, or SIGKILL for VM_FAULT_OOM). Does not return.
[[noreturn]] void force_sig_fault_segv(pt_regs* regs, unsigned long address, unsigned long error_code,
                                       int si_code, vm_fault_t reason);

// Ends current as if killed by sig. Signals (exec/signal work) define it; the
// weak default in kernel/signal_fault.cpp panics, naming what was missing.
[[noreturn]] void do_exit_for_signal(int sig);
