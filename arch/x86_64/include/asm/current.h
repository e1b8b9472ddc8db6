// `current`: the task running on this CPU, kept in a per-CPU variable so it is
// one %gs-relative load (Linux's pcpu_hot.current_task).
#pragma once
#include <asm/percpu.h>

struct task_struct;
extern task_struct* current_task;  // per-CPU

static inline task_struct* get_current() { return this_cpu_read(current_task); }
#define current get_current()
