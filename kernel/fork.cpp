// Creating tasks. Until processes exist (issue 4) every task is a kernel thread:
// copy_process gives it a task_struct from its slab cache, a kernel stack, an
// FPU state area and a PID, and lets the scheduler place it (sched_fork).
//
// Kernel stacks come from vmalloc, as with Linux's VMAP_STACK: every vmalloc
// area is followed by an unmapped guard page, so a stack overflowing into the
// area below faults instead of silently corrupting it; the lowest word holds
// STACK_END_MAGIC, which the scheduler checks on every switch.
#include <asm/fpu.h>
#include <asm/process.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <lib/bitmap.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <new>

list_head task_list;
spinlock_t tasklist_lock;

namespace {

kmem_cache* task_struct_cachep;
constexpr int PID_MAX_DEFAULT = 32768;
DECLARE_BITMAP(pidmap, PID_MAX_DEFAULT);
int last_pid;

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
    fpu_free_state(p);
    vfree(p->stack);
    kfree(p->kthread);
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

task_struct* copy_process(int (*fn)(void*), void* arg, const char* name) {
    task_struct* p = dup_task_struct(name);
    if (!p) return nullptr;
    p->flags = PF_KTHREAD;
    cpumask_setall(&p->cpus_mask);
    p->nr_cpus_allowed = NR_CPUS;
    sched_fork(p);
    copy_thread(p, fn, arg);
    int pid;
    {
        Guard<IrqSave> guard(tasklist_lock);
        pid = alloc_pid();
        if (pid >= 0) {
            p->pid = p->tgid = pid;
            p->real_parent = p->parent = current;
            list_add_tail(&p->sibling, &current->children);
            list_add_tail(&p->tasks, &task_list);
        }
    }
    if (pid < 0) {
        free_task(p);
        return nullptr;
    }
    return p;
}

}  // namespace

void fork_init() {
    task_struct_cachep = kmem_cache_create("task_struct", sizeof(task_struct), 64, SLAB_PANIC, nullptr);
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
