// The exit-to-user-mode loop (Linux's kernel/entry/common.c): the last chance to
// act on work flagged for the task while it was in the kernel, with interrupts
// disabled at the check so nothing can be flagged between the check and the
// return to user mode.
#include <asm/irqflags.h>
#include <keel/entry-common.h>
#include <keel/sched.h>

namespace {

void exit_to_user_mode_prepare() {
    arch_local_irq_disable();
    while (need_resched()) {
        arch_local_irq_enable();
        schedule();
        arch_local_irq_disable();
    }
    // Signal delivery joins this loop when signals exist (TIF_SIGPENDING).
}

}  // namespace

extern "C" void syscall_exit_to_user_mode(pt_regs*) { exit_to_user_mode_prepare(); }

extern "C" void irqentry_exit_to_user_mode(pt_regs*) { exit_to_user_mode_prepare(); }
