// Creating tasks. A kernel thread gets a task_struct from its slab cache, a
// kernel stack, an FPU state area and a PID, and the scheduler places it
// (sched_fork). A user task (fork/vfork/clone/clone3) also shares or copies
// its creator's address space, files and identity by clone flag, joins its
// creator's thread group with CLONE_THREAD, and starts in user mode with its
// creator's registers and 0 in rax.
//
// Kernel stacks come from vmalloc, as with Linux's VMAP_STACK: every vmalloc
// area is followed by an unmapped guard page, so a stack overflowing into the
// area below faults instead of silently corrupting it; the lowest word holds
// STACK_END_MAGIC, which the scheduler checks on every switch.
#include <asm/fpu.h>
#include <asm/process.h>
#include <asm/uaccess.h>
#include <keel/completion.h>
#include <keel/cred.h>
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/futex.h>
#include <keel/kernel_stat.h>
#include <keel/mm.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <uapi/asm/signal.h>
#include <uapi/linux/sched.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <lib/bitmap.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <new>

list_head task_list;
spinlock_t tasklist_lock;

unsigned long total_forks;
int last_pid;  // the last PID handed out (/proc/loadavg's last field)

namespace {

kmem_cache* task_struct_cachep;
constexpr int PID_MAX_DEFAULT = 32768;
DECLARE_BITMAP(pidmap, PID_MAX_DEFAULT);

// The next free PID after the last one handed out, wrapping past PID_MAX like
// Linux's (PIDs below 300 are kept for early tasks after the first wrap).
int alloc_pid() {
    for (int pass = 0; pass < 2; pass++) {
        int start = pass == 0 ? last_pid + 1 : 300;
        unsigned long pid = find_next_zero_bit(pidmap, PID_MAX_DEFAULT, start);
        if (pid < PID_MAX_DEFAULT) {
            __set_bit(pid, pidmap);
            last_pid = int(pid);
            return int(pid);
        }
    }
    return -EAGAIN;
}

void* alloc_thread_stack() {
    auto* stack = static_cast<unsigned long*>(vmalloc(THREAD_SIZE));
    if (stack) *stack = STACK_END_MAGIC;
    return stack;
}

void free_task(task_struct* p) {
    release_task_signals(p);
    fpu_free_state(p);
    vfree(p->stack);
    kfree(p->kthread);
    if (p->cred) put_cred(p->cred);
    if (p->fs) free_fs_struct(p->fs);
    p->~task_struct();
    kmem_cache_free(task_struct_cachep, p);
}

// A fresh task_struct with its own kernel stack and FPU area (Linux's
// dup_task_struct; there is no parent state to copy for kernel threads).
task_struct* dup_task_struct(const char* name) {
    void* mem = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
    if (!mem) return nullptr;
    auto* p = new (mem) task_struct;
    p->stack = alloc_thread_stack();
    if (!p->stack || !fpu_alloc_state(p)) {
        free_task(p);
        return nullptr;
    }
    strscpy(p->comm, name, sizeof(p->comm));
    return p;
}

// Puts a new task on the task list with a fresh PID, in its parent's family
// and (CLONE_THREAD) in its creator's thread group.
int attach_pid_and_family(task_struct* p, unsigned long long clone_flags) {
    Guard<IrqSave> guard(tasklist_lock);
    int pid = alloc_pid();
    if (pid < 0) return pid;
    task_struct* cur = current;
    p->pid = pid;
    p->start_boottime = u64(ktime_get_boottime());
    total_forks++;
    if (clone_flags & CLONE_THREAD) {
        p->tgid = cur->tgid;
        p->group_leader = cur->group_leader;
        list_add_tail(&p->thread_group, &cur->group_leader->thread_group);
    } else {
        p->tgid = pid;
        p->group_leader = p;
    }
    // Threads and CLONE_PARENT children are siblings of their creator.
    bool sibling = clone_flags & (CLONE_PARENT | CLONE_THREAD);
    p->real_parent = p->parent = sibling && cur->real_parent ? cur->real_parent : cur;
    p->pgrp = cur->pgrp;
    p->session = cur->session;
    // Only a process (its leader) is its parent's child; threads are reached
    // through the leader's thread list.
    if (thread_group_leader(p)) list_add_tail(&p->sibling, &p->real_parent->children);
    list_add_tail(&p->tasks, &task_list);
    return pid;
}

task_struct* copy_process(int (*fn)(void*), void* arg, const char* name) {
    task_struct* p = dup_task_struct(name);
    if (!p) return nullptr;
    p->flags = PF_KTHREAD;
    p->cred = get_cred(&init_cred);
    // Kernel threads share init_fs (Linux starts them with CLONE_FS).
    init_fs.users.fetch_add(1, memory_order::relaxed);
    p->fs = &init_fs;
    cpumask_setall(&p->cpus_mask);
    p->nr_cpus_allowed = NR_CPUS;
    sched_fork(p);
    copy_thread(p, fn, arg);
    if (attach_pid_and_family(p, 0) < 0) {
        free_task(p);
        return nullptr;
    }
    return p;
}

// CLONE_CHILD_SETTID: the child's first act, in its own address space.
int schedule_tail_user(void*) {
    task_struct* p = current;
    if (p->set_child_tid) put_user(p->pid, p->set_child_tid);
    return 0;
}

// Linux's checks, in its order, of flag combinations that make no sense.
int check_clone_flags(const kernel_clone_args* args) {
    unsigned long long f = args->flags;
    // Namespaces, pidfds and cgroups do not exist here (see docs/syscalls.md).
    constexpr unsigned long long unsupported = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
                                               CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME |
                                               CLONE_PIDFD | CLONE_INTO_CGROUP;
    if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)) return -EINVAL;
    if ((f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) return -EINVAL;
    // Threads share signal handlers; shared handlers need a shared address space.
    if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND)) return -EINVAL;
    if ((f & CLONE_SIGHAND) && !(f & CLONE_VM)) return -EINVAL;
    // Init may not make siblings (they would have no parent to reap them).
    if ((f & CLONE_PARENT) && current->group_leader && current->group_leader->pid == 1) return -EINVAL;
    if (f & unsupported) return -EINVAL;
    return 0;
}

