// The end of a task (Linux's kernel/exit.c).
//
// A kernel thread that returns from its function (or calls kthread_exit)
// marks itself TASK_DEAD and schedules away for the last time; the next task
// on that CPU releases it (finish_task_switch).
//
// A process gives up its address space and files, hands its children to init,
// becomes a zombie holding its wait status, and wakes its parent; the parent's
// wait4 reaps it (releases its PID and task_struct). Init itself must never
// exit: as in Linux, that is a panic.
#include <asm/uaccess.h>
#include <keel/fdtable.h>
#include <keel/mm.h>
#include <keel/panic.h>
#include <keel/preempt.h>
#include <keel/sched.h>
#include <keel/signal_fault.h>
#include <keel/syscalls.h>
#include <keel/wait.h>
#include <kernel/sched/sched.h>
#include <uapi/linux/resource.h>

namespace {

// Parents sleep here in wait4; every exit wakes them all to re-check their
// own children (simple, and exits are rare next to everything else).
wait_queue_head child_exit_wait;

enum : unsigned { WNOHANG = 0x00000001, WUNTRACED = 0x00000002, WCONTINUED = 0x00000008, __WALL = 0x40000000,
             __WCLONE = 0x80000000 };

void exit_mm(task_struct* tsk) {
    mm_struct* mm = tsk->mm;
    if (!mm) return;
    // Keep the struct (and its page tables, still loaded) for active_mm until
    // the scheduler switches away; the mappings go with the last user.
    mmgrab(mm);
    {
        Guard<IrqSave> guard(tsk->pi_lock);
        tsk->mm = nullptr;
    }
    mmput(mm);
}

void exit_files(task_struct* tsk) {
    files_struct* files = tsk->files;
    if (!files) return;
    tsk->files = nullptr;
    put_files_struct(files);
}

// Children of an exiting process go to init (PID 1, Linux's child_reaper).
void forget_original_parent(task_struct* tsk) {
    task_struct* reaper = find_task_by_pid(1);
    Guard<IrqSave> guard(tasklist_lock);
    while (!list_empty(&tsk->children)) {
        task_struct* child = list_entry(tsk->children.next, task_struct, sibling);
        list_del(&child->sibling);
        child->real_parent = child->parent = reaper;
        list_add_tail(&child->sibling, &reaper->children);
    }
}

[[noreturn]] void do_exit_process(task_struct* tsk, int status) {
    if (tsk->pid == 1) panic("Attempted to kill init! exitcode=0x%08x", status);
    if (int* tid = tsk->clear_child_tid) {
        tsk->clear_child_tid = nullptr;
        int zero = 0;
        put_user(zero, tid);  // futex wake-up comes with futexes
    }
    exit_mm(tsk);
    exit_files(tsk);
    forget_original_parent(tsk);
    // One reference for the last switch away (dropped in finish_task_switch);
    // the parent's wait4 drops the task's own.
    get_task_struct(tsk);
    preempt_disable();
    {
        Guard<IrqSave> guard(tasklist_lock);
        tsk->exit_code = status;
        __atomic_store_n(&tsk->exit_state, unsigned(EXIT_ZOMBIE), __ATOMIC_RELEASE);
    }
    wake_up_all(&child_exit_wait);
    set_current_state(TASK_DEAD);
    schedule_dead();
    __builtin_unreachable();
}

bool wait_matches(const task_struct* child, int pid) { return pid == -1 || pid == 0 || child->pid == pid; }

}  // namespace

void do_exit(long code) {
    task_struct* tsk = current;
    if (tsk->flags & PF_IDLE) panic("Attempted to kill the idle task!");
    tsk->flags |= PF_EXITING;
    if (!(tsk->flags & PF_KTHREAD)) do_exit_process(tsk, int(code));
    tsk->exit_code = int(code);
    preempt_disable();
    set_current_state(TASK_DEAD);
    schedule_dead();
}

// Killed by a signal (a fatal fault, until signal delivery exists): the wait
// status is the signal number, as for any death by signal.
void do_exit_for_signal(int sig) {
    arch_local_irq_enable();
    do_exit(sig & 0x7f);
}

long sys_exit(int error_code) { do_exit((error_code & 0xff) << 8); }

// One thread per process for now (clone with CLONE_THREAD is not there yet),
// so the group's exit is the task's.
long sys_exit_group(int error_code) { do_exit((error_code & 0xff) << 8); }

long sys_wait4(int pid, int __user* stat_addr, int options, rusage __user* ru) {
    if (unsigned(options) & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE)) return -EINVAL;
    if (pid < -1) pid = -pid;  // process groups do not exist yet: every process is its own group leader
    task_struct* self = current;
    for (;;) {
        task_struct* zombie = nullptr;
        bool have_child = false;
        {
            Guard<IrqSave> guard(tasklist_lock);
            for (list_head* pos = self->children.next; pos != &self->children; pos = pos->next) {
                task_struct* c = list_entry(pos, task_struct, sibling);
                if (!wait_matches(c, pid)) continue;
                have_child = true;
                if (__atomic_load_n(&c->exit_state, __ATOMIC_ACQUIRE) == EXIT_ZOMBIE) {
                    zombie = c;
                    break;
                }
            }
        }
        if (!have_child) return -ECHILD;
        if (zombie) {
            int status = zombie->exit_code;
            int zpid = zombie->pid;
            u64 runtime = zombie->se.sum_exec_runtime + zombie->children_runtime;
            if (stat_addr && put_user(status, stat_addr)) return -EFAULT;
            if (ru) {
                rusage r{};
                r.ru_utime.tv_sec = long(runtime / 1000000000);
                r.ru_utime.tv_usec = long(runtime / 1000 % 1000000);
                if (copy_to_user(ru, &r, sizeof(r))) return -EFAULT;
            }
            self->children_runtime += runtime;
            zombie->exit_state = EXIT_DEAD;
            release_task(zombie);
            return zpid;
        }
        if (options & WNOHANG) return 0;
        wait_event(child_exit_wait, ({
                       bool ready = false;
                       Guard<IrqSave> guard(tasklist_lock);
                       for (list_head* pos = self->children.next; pos != &self->children; pos = pos->next) {
                           task_struct* c = list_entry(pos, task_struct, sibling);
                           if (wait_matches(c, pid) && __atomic_load_n(&c->exit_state, __ATOMIC_ACQUIRE))
                               ready = true;
                       }
                       ready;
                   }));
    }
}
