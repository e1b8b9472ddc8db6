// Scheduler statistics as text (Linux's kernel/sched/debug.c and the table of
// `perf sched latency`): a per-task latency table and a per-CPU run-queue dump
// in /proc/sched_debug's layout. Both write into a caller's buffer, so they can
// back a debug command now and /proc files later. Reads of other CPUs' queues
// are not locked, as in Linux: the figures are a snapshot, not a transaction.
#include <lib/vsprintf.h>
#include "sched.h"

namespace {

// Appends to a fixed buffer, keeping count; output past the end is dropped.
struct seq_buf {
    char* buf;
    size_t size;
    size_t len = 0;
    __printf(2, 3) void printf(const char* fmt, ...) {
        va_list args;
        va_start(args, fmt);
        len += size_t(vscnprintf(buf + len, size - len, fmt, args));
        va_end(args);
    }
};

// ns as milliseconds with three decimals (perf's "%9.3f ms"), without floating point.
struct ms3 {
    unsigned long whole, frac;
    explicit ms3(u64 ns) : whole(ns / 1000000), frac(ns / 1000 % 1000) {}
};
// ns as milliseconds with six decimals (Linux's SPLIT_NS in /proc/sched_debug).
struct ms6 {
    unsigned long whole, frac;
    explicit ms6(u64 ns) : whole(ns / 1000000), frac(ns % 1000000) {}
};

const char* const rule =
    " -----------------------------------------------------------------------------------------------\n";

char task_state_char(const task_struct* p) {
    unsigned state = p->__state.load(memory_order::relaxed);
    if (state == TASK_RUNNING) return 'R';
    if (state & TASK_INTERRUPTIBLE) return 'S';
    if (state & TASK_UNINTERRUPTIBLE) return 'D';
    if (state & __TASK_STOPPED) return 'T';
    if (state & (EXIT_DEAD | EXIT_ZOMBIE | TASK_DEAD)) return 'X';
    return 'N';  // TASK_NEW
}

}  // namespace

// Task | Runtime ms | Switches | Average delay ms | Maximum delay ms, one line
// per task that ran, then the totals: the columns of `perf sched latency`.
int sched_latency_show(char* buf, size_t size) {
    seq_buf m{buf, size};
    m.printf("%s", rule);
    m.printf("  %-22s|%13s  |%9s |%17s |%17s |\n", "Task", "Runtime ms", "Switches", "Average delay ms",
             "Maximum delay ms");
    m.printf("%s", rule);
    u64 total_runtime = 0, total_switches = 0;
    {
        Guard<IrqSave> guard(tasklist_lock);
        task_struct* p;
        list_for_each_entry(p, &task_list, tasks) {
            const sched_statistics& st = p->stats;
            if (!st.nr_switches) continue;
            char name[24];
            scnprintf(name, sizeof(name), "%s:%d", p->comm, p->pid);
            ms3 run(p->se.sum_exec_runtime), avg(st.wait_count ? st.wait_sum / st.wait_count : 0), max(st.wait_max);
            m.printf("  %-22s|%10lu.%03lu ms |%9llu | avg:%8lu.%03lu ms | max:%8lu.%03lu ms |\n", name, run.whole,
                     run.frac, (unsigned long long)st.nr_switches, avg.whole, avg.frac, max.whole, max.frac);
            total_runtime += p->se.sum_exec_runtime;
            total_switches += st.nr_switches;
        }
    }
    m.printf("%s", rule);
    ms3 total(total_runtime);
    m.printf("  %-22s|%10lu.%03lu ms |%9llu |\n", "TOTAL:", total.whole, total.frac,
             (unsigned long long)total_switches);
    m.printf(" ---------------------------------------------------\n");
    return int(m.len);
}

// Per online CPU: the queue's counters, its CFS and RT sub-queues, and every
// task whose CPU it is, with the running one marked '>'.
int sched_debug_show(char* buf, size_t size) {
    seq_buf m{buf, size};
    m.printf("Sched Debug Version: v0.11, keel\n");
    m.printf("sysctl_sched\n");
    m.printf("  .%-30s: %lu.%06lu\n", "sysctl_sched_latency", ms6(sysctl_sched_latency).whole,
             ms6(sysctl_sched_latency).frac);
    m.printf("  .%-30s: %lu.%06lu\n", "sysctl_sched_min_granularity", ms6(sysctl_sched_min_granularity).whole,
             ms6(sysctl_sched_min_granularity).frac);
    m.printf("  .%-30s: %lu.%06lu\n", "sysctl_sched_wakeup_granularity",
             ms6(sysctl_sched_wakeup_granularity).whole, ms6(sysctl_sched_wakeup_granularity).frac);
    m.printf("  .%-30s: %u\n", "sysctl_sched_tunable_scaling", sysctl_sched_tunable_scaling);
    unsigned cpu;
    for_each_cpu(cpu, cpu_online_mask) {
        rq* rq = cpu_rq(int(cpu));
        m.printf("\ncpu#%u\n", cpu);
        m.printf("  .%-30s: %u\n", "nr_running", rq->nr_running);
        m.printf("  .%-30s: %llu\n", "nr_switches", (unsigned long long)rq->nr_switches);
        m.printf("  .%-30s: %d\n", "curr->pid", rq->curr ? rq->curr->pid : -1);
        m.printf("  .%-30s: %lu.%06lu\n", "clock", ms6(rq->clock).whole, ms6(rq->clock).frac);
        m.printf("  .%-30s: %lu\n", "cpu_load", rq->cpu_load);
        m.printf("\ncfs_rq[%u]:/\n", cpu);
        m.printf("  .%-30s: %lu.%06lu\n", "exec_clock", ms6(rq->cfs.exec_clock).whole, ms6(rq->cfs.exec_clock).frac);
        m.printf("  .%-30s: %lld\n", "min_vruntime", (long long)rq->cfs.min_vruntime);
        m.printf("  .%-30s: %u\n", "nr_running", rq->cfs.nr_running);
        m.printf("  .%-30s: %lu\n", "load", rq->cfs.load.weight);
        m.printf("\nrt_rq[%u]:\n", cpu);
        m.printf("  .%-30s: %u\n", "rt_nr_running", rq->rt.rt_nr_running);
        m.printf("\nrunnable tasks:\n");
        m.printf(" S            task   PID         tree-key  switches  prio     wait-time             sum-exec\n");
        m.printf("%s", rule);
        Guard<IrqSave> guard(tasklist_lock);
        task_struct* p;
        list_for_each_entry(p, &task_list, tasks) {
            if (p->cpu != int(cpu)) continue;
            // tree-key is vruntime relative to the queue's floor, so it reads
            // the same whatever value min_vruntime has drifted to.
            s64 key = s64(p->se.vruntime - rq->cfs.min_vruntime);
            m.printf(" %c%c %15s %5d %15lld %9llu %5d %9lu.%06lu %9lu.%06lu\n", rq->curr == p ? '>' : ' ',
                     task_state_char(p), p->comm, p->pid, (long long)key, (unsigned long long)p->stats.nr_switches,
                     p->prio, ms6(p->stats.wait_sum).whole, ms6(p->stats.wait_sum).frac,
                     ms6(p->se.sum_exec_runtime).whole, ms6(p->se.sum_exec_runtime).frac);
        }
    }
    return int(m.len);
}
