// arch_prctl (Linux's arch/x86/kernel/process_64.c): the FS and GS bases user
// space uses for thread-local storage. The value lives in thread_struct and
// in the MSR; __switch_to reloads the MSRs for the next task. The user GS base
// sits in MSR_KERNEL_GS_BASE while the kernel runs (SWAPGS swaps it in on
// the way out).
#include <asm/processor.h>
#include <asm/uaccess.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <uapi/asm/prctl.h>

long sys_arch_prctl(int option, unsigned long arg2) {
    task_struct* tsk = current;
    switch (option) {
    case ARCH_SET_FS:
    case ARCH_SET_GS: {
        if (arg2 >= TASK_SIZE_MAX) return -EPERM;  // a kernel address would never be usable
        Guard<IrqSave> guard(tsk->pi_lock);        // field and MSR change together, not across a switch
        if (option == ARCH_SET_FS) {
            tsk->thread.fsbase = arg2;
            wrmsr(MSR_FS_BASE, arg2);
        } else {
            tsk->thread.gsbase = arg2;
            wrmsr(MSR_KERNEL_GS_BASE, arg2);
        }
        return 0;
    }
    case ARCH_GET_FS:
        return put_user(tsk->thread.fsbase, reinterpret_cast<unsigned long*>(arg2));
    case ARCH_GET_GS:
        return put_user(tsk->thread.gsbase, reinterpret_cast<unsigned long*>(arg2));
    default:
        return -EINVAL;
    }
}
