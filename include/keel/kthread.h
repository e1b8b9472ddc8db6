// Kernel threads. kthread_create asks kthreadd (PID 2) to make the thread, as in
// Linux, so every kernel thread is kthreadd's child; the new thread sleeps until
// woken (kthread_run wakes it at once).
#pragma once
#include <keel/compiler.h>
#include <keel/sched.h>

task_struct* kthread_create_on_node(int (*threadfn)(void* data), void* data, int node, const char* namefmt,
                                    ...) __printf(4, 5);
#define kthread_create(threadfn, data, namefmt, ...) \
    kthread_create_on_node((threadfn), (data), -1, (namefmt), ##__VA_ARGS__)
// Creates the thread bound to `cpu`; "%u" in namefmt becomes the CPU number.
task_struct* kthread_create_on_cpu(int (*threadfn)(void* data), void* data, unsigned cpu, const char* namefmt);
#define kthread_run(threadfn, data, namefmt, ...)                                   \
    ({                                                                              \
        task_struct* __k = kthread_create((threadfn), (data), (namefmt), ##__VA_ARGS__); \
        if (__k) wake_up_process(__k);                                              \
        __k;                                                                        \
    })
void kthread_bind(task_struct* p, unsigned cpu);
bool kthread_should_stop();
// Tells the thread to stop, waits for it to exit and returns its exit code.
int kthread_stop(task_struct* k);
// C linkage: ret_from_fork calls it when a thread function returns.
extern "C" [[noreturn]] void kthread_exit(long result);
// Starts kthreadd; called from rest_init.
int kthreadd(void* unused);
extern task_struct* kthreadd_task;
