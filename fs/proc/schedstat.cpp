// /proc/schedstat and /proc/sched_debug (Linux's kernel/sched/stats.c and
// debug.c). schedstat is version 15 with the per-CPU sched_info counters
// Linux keeps even with schedstats off: time spent running tasks, time tasks
// waited on the queue, tasks run; the schedstats-only counters are 0, as on
// a Linux with schedstats disabled (its default). Keel has no sched domains,
// so no domain lines. sched_debug is kernel/sched/debug.cpp's dump.
#include "internal.h"
#include <keel/init.h>
#include <keel/jiffies.h>
#include <keel/kernel_stat.h>
#include <keel/smp.h>
#include <kernel/sched/sched.h>

namespace {

int show_schedstat(seq_file* m, void*) {
    seq_printf(m, "version 15\ntimestamp %lu\n", (unsigned long)get_jiffies_64());
    unsigned cpu;
    for_each_online_cpu(cpu) {
        const u64* t = kcpustat_cpu(cpu).cpustat;
        // Run time by the tick's samples (Keel charges time a tick at a time).
        u64 busy = t[CPUTIME_USER] + t[CPUTIME_NICE] + t[CPUTIME_SYSTEM] + t[CPUTIME_IRQ] + t[CPUTIME_SOFTIRQ];
        rq* rq = cpu_rq(int(cpu));
        seq_printf(m, "cpu%u 0 0 0 0 0 0 %llu %llu %lu\n", cpu, (unsigned long long)busy,
                   (unsigned long long)__atomic_load_n(&rq->run_delay, __ATOMIC_RELAXED),
                   __atomic_load_n(&rq->pcount, __ATOMIC_RELAXED));
    }
    return 0;
}

int sched_debug_proc_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return size_t(sched_debug_show(buf, size)); });
    return 0;
}

int proc_schedstat_init() {
    proc_create_single("schedstat", 0, nullptr, show_schedstat);
    proc_create_single("sched_debug", 0444, nullptr, sched_debug_proc_show);
    return 0;
}
fs_initcall(proc_schedstat_init);

}  // namespace
