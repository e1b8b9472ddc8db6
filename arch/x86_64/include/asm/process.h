// The architecture half of creating and switching tasks.
#pragma once

struct task_struct;

// Prepares p's kernel stack so that the first switch to it runs fn(arg) through
// ret_from_fork.
void copy_thread(task_struct* p, int (*fn)(void*), void* arg);
// Switches from prev to next; returns, in the task switched back to later, the
// task that was running just before it.
task_struct* switch_to(task_struct* prev, task_struct* next);
