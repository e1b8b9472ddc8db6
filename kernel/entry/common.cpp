// The exit-to-user-mode loop (Linux's kernel/entry/common.c): the last chance to
// act on work flagged for the task while it was in the kernel, with interrupts
// disabled at the check so nothing can be flagged between the check and the
// return to user mode.
#include <asm/irqflags.h>
#include <keel/entry-common.h>
#include <keel/sched.h>
#include <keel/signal.h>

namespace {

// Work is re-checked after each step: a handler's frame may leave more
// signals to deliver, and delivering may have made a reschedule due.
void exit_to_user_mode_prepare(pt_regs* regs, bool syscall) {
    arch_local_irq_disable();
    for (;;) {
        if (need_resched()) {
            arch_local_irq_enable();
            schedule();
        } else if (signal_pending(current)) {
            arch_local_irq_enable();
            arch_do_signal_or_restart(regs, syscall);
        } else {
            break;
        }
        arch_local_irq_disable();
    }
}

}  // namespace

extern "C" void syscall_exit_to_user_mode(pt_regs* regs) { exit_to_user_mode_prepare(regs, true); }

extern "C" void irqentry_exit_to_user_mode(pt_regs* regs) { exit_to_user_mode_prepare(regs, false); }
