// Register dumps and backtraces. Keel builds with frame pointers, so each frame
// begins with the caller's %rbp and the return address above it; the chain ends
// at the zero %rbp planted by head_64.S and the entry stubs. Frames are read with
// copy_from_kernel_nofault, so a corrupt chain ends the trace instead of faulting.
#include <asm/processor.h>
#include <asm/stacktrace.h>
#include <asm/uaccess.h>
#include <keel/printk.h>
#include <kernel/kallsyms.h>

void show_regs(const pt_regs* regs) {
    printk(KERN_EMERG "RIP: %04lx:%pS\n", regs->cs & 0xffff, reinterpret_cast<void*>(regs->ip));
    printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx\n", regs->ss & 0xffff, regs->sp, regs->flags);
    printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->ax, regs->bx, regs->cx);
    printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->dx, regs->si, regs->di);
    printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", regs->bp, regs->r8, regs->r9);
    printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11, regs->r12);
    printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14, regs->r15);
    printk(KERN_EMERG "FS:  %016lx GS:  %016lx knlGS: %016lx\n", (unsigned long)rdmsr(MSR_FS_BASE),
           (unsigned long)rdmsr(MSR_GS_BASE), (unsigned long)rdmsr(MSR_KERNEL_GS_BASE));
    printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", (unsigned long)read_cr0(),
           (unsigned long)read_cr2(), (unsigned long)read_cr3(), (unsigned long)read_cr4());
}

void show_trace_regs(const pt_regs* regs) {
    // Struck on a function's first instruction, before `push %rbp`: the frame
    // chain does not know the caller yet, but its return address is at %rsp.
    kallsyms_result sym;
    unsigned long ret;
    if (kallsyms_lookup(regs->ip, &sym) && sym.offset == 0 &&
        !copy_from_kernel_nofault(&ret, reinterpret_cast<void*>(regs->sp), sizeof(ret)))
        show_trace(regs->ip, regs->bp, ret);
    else
        show_trace(regs->ip, regs->bp, 0);
}

void show_trace(unsigned long ip, unsigned long bp, unsigned long first_caller) {
    printk(KERN_EMERG "Call Trace:\n");
    printk(KERN_EMERG " <TASK>\n");
    printk(KERN_EMERG " %pS\n", reinterpret_cast<void*>(ip));
    if (first_caller) printk(KERN_EMERG " %pS\n", reinterpret_cast<void*>(first_caller - 1));
    for (int depth = 0; bp && depth < 64; depth++) {
        unsigned long frame[2];  // saved rbp, return address
        if (bp & 7 || copy_from_kernel_nofault(frame, reinterpret_cast<void*>(bp), sizeof(frame)))
            break;
        if (!frame[1]) break;
        // The return address points after the call; show the call itself.
        printk(KERN_EMERG " %pS\n", reinterpret_cast<void*>(frame[1] - 1));
        if (frame[0] <= bp) break;  // stacks grow down: callers' frames are higher
        bp = frame[0];
    }
    printk(KERN_EMERG " </TASK>\n");
}

__attribute__((noinline)) void capture_regs(pt_regs* regs) {
    asm volatile(
        "movq %%rax, %c[ax](%0)\n movq %%rbx, %c[bx](%0)\n movq %%rcx, %c[cx](%0)\n"
        "movq %%rdx, %c[dx](%0)\n movq %%rsi, %c[si](%0)\n movq %%rdi, %c[di](%0)\n"
        "movq %%r8, %c[r8](%0)\n movq %%r9, %c[r9](%0)\n movq %%r10, %c[r10](%0)\n"
        "movq %%r11, %c[r11](%0)\n movq %%r12, %c[r12](%0)\n movq %%r13, %c[r13](%0)\n"
        "movq %%r14, %c[r14](%0)\n movq %%r15, %c[r15](%0)\n"
        "pushfq\n popq %c[flags](%0)\n"
        :
        : "r"(regs), [ax] "i"(offsetof(pt_regs, ax)), [bx] "i"(offsetof(pt_regs, bx)),
          [cx] "i"(offsetof(pt_regs, cx)), [dx] "i"(offsetof(pt_regs, dx)), [si] "i"(offsetof(pt_regs, si)),
          [di] "i"(offsetof(pt_regs, di)), [r8] "i"(offsetof(pt_regs, r8)), [r9] "i"(offsetof(pt_regs, r9)),
          [r10] "i"(offsetof(pt_regs, r10)), [r11] "i"(offsetof(pt_regs, r11)),
          [r12] "i"(offsetof(pt_regs, r12)), [r13] "i"(offsetof(pt_regs, r13)),
          [r14] "i"(offsetof(pt_regs, r14)), [r15] "i"(offsetof(pt_regs, r15)),
          [flags] "i"(offsetof(pt_regs, flags))
        : "memory");
    // Describe the caller: its frame is the one this function's frame points to.
    auto* frame = static_cast<unsigned long*>(__builtin_frame_address(0));
    regs->bp = frame[0];
    regs->ip = reinterpret_cast<unsigned long>(__builtin_return_address(0));
    regs->sp = reinterpret_cast<unsigned long>(frame + 2);
    unsigned long cs, ss;
    asm volatile("movq %%cs, %0\n movq %%ss, %1" : "=r"(cs), "=r"(ss));
    regs->cs = cs;
    regs->ss = ss;
    regs->orig_ax = ~0ul;
}

void dump_stack() {
    pt_regs regs;
    capture_regs(&regs);
    show_trace(regs.ip, regs.bp, 0);
}
