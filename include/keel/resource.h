// Resource limits as the rest of the kernel checks them (Linux's
// include/linux/sched/signal.h task_rlimit/rlimit). The limits live in the
// process's signal_struct (keel/signal.h); kernel/sys.cpp sets them.
#pragma once
#include <uapi/linux/resource.h>

struct task_struct;

// The soft limit of `resource` for tsk's process; a kernel thread has the defaults.
unsigned long task_rlimit(const task_struct* tsk, unsigned resource);
// Linux's INIT_RLIMITS, for the first process.
void init_rlimits(rlimit64* rlim);
