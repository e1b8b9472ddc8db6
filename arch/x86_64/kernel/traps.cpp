// Exception handling. A kernel-mode exception is either expected (the
// instruction has an exception-table entry: resume at its fixup) or a kernel bug,
// which prints an oops — Linux's header line, registers, call trace — and
// panics. A user-mode exception sends the process its signal (force_sig_fault).
#include <keel/compile.h>
#include <asm/page_types.h>
#include <asm/processor.h>
#include <asm/stacktrace.h>
#include <asm/traps.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>

namespace {

const char* const exception_names[32] = {
    "divide error", "debug", "NMI", "int3", "overflow", "bounds", "invalid opcode",
    "device not available", "double fault", "coprocessor segment overrun", "invalid TSS",
    "segment not present", "stack segment", "general protection fault", "page fault",
    "spurious interrupt bug", "coprocessor error", "alignment check", "machine check",
    "SIMD exception", "virtualization exception", "control protection fault", "reserved 22",
    "reserved 23", "reserved 24", "reserved 25", "reserved 26", "reserved 27",
    "hypervisor injection", "VMM communication", "security exception", "reserved 31",
};

int die_counter;

// The signal a user-mode exception sends and its si_code (Linux's
// do_error_trap callers). The address is the faulting instruction for
// #DE/#UD/#DB as in Linux; the rest report SI_KERNEL with no address.
struct trap_signal_info {
    int sig;
    int code;
    bool addr_is_ip;
};
trap_signal_info trap_signal(unsigned long vector) {
    switch (vector) {
    case X86_TRAP_DE: return {SIGFPE, FPE_INTDIV, true};
    case 1 /* #DB */: return {SIGTRAP, TRAP_BRKPT, true};
    case 3 /* #BP */: return {SIGTRAP, SI_KERNEL, false};
    case 6 /* #UD */: return {SIGILL, ILL_ILLOPN, true};
    case 16 /* #MF */: case 19 /* #XM */: return {SIGFPE, SI_KERNEL, false};
    case 11 /* #NP */: case 12 /* #SS */: case 17 /* #AC */: return {SIGBUS, SI_KERNEL, false};
    default: return {SIGSEGV, SI_KERNEL, false};
    }
}

void do_error_trap(pt_regs* regs, unsigned long vector) {
    if (user_mode(regs)) {
        trap_signal_info t = trap_signal(vector);
        // Linux's show_signal_msg line, printed only when the signal will kill.
        task_struct* tsk = current;
        if (unhandled_signal(t.sig))
            printk("%straps: %s[%d] %s%s ip:%lx sp:%lx error:%lx\n", tsk->pid > 1 ? KERN_INFO : KERN_EMERG, tsk->comm,
                   tsk->pid, vector == X86_TRAP_GP ? "" : "trap ", exception_names[vector], regs->ip, regs->sp,
                   regs->orig_ax);
        force_sig_fault(t.sig, t.code, t.addr_is_ip ? reinterpret_cast<void*>(regs->ip) : nullptr);
        return;  // delivered on the way back to user mode
    }
    if (fixup_exception(regs)) return;
    die(exception_names[vector], regs, regs->orig_ax);
}

// Linux's "Uhhuh. NMI received for unknown reason": report it and carry on.
void do_nmi(pt_regs*) {
    printk(KERN_EMERG "Uhhuh. NMI received for unknown reason 00 on CPU 0.\n");
    printk(KERN_EMERG "Dazed and confused, but trying to continue\n");
}

// A double fault usually means a fault could not push its frame: most often the
// stack ran into the guard page below it. Say so when CR2 points there.
[[noreturn]] void do_double_fault(pt_regs* regs) {
    auto stack = reinterpret_cast<unsigned long>(current->stack);
    unsigned long cr2 = read_cr2();
    if (stack && cr2 >= stack - PAGE_SIZE && cr2 < stack) {
        printk(KERN_EMERG "BUG: stack guard page was hit at %p (stack is %p..%p)\n", reinterpret_cast<void*>(cr2),
               reinterpret_cast<void*>(stack), reinterpret_cast<void*>(stack + THREAD_SIZE - 1));
        die("kernel stack overflow (double-fault)", regs, regs->orig_ax);
    }
    printk(KERN_EMERG "PANIC: double fault, error_code: 0x%lx\n", regs->orig_ax);
    die("double fault", regs, regs->orig_ax);
}

}  // namespace

void die(const char* str, pt_regs* regs, unsigned long err) {
    printk(KERN_EMERG "%s: %04lx [#%d] PREEMPT SMP\n", str, err & 0xffff, ++die_counter);
    dump_task_header();
    show_regs(regs);
    show_trace_regs(regs);
    oops_in_progress = true;  // panic() need not dump registers again
    panic("Fatal exception");
}

extern "C" void do_idt_entry(pt_regs* regs, unsigned long vector) {
    switch (vector) {
    case X86_TRAP_PF:
        do_page_fault(regs, regs->orig_ax);
        return;
    case X86_TRAP_NMI:
        do_nmi(regs);
        return;
    case X86_TRAP_DF:
        do_double_fault(regs);
    case X86_TRAP_MC:
        die("machine check", regs, 0);
    default:
        if (vector < 32) {
            do_error_trap(regs, vector);
            return;
        }
        do_IRQ(regs, vector);
    }
}
