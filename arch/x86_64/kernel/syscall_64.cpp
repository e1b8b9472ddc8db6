// The SYSCALL instruction's kernel side: per-CPU MSR setup and the C++ half of
// entry_SYSCALL_64 (entry_64.S), which dispatches through sys_call_table.
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/syscall.h>
#include <keel/entry-common.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <lib/bitmap.h>

extern "C" void entry_SYSCALL_64();

namespace {

enum : u32 { MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082, MSR_SYSCALL_MASK = 0xc0000084 };

// RFLAGS bits SYSCALL clears on entry: interrupts stay off until the kernel
// stack is set up, DF is clear as the C ABI wants, AC off so SMAP protects the
// kernel from the first instruction, TF/NT/RF/IOPL/ID so no user state leaks in.
constexpr unsigned long SYSCALL_MASK_FLAGS =
    (1ul << 0) /*CF*/ | (1ul << 2) /*PF*/ | (1ul << 4) /*AF*/ | (1ul << 6) /*ZF*/ | (1ul << 7) /*SF*/ |
    (1ul << 8) /*TF*/ | (1ul << 9) /*IF*/ | (1ul << 10) /*DF*/ | (1ul << 11) /*OF*/ | (3ul << 12) /*IOPL*/ |
    (1ul << 14) /*NT*/ | (1ul << 16) /*RF*/ | (1ul << 18) /*AC*/ | (1ul << 21) /*ID*/;

// Each unimplemented number is reported once, so a program probing for
// features does not flood the log.
DECLARE_BITMAP(reported_missing, 512);

long sys_ni_syscall(const pt_regs* regs, unsigned long nr) {
    bool first = nr >= 512 || !test_and_set_bit(nr, reported_missing);
    if (first)
        printk(KERN_INFO "keel: %s[%d]: unimplemented syscall %ld\n", current->comm, current->pid, long(nr));
    return -ENOSYS;
}

// SYSRET is faster than IRET but can only restore %rip from %rcx and RFLAGS
// from %r11, and faults in ring 0 on a non-canonical %rip (the reason Linux
// checks, as here). exec and anything else that rewrote the registers returns
// through IRET.
bool sysret_possible(const pt_regs* regs) {
    return regs->cx == regs->ip && regs->r11 == regs->flags && regs->cs == __USER_CS && regs->ss == __USER_DS &&
           regs->ip < TASK_SIZE_MAX && !(regs->flags & ((1ul << 8) /*TF*/ | (1ul << 16) /*RF*/));
}

}  // namespace

void syscall_init() {
    // SYSCALL loads CS from STAR[47:32] (SS = +8); SYSRET loads SS = STAR[63:48]+8
    // and CS = STAR[63:48]+16: __USER32_CS + 8 = __USER_DS, + 16 = __USER_CS.
    wrmsr(MSR_STAR, (u64(__USER32_CS) << 48) | (u64(__KERNEL_CS) << 32));
    wrmsr(MSR_LSTAR, reinterpret_cast<u64>(&entry_SYSCALL_64));
    wrmsr(MSR_SYSCALL_MASK, SYSCALL_MASK_FLAGS);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

// Called from entry_SYSCALL_64 with interrupts off and regs on the task's
// kernel stack. Returns true when the SYSRET path may be used.
extern "C" bool do_syscall_64(pt_regs* regs, unsigned long nr) {
    arch_local_irq_enable();
    // A negative or huge %rax is just an unknown number (Linux treats rax as int).
    if (nr < __NR_syscalls && sys_call_table.entry[nr]) regs->ax = sys_call_table.entry[nr](regs);
    else regs->ax = sys_ni_syscall(regs, nr);
    syscall_exit_to_user_mode(regs);
    return sysret_possible(regs);
}