// The user half of copy_process: share or copy each resource by flag.
Result<task_struct*> copy_process_user(const kernel_clone_args* args) {
    if (int err = check_clone_flags(args)) return Error{-err};
    unsigned long long f = args->flags;
    task_struct* cur = current;
    task_struct* p = dup_task_struct(cur->comm);
    if (!p) return Error{ENOMEM};
    p->flags = 0;
    p->cpus_mask = cur->cpus_mask;
    p->nr_cpus_allowed = cur->nr_cpus_allowed;
    p->cred = get_cred(current_cred());
    p->exit_signal = f & CLONE_THREAD ? -1 : int(args->exit_signal);
    if ((f & CLONE_PARENT) && !(f & CLONE_THREAD)) p->exit_signal = cur->group_leader->exit_signal;
    p->set_child_tid = f & CLONE_CHILD_SETTID ? args->child_tid : nullptr;
    p->clear_child_tid = f & CLONE_CHILD_CLEARTID ? args->child_tid : nullptr;
    sched_fork(p);
    // Signals: the handlers shared (CLONE_SIGHAND) or copied, the pending
    // queue shared by the thread group (CLONE_THREAD) or new; the mask inherited.
    if (copy_sighand(f, p) || copy_signal(f, p)) {
        free_task(p);
        return Error{ENOMEM};
    }
    copy_signal_task_state(p);
    // Files: one table for all (CLONE_FILES) or a copy sharing every open file.
    if (cur->files) {
        if (f & CLONE_FILES) {
            cur->files->count.fetch_add(1, memory_order::relaxed);
            p->files = cur->files;
        } else if (!(p->files = dup_fd(cur->files))) {
            free_task(p);
            return Error{ENOMEM};
        }
    }
    // Root, working directory and umask: shared (CLONE_FS) or copied.
    if (cur->fs) {
        if (f & CLONE_FS) {
            cur->fs->users.fetch_add(1, memory_order::relaxed);
            p->fs = cur->fs;
        } else if (!(p->fs = copy_fs_struct(cur->fs))) {
            if (p->files) put_files_struct(p->files);
            free_task(p);
            return Error{ENOMEM};
        }
    }
    // The address space: the same one (CLONE_VM) or a copy-on-write copy.
    if (mm_struct* mm = cur->mm) {
        if (f & CLONE_VM) {
            mm->mm_users.fetch_add(1, memory_order::relaxed);
            p->mm = mm;
        } else {
            p->mm = dup_mm(mm);
        }
        p->active_mm = p->mm;
        if (!p->mm) {
            if (p->files) put_files_struct(p->files);
            free_task(p);
            return Error{ENOMEM};
        }
    }
    copy_thread_user(p, schedule_tail_user, args->stack ? args->stack + args->stack_size : 0,
                     f & CLONE_SETTLS, args->tls);
    int pid = attach_pid_and_family(p, f);
    if (pid < 0) {
        if (p->mm) mmput(p->mm);
        if (p->files) put_files_struct(p->files);
        free_task(p);
        return Error{-pid};
    }
    return p;
}

}  // namespace

