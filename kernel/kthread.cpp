// Kernel threads, made the Linux way: kthread_create() queues a request and
// wakes kthreadd (PID 2), which creates the thread, so every kernel thread has
// kthreadd as its parent and starts from a clean context. The new thread runs
// kthread(), which reports back and sleeps until someone wakes it (kthread_run),
// then calls the thread function.
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <keel/wait.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <new>

// Per-thread state that outlives the thread (kthread_stop reads the result).
struct kthread {
    bool should_stop = false;
    bool exited = false;
    long result = 0;
    wait_queue_head exited_wait;
};

task_struct* kthreadd_task;

namespace {

// Lives on the creator's stack. The creator may return the moment it sees the
// thread's answer, so the answer is signalled with a completion, whose waiter
// cannot return before complete() has let go of it.
struct kthread_create_info {
    int (*threadfn)(void* data);
    void* data;
    char name[16];
    task_struct* result = nullptr;
    completion done;
    list_head list;
};

list_head kthread_create_list;
spinlock_t kthread_create_lock;

int kthread_fn(void* arg) {
    auto* create = static_cast<kthread_create_info*>(arg);
    int (*threadfn)(void*) = create->threadfn;
    void* data = create->data;
    auto* self = static_cast<kthread*>(kmalloc(sizeof(kthread), GFP_KERNEL));
    if (self) current->kthread = new (self) kthread;
    // Sleep before reporting, so the creator's wake_up_process starts us.
    __set_current_state(TASK_UNINTERRUPTIBLE);
    create->result = self ? current : nullptr;
    complete(&create->done);  // last touch of *create
    if (!self) do_exit(-ENOMEM);
    schedule();
    int ret = -EINTR;
    if (!self->should_stop) ret = threadfn(data);
    kthread_exit(ret);
}

void create_kthread(kthread_create_info* create) {
    int pid = kernel_thread(kthread_fn, create, create->name);
    if (pid < 0) complete(&create->done);  // result stays nullptr
}

}  // namespace

int kthreadd(void*) {
    for (;;) {
        // Checked unlocked: a request queued after the check finds us already
        // TASK_INTERRUPTIBLE, so its wake_up_process is not lost.
        set_current_state(TASK_INTERRUPTIBLE);
        if (list_empty(&kthread_create_list)) schedule();
        __set_current_state(TASK_RUNNING);
        for (;;) {
            kthread_create_info* create;
            {
                Guard<IrqSave> guard(kthread_create_lock);
                if (list_empty(&kthread_create_list)) break;
                create = list_first_entry(&kthread_create_list, kthread_create_info, list);
                list_del_init(&create->list);
            }
            create_kthread(create);
        }
    }
}

task_struct* kthread_create_on_node(int (*threadfn)(void*), void* data, int, const char* namefmt, ...) {
    kthread_create_info create;
    create.threadfn = threadfn;
    create.data = data;
    init_completion(&create.done);
    va_list args;
    va_start(args, namefmt);
    vscnprintf(create.name, sizeof(create.name), namefmt, args);
    va_end(args);
    {
        Guard<IrqSave> guard(kthread_create_lock);
        list_add_tail(&create.list, &kthread_create_list);
    }
    wake_up_process(kthreadd_task);
    wait_for_completion(&create.done);
    return create.result;
}

task_struct* kthread_create_on_cpu(int (*threadfn)(void*), void* data, unsigned cpu, const char* namefmt) {
    task_struct* p = kthread_create_on_node(threadfn, data, -1, namefmt, cpu);
    if (p) kthread_bind(p, cpu);
    return p;
}

void kthread_bind(task_struct* p, unsigned cpu) {
    cpumask mask;
    cpumask_clear(&mask);
    cpumask_set_cpu(cpu, &mask);
    set_cpus_allowed_ptr(p, &mask);
    p->flags |= PF_NO_SETAFFINITY;
}

bool kthread_should_stop() { return current->kthread && current->kthread->should_stop; }

int kthread_stop(task_struct* k) {
    get_task_struct(k);
    kthread* kt = k->kthread;
    kt->should_stop = true;
    wake_up_process(k);
    wait_event(kt->exited_wait, kt->exited);
    int ret = int(kt->result);
    put_task_struct(k);
    return ret;
}

void kthread_exit(long result) {
    if (kthread* self = current->kthread) {
        self->result = result;
        self->exited = true;
        wake_up_all(&self->exited_wait);
    }
    do_exit(result);
}
