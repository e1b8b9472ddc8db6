// Signals from user page faults (Linux's bad_area / do_sigbus paths). si_code
// numbers are Linux's; identical redefinitions by uapi/asm/siginfo.h are harmless.
#pragma once
#include <keel/mm.h>
#include <uapi/asm/signal.h>

#define SEGV_MAPERR 1  // no mapping at the address
#define SEGV_ACCERR 2  // a mapping without the access right
#define BUS_ADRERR 2   // past the end of the backing object

struct pt_regs;

// A user-mode fault that cannot be resolved: queues the signal the fault means
// (SIGSEGV with si_code and the address, SIGBUS, or SIGKILL for VM_FAULT_OOM)
// for delivery on the way back to user mode; prints Linux's segfault line
// (show_signal_msg) when the SIGSEGV will kill.
void force_sig_fault_segv(pt_regs* regs, unsigned long address, unsigned long error_code,
                          int si_code, vm_fault_t reason);

// Ends current as if killed by sig, where no return to user mode is possible
// (an exec that failed after the old image was gone). kernel/exit.cpp.
[[noreturn]] void do_exit_for_signal(int sig);