void fork_init() {
    task_struct_cachep = kmem_cache_create("task_struct", sizeof(task_struct), 64, SLAB_PANIC, nullptr);
    init_task.group_leader = &init_task;
    init_task.cred = &init_cred;
    __set_bit(0, pidmap);  // PID 0: the idle tasks
    list_add_tail(&init_task.tasks, &task_list);
}

int kernel_thread(int (*fn)(void*), void* arg, const char* name) {
    task_struct* p = copy_process(fn, arg, name);
    if (!p) return -ENOMEM;
    int pid = p->pid;
    wake_up_new_task(p);
    return pid;
}

// fork, vfork, clone and clone3 all end here (Linux's kernel_clone): the child
// runs once woken; a vfork parent sleeps until the child has let go of the
// shared address space (exec or exit, mm_release).
long kernel_clone(kernel_clone_args* args) {
    completion vfork;
    Result<task_struct*> r = copy_process_user(args);
    if (r.is_error()) return -r.error();
    task_struct* p = r.value();
    int pid = p->pid;
    if (args->flags & CLONE_PARENT_SETTID) put_user(pid, args->parent_tid);
    if (args->flags & CLONE_VFORK) {
        init_completion(&vfork);
        p->vfork_done = &vfork;
        get_task_struct(p);
    }
    wake_up_new_task(p);
    if (args->flags & CLONE_VFORK) {
        wait_for_completion(&vfork);
        put_task_struct(p);
    }
    return pid;
}

// The task no longer uses its memory (Linux's mm_release): robust locks it
// still holds are marked dead, the thread id word a joiner waits on is cleared
// (and the joiner woken), and a vfork parent may go on.
void mm_release(task_struct* tsk) {
    futex_exit_release(tsk);
    if (int* tid = tsk->clear_child_tid) {
        tsk->clear_child_tid = nullptr;
        int zero = 0;
        if (tsk->mm && tsk->mm->mm_users.load(memory_order::relaxed) > 1 && !put_user(zero, tid))
            futex_wake_tid(tid);
    }
    if (completion* done = tsk->vfork_done) {
        tsk->vfork_done = nullptr;
        complete(done);
    }
}

long sys_fork() {
    kernel_clone_args args{.exit_signal = SIGCHLD};
    return kernel_clone(&args);
}

long sys_vfork() {
    kernel_clone_args args{.flags = CLONE_VFORK | CLONE_VM, .exit_signal = SIGCHLD};
    return kernel_clone(&args);
}

