// The idle loop (Linux's do_idle): with nothing to run, halt until an interrupt.
// `sti; hlt` is one step: interrupts are enabled only by the instruction before
// hlt, so an interrupt that makes work cannot slip in between the need_resched
// check and the halt and leave the CPU asleep with work queued.
#include <asm/irqflags.h>
#include <keel/sched.h>

void cpu_startup_entry() {
    for (;;) {
        while (!need_resched()) {
            arch_local_irq_disable();
            if (need_resched()) {
                arch_local_irq_enable();
                break;
            }
            asm volatile("sti; hlt" ::: "memory");
        }
        schedule_idle();
    }
}
