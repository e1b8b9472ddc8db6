// System-wide statistics behind /proc/stat (Linux's include/linux/kernel_stat.h):
// each CPU's time split by what it was doing, charged a tick at a time
// (kernel/sched/cputime.cpp), and the counts of forks and context switches.
#pragma once
#include <keel/percpu.h>
#include <keel/types.h>

enum cpu_usage_stat {
    CPUTIME_USER,
    CPUTIME_NICE,
    CPUTIME_SYSTEM,
    CPUTIME_SOFTIRQ,
    CPUTIME_IRQ,
    CPUTIME_IDLE,
    CPUTIME_IOWAIT,
    CPUTIME_STEAL,
    CPUTIME_GUEST,
    CPUTIME_GUEST_NICE,
    NR_STATS,
};

// Nanoseconds per state, as Linux's kernel_cpustat.
struct kernel_cpustat {
    u64 cpustat[NR_STATS];
};
DECLARE_PER_CPU(kernel_cpustat, kernel_cpustat);
#define kcpustat_cpu(cpu) per_cpu(kernel_cpustat, cpu)

extern unsigned long total_forks;  // processes and threads created since boot (under tasklist_lock)
extern int last_pid;                // the last PID handed out (kernel/fork.cpp)
// Context switches on every CPU since boot (kernel/sched/core.cpp's rq->nr_switches).
unsigned long long nr_context_switches();
// Tasks on run queues (running or runnable) / sleeping uninterruptibly, system-wide.
unsigned nr_running();
unsigned nr_uninterruptible();
