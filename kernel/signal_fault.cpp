// Signals from user page faults (include/keel/signal_fault.h). Linux's line
// also names the mapping holding ip (" in file[start+size]") and "likely on
// CPU n (core, socket)"; Keel prints neither yet: there are no files behind
// mappings and no CPU topology to name.
#include <asm/ptrace.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/signal_fault.h>

void force_sig_fault_segv(pt_regs* regs, unsigned long address, unsigned long error_code, int si_code,
                          vm_fault_t reason) {
    task_struct* tsk = current;
    if (reason & VM_FAULT_OOM) {
        force_sig(SIGKILL);  // out of memory: Linux's pagefault_out_of_memory kills the faulting task
        return;
    }
    int sig = reason & VM_FAULT_SIGBUS ? SIGBUS : SIGSEGV;
    // show_unhandled_signals: the line is for faults that kill, not for caught ones.
    if (sig == SIGSEGV && unhandled_signal(sig))
        printk("%s%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n", tsk->pid > 1 ? KERN_INFO : KERN_EMERG,
               tsk->comm, tsk->pid, address, regs->ip, regs->sp, error_code);
    force_sig_fault(sig, sig == SIGBUS ? BUS_ADRERR : si_code, reinterpret_cast<void __user*>(address));
}
