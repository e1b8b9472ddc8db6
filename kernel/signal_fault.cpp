// Fatal fault signals (include/keel/signal_fault.h). Linux's line also names
// the mapping holding ip (" in file[start+size]") and "likely on CPU n (core,
// socket)"; Keel prints neither yet: there are no files behind mappings and no
// CPU topology to name.
#include <asm/ptrace.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal_fault.h>

[[noreturn]] void force_sig_fault_segv(pt_regs* regs, unsigned long address, unsigned long error_code,
                                       int, vm_fault_t reason) {
    task_struct* tsk = current;
    int sig = reason & VM_FAULT_OOM ? SIGKILL : reason & VM_FAULT_SIGBUS ? SIGBUS : SIGSEGV;
    if (sig == SIGSEGV)
        printk("%s%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n", tsk->pid > 1 ? KERN_INFO : KERN_EMERG,
               tsk->comm, tsk->pid, address, regs->ip, regs->sp, error_code);
    do_exit_for_signal(sig);
}

__attribute__((weak)) void do_exit_for_signal(int sig) {
    panic("%s[%d] killed by signal %d, but signal delivery (do_exit_for_signal) is not built in",
          current->comm, current->pid, sig);
}
