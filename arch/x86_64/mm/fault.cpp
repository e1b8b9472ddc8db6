// Page faults. The CPU leaves the faulting address in CR2 and says why in the
// error code (present? write? user? instruction fetch? reserved bit?). A kernel
// fault with an exception-table entry is resumed at its fixup; any other is a
// bug and gets Linux's report — what was touched, how, and the page-table walk
// for that address — before the oops.
//
// A fault at a user address with an mm behind it goes to the mm first (Linux's
// do_user_addr_fault): from user mode always, from the kernel only inside a
// user access that may sleep (interrupts were on, nothing atomic) and, with
// SMAP, only with EFLAGS.AC set — a kernel touching user memory any other way
// is a bug, and retrying it would loop. What the mm cannot resolve becomes a
// signal in user mode and the exception-table fixup (or the oops) in the kernel.
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <keel/mm.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal_fault.h>

namespace {

enum : unsigned long {
    X86_PF_PROT = 1 << 0,   // 0: page not present, 1: protection violation
    X86_PF_WRITE = 1 << 1,
    X86_PF_USER = 1 << 2,
    X86_PF_RSVD = 1 << 3,
    X86_PF_INSTR = 1 << 4,
    X86_PF_PK = 1 << 5,
};

// Prints the entry at each level for address, like Linux's dump_pagetable().
void dump_pagetable(unsigned long address) {
    static const char* const names[] = {"PGD", "PUD", "PMD", "PTE"};
    auto* table = static_cast<pteval_t*>(__va(read_cr3() & PTE_PFN_MASK));
    printk(KERN_ALERT "");
    for (int level = 0; level < 4; level++) {
        unsigned shift = 39 - 9 * level;
        pteval_t entry;
        if (copy_from_kernel_nofault(&entry, &table[(address >> shift) & 511], sizeof(entry))) {
            pr_cont("%s (unreadable)", names[level]);
            break;
        }
        pr_cont("%s%s %lx", level ? " " : "", names[level], (unsigned long)entry);
        if (!(entry & _PAGE_PRESENT) || (level > 0 && (entry & _PAGE_PSE))) break;
        table = static_cast<pteval_t*>(__va(entry & PTE_PFN_MASK));
    }
    pr_cont("\n");
}

[[noreturn]] void page_fault_oops(pt_regs* regs, unsigned long error_code, unsigned long address) {
    if (address < PAGE_SIZE && !(error_code & X86_PF_INSTR))
        printk(KERN_ALERT "BUG: kernel NULL pointer dereference, address: %016lx\n", address);
    else
        printk(KERN_ALERT "BUG: unable to handle page fault for address: %016lx\n", address);
    printk(KERN_ALERT "#PF: %s %s in %s mode\n", (error_code & X86_PF_USER) ? "user" : "supervisor",
           (error_code & X86_PF_INSTR)   ? "instruction fetch"
           : (error_code & X86_PF_WRITE) ? "write access"
                                         : "read access",
           user_mode(regs) ? "user" : "kernel");
    printk(KERN_ALERT "#PF: error_code(0x%04lx) - %s\n", error_code,
           !(error_code & X86_PF_PROT)  ? "not-present page"
           : (error_code & X86_PF_RSVD) ? "reserved bit violation"
           : (error_code & X86_PF_PK)   ? "protection keys violation"
                                        : "permissions violation");
    dump_pagetable(address);
    die("Oops", regs, error_code);
}

constexpr unsigned long X86_EFLAGS_AC = 1ul << 18;

bool kernel_may_fault_user(pt_regs* regs, unsigned long error_code) {
    if (error_code & (X86_PF_RSVD | X86_PF_INSTR)) return false;  // corrupt tables; SMEP
    if ((read_cr4() & X86_CR4_SMAP) && !(regs->flags & X86_EFLAGS_AC)) return false;
    return (regs->flags & X86_EFLAGS_IF) && !in_atomic();
}

vm_fault_t do_user_addr_fault(unsigned long error_code, unsigned long address, int* si_code) {
    mm_struct* mm = current->mm;
    unsigned flags = (error_code & X86_PF_WRITE ? unsigned(FAULT_FLAG_WRITE) : 0u) |
                     (error_code & X86_PF_USER ? unsigned(FAULT_FLAG_USER) : 0u) |
                     (error_code & X86_PF_INSTR ? unsigned(FAULT_FLAG_INSTRUCTION) : 0u);
    // Resolving may sleep (mmap_lock, allocation): run with interrupts as they were.
    arch_local_irq_enable();
    down_read(&mm->mmap_lock);
    vm_fault_t ret = handle_user_fault(address, flags, si_code);
    up_read(&mm->mmap_lock);
    arch_local_irq_disable();
    return ret;
}

}  // namespace

void do_page_fault(pt_regs* regs, unsigned long error_code) {
    unsigned long address = read_cr2();
    bool user_address = address < TASK_SIZE_MAX;
    if (user_mode(regs)) {
        int si_code = SEGV_MAPERR;
        vm_fault_t ret = VM_FAULT_SIGSEGV;
        if (user_address && current->mm && !(error_code & X86_PF_RSVD))
            ret = do_user_addr_fault(error_code, address, &si_code);
        if (ret == VM_FAULT_OK) return;
        force_sig_fault_segv(regs, address, error_code, si_code, ret);
        return;
    }
    if (user_address && current->mm && kernel_may_fault_user(regs, error_code)) {
        int si_code;
        if (do_user_addr_fault(error_code, address, &si_code) == VM_FAULT_OK) return;
    }
    if (fixup_exception(regs)) return;
    page_fault_oops(regs, error_code, address);
}
