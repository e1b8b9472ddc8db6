// The first task: what the boot CPU runs from head_64.S on, PID 0, later its
// idle task "swapper/0". Its fields are constant-initialized (so `current`
// works from the first instruction); init_task_setup fills in the rest.
#include <keel/fs_struct.h>
#include <keel/sched.h>
#include <lib/string.h>

extern "C" char init_stack[];

task_struct init_task;
// Root and working directory of the boot task and every kernel thread; the
// mount tree fills them in (init_mount_tree).
fs_struct init_fs;

void set_task_stack_end_magic(task_struct* tsk) {
    *static_cast<unsigned long*>(tsk->stack) = STACK_END_MAGIC;
}

void init_task_setup() {
    init_task.__state.store(TASK_RUNNING, memory_order::relaxed);
    init_task.stack = init_stack;
    set_task_stack_end_magic(&init_task);
    init_task.real_parent = init_task.parent = &init_task;
    init_task.flags = PF_KTHREAD;
    init_task.fs = &init_fs;
    strscpy(init_task.comm, "swapper/0", sizeof(init_task.comm));
}
