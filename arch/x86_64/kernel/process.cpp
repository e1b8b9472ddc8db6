// Context switching: copy_thread builds a new task's first stack frame, and
// __switch_to does what must happen on the new stack — swap the FPU state, the
// user FS/GS bases and the kernel stack the CPU enters on from user mode, and
// make `next` the current task. start_thread points the user registers at a
// new program.
#include <asm/current.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/process.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/syscall.h>
#include <keel/kthread.h>
#include <keel/percpu.h>
#include <keel/sched.h>
#include <lib/string.h>

extern "C" task_struct* __switch_to_asm(task_struct* prev, task_struct* next, unsigned long* prev_sp,
                                        unsigned long* next_sp);
extern "C" void ret_from_fork();

namespace {
// What __switch_to_asm leaves on a switched-out task's stack, lowest address first.
struct inactive_task_frame {
    unsigned long r15, r14, r13, r12, bx, bp;
    unsigned long ret_addr;
};
}  // namespace

pt_regs* task_pt_regs(task_struct* task) {
    return reinterpret_cast<pt_regs*>(static_cast<char*>(task->stack) + THREAD_SIZE) - 1;
}

// The top of every kernel stack holds the task's user registers (pt_regs), as
// in Linux, even for kernel threads: one of them (kernel_init) becomes init by
// exec and returns to user mode through that frame.
void copy_thread(task_struct* p, int (*fn)(void*), void* arg) {
    pt_regs* regs = task_pt_regs(p);
    memset(regs, 0, sizeof(*regs));
    inactive_task_frame* frame = reinterpret_cast<inactive_task_frame*>(regs) - 1;
    *frame = {};
    frame->bx = reinterpret_cast<unsigned long>(fn);
    frame->r12 = reinterpret_cast<unsigned long>(arg);
    frame->ret_addr = reinterpret_cast<unsigned long>(&ret_from_fork);
    p->thread.sp = reinterpret_cast<unsigned long>(frame);
}

void copy_thread_user(task_struct* p, int (*first)(void*), unsigned long sp, bool settls, unsigned long tls) {
    pt_regs* regs = task_pt_regs(p);
    *regs = *task_pt_regs(current);
    regs->ax = 0;  // the child's return value from fork/clone
    if (sp) regs->sp = sp;
    inactive_task_frame* frame = reinterpret_cast<inactive_task_frame*>(regs) - 1;
    *frame = {};
    // ret_from_fork calls `first` like a kernel thread's function; it returns
    // (the task is not PF_KTHREAD) and the child leaves for user mode.
    frame->bx = reinterpret_cast<unsigned long>(first);
    frame->ret_addr = reinterpret_cast<unsigned long>(&ret_from_fork);
    p->thread.sp = reinterpret_cast<unsigned long>(frame);
    p->thread.fsbase = settls ? tls : current->thread.fsbase;
    p->thread.gsbase = current->thread.gsbase;
    fpu_clone(p);
}

extern "C" task_struct* __switch_to(task_struct* prev, task_struct* next) {
    switch_fpu(prev, next);
    // User tasks keep their TLS bases in thread_struct (arch_prctl writes both
    // the field and the MSR); the user GS base sits in KERNEL_GS_BASE while in
    // the kernel and becomes GS at SWAPGS. Kernel threads use neither.
    if (next->mm) {
        wrmsr(MSR_FS_BASE, next->thread.fsbase);
        wrmsr(MSR_KERNEL_GS_BASE, next->thread.gsbase);
    }
    // Interrupts and system calls from user mode enter on this stack's top.
    this_cpu_ptr(&cpu_tss_rw)->sp0 = reinterpret_cast<u64>(next->stack) + THREAD_SIZE;
    this_cpu_write(current_task, next);
    return prev;
}

task_struct* switch_to(task_struct* prev, task_struct* next) {
    return __switch_to_asm(prev, next, &prev->thread.sp, &next->thread.sp);
}

void start_thread(pt_regs* regs, unsigned long ip, unsigned long sp) {
    memset(regs, 0, sizeof(*regs));
    regs->ip = ip;
    regs->sp = sp;
    regs->cs = __USER_CS;
    regs->ss = __USER_DS;
    regs->flags = X86_EFLAGS_IF;
    task_struct* tsk = current;
    tsk->thread.fsbase = 0;
    tsk->thread.gsbase = 0;
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

// ret_from_fork's continuation when a kernel thread's function returns: the
// thread exits, unless exec turned it into a user task (kernel_init starting
// init), which then leaves for user mode through its pt_regs.
extern "C" void kernel_thread_returned(long code) {
    if (current->flags & PF_KTHREAD) kthread_exit(code);
}
