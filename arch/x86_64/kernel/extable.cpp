// The exception table: pairs (faulting instruction, where to continue), emitted
// by _ASM_EXTABLE next to the few instructions that may fault on purpose (user
// copies, probing reads). A fault there is an answer (-EFAULT), not a bug.
#include <asm/asm.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <uapi/asm/errno.h>

struct exception_table_entry {
    unsigned long insn, fixup;
};

extern "C" const exception_table_entry __start___ex_table[], __stop___ex_table[];

bool fixup_exception(pt_regs* regs) {
    for (auto* e = __start___ex_table; e < __stop___ex_table; e++) {
        if (e->insn == regs->ip) {
            regs->ip = e->fixup;
            return true;
        }
    }
    return false;
}

long copy_from_kernel_nofault(void* dst, const void* src, size_t size) {
    long ret = 0;
    asm volatile(
        "1: rep movsb\n"
        "2:\n"
        ".pushsection .fixup, \"ax\"\n"
        "3: movq %[efault], %[ret]\n"
        "   jmp 2b\n"
        ".popsection\n" _ASM_EXTABLE(1b, 3b)
        : [ret] "+r"(ret), "+D"(dst), "+S"(src), "+c"(size)
        : [efault] "i"(-EFAULT)
        : "memory");
    return ret;
}

long copy_to_kernel_nofault(void* dst, const void* src, size_t size) {
    return copy_from_kernel_nofault(dst, src, size);
}
