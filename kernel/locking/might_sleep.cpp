// might_sleep(): the check that a function which may sleep is not called where
// sleeping is forbidden (preemption or IRQs off, interrupt context). It fires
// on every such call, not only on the ones that happen to block, so the bug is
// found on the first run (Linux's __might_sleep in kernel/sched/core.c).
#include <asm/irqflags.h>
#include <asm/stacktrace.h>
#include <keel/lockdep.h>
#include <keel/panic.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/rcupdate.h>
#include <keel/sched.h>

Atomic<unsigned long> might_sleep_reports{0};

namespace {
// Reports printed in full; later ones are only counted, so a hot path cannot
// flood the log.
constexpr unsigned long MIGHT_SLEEP_PRINT_LIMIT = 16;
}  // namespace

void __might_sleep(const char* file, int line) {
    // Boot runs on one task with preemption off until the scheduler starts;
    // the idle task never sleeps through here; an oops has bigger problems.
    if (!rcu_scheduler_active || oops_in_progress) return;
    task_struct* p = current;
    bool irqs_off = arch_irqs_disabled();
    if ((!in_atomic() && !irqs_off) || (p->flags & PF_IDLE)) return;
    if (might_sleep_reports.fetch_add(1, memory_order::relaxed) >= MIGHT_SLEEP_PRINT_LIMIT) return;
    printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n", file, line);
    printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s\n", in_atomic(),
           irqs_off, p->pid, p->comm);
    printk(KERN_ERR "preempt_count: %x, expected: 0\n", preempt_count());
    dump_stack();
}
