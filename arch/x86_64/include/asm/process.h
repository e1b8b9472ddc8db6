// The architecture half of creating and switching tasks.
#pragma once

struct task_struct;

// Prepares p's kernel stack so that the first switch to it runs fn(arg) through
// ret_from_fork.
void copy_thread(task_struct* p, int (*fn)(void*), void* arg);
// A user task's first frame (fork/clone): the parent's user registers with 0 in
// rax, on `sp` if non-zero (clone's stack), with FS base `tls` if settls. The
// first switch to it runs `first(nullptr)` in the child (its CLONE_CHILD_SETTID
// write), then returns to user mode.
void copy_thread_user(task_struct* p, int (*first)(void*), unsigned long sp, bool settls, unsigned long tls);
// Switches from prev to next; returns, in the task switched back to later, the
// task that was running just before it.
task_struct* switch_to(task_struct* prev, task_struct* next);
