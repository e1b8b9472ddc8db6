// Page faults. The CPU leaves the faulting address in CR2 and says why in the
// error code (present? write? user? instruction fetch? reserved bit?). A kernel
// fault with an exception-table entry is resumed at its fixup; any other is a
// bug and gets Linux's report — what was touched, how, and the page-table walk
// for that address — before the oops. User faults arrive with processes (issue 4).
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <keel/printk.h>

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

}  // namespace

void do_page_fault(pt_regs* regs, unsigned long error_code) {
    unsigned long address = read_cr2();
    if (!user_mode(regs) && fixup_exception(regs)) return;
    page_fault_oops(regs, error_code, address);
}