// x86-64's argument order: flags, stack, parent_tid, child_tid, tls. The low
// byte of flags is the exit signal; the stack is the child's new stack top.
long sys_clone(unsigned long clone_flags, unsigned long newsp, int __user* parent_tidptr,
               int __user* child_tidptr, unsigned long tls) {
    kernel_clone_args args{.flags = clone_flags & ~CSIGNAL & 0xffffffffull,
                           .child_tid = child_tidptr,
                           .parent_tid = parent_tidptr,
                           .exit_signal = int(clone_flags & CSIGNAL),
                           .stack = newsp,
                           .tls = tls};
    return kernel_clone(&args);
}

long sys_clone3(clone_args __user* uargs, size_t size) {
    if (size > PAGE_SIZE) return -E2BIG;
    if (size < CLONE_ARGS_SIZE_VER0) return -EINVAL;
    clone_args a{};
    // A larger struct from newer headers is fine as long as what Keel does not
    // know is zero (Linux's copy_struct_from_user).
    if (size > sizeof(a)) {
        for (size_t off = sizeof(a); off < size; off++) {
            char c;
            if (get_user(c, reinterpret_cast<char __user*>(uargs) + off)) return -EFAULT;
            if (c) return -E2BIG;
        }
    }
    if (copy_from_user(&a, uargs, size < sizeof(a) ? size : sizeof(a))) return -EFAULT;
    if (a.set_tid || a.set_tid_size) return -EINVAL;  // choosing PIDs needs pid namespaces
    if (a.exit_signal & ~CSIGNAL || a.exit_signal > 64) return -EINVAL;  // _NSIG
    // A stack is given as base and size, both or neither.
    if ((a.stack == 0) != (a.stack_size == 0)) return -EINVAL;
    if (a.flags & CLONE_CLEAR_SIGHAND && a.flags & CLONE_SIGHAND) return -EINVAL;
    if (a.flags & ~((CLONE_INTO_CGROUP << 1) - 1) & ~CSIGNAL) return -EINVAL;
    if (a.flags & CSIGNAL) return -EINVAL;
    // clone3 says what clone ignores: threads and siblings send no exit signal.
    if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal) return -EINVAL;
    kernel_clone_args args{.flags = a.flags,
                           .child_tid = reinterpret_cast<int*>(a.child_tid),
                           .parent_tid = reinterpret_cast<int*>(a.parent_tid),
                           .exit_signal = int(a.exit_signal),
                           .stack = a.stack,
                           .stack_size = a.stack_size,
                           .tls = a.tls};
    return kernel_clone(&args);
}

task_struct* fork_idle(int cpu) {
    char name[16];
    snprintf(name, sizeof(name), "swapper/%d", cpu);
    task_struct* p = dup_task_struct(name);
    if (!p) return nullptr;
    init_idle(p, cpu);
    return p;
}

task_struct* find_task_by_pid(int pid) {
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) {
        task_struct* p = list_entry(pos, task_struct, tasks);
        if (p->pid == pid) return p;
    }
    return nullptr;
}

void put_task_struct(task_struct* t) {
    if (t->usage.fetch_sub(1, memory_order::acq_rel) == 1) free_task(t);
}

// Code that looked a task up without a reference — a mutex spinner watching its
// owner's on_cpu, a waker on a wait queue — may still be reading it: only after
// a grace period is the task's own reference dropped.
static void delayed_put_task_struct(rcu_head* rhp) { put_task_struct(container_of(rhp, task_struct, rcu)); }

// Takes a dead task off the task list and gives back its PID; the memory goes
// when the last reference does.
void release_task(task_struct* p) {
    {
        Guard<IrqSave> guard(tasklist_lock);
        list_del(&p->tasks);
        list_del(&p->sibling);
        __clear_bit(p->pid, pidmap);
    }
    call_rcu(&p->rcu, delayed_put_task_struct);
}
