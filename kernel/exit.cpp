// The end of a task. A kernel thread that returns from its function (or calls
// kthread_exit) comes here: it marks itself TASK_DEAD and schedules away for the
// last time; the next task, running on the same CPU, releases it once nothing
// runs on its stack any more (finish_task_switch).
#include <keel/panic.h>
#include <keel/preempt.h>
#include <keel/sched.h>
#include <kernel/sched/sched.h>

void do_exit(long code) {
    task_struct* tsk = current;
    if (tsk->flags & PF_IDLE) panic("Attempted to kill the idle task!");
    tsk->flags |= PF_EXITING;
    tsk->exit_code = int(code);
    preempt_disable();
    set_current_state(TASK_DEAD);
    schedule_dead();
}
