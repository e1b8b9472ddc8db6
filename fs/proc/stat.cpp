// /proc/stat (Linux's fs/proc/stat.c): CPU time by kind, all CPUs then each,
// in USER_HZ ticks; interrupt counts, total then per IRQ; context switches,
// boot time, forks, running and blocked tasks; softirq counts.
#include "internal.h"
#include <asm/hw_irq.h>
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/kernel_stat.h>
#include <keel/smp.h>
#include <keel/timekeeping.h>
#include <lib/vsprintf.h>

namespace {

constexpr u64 USER_HZ = 100;
constexpr u64 nsec_to_clock_t(u64 ns) { return ns / (NSEC_PER_SEC / USER_HZ); }

// The columns' order, which is not the enum's.
constexpr cpu_usage_stat stat_columns[] = {CPUTIME_USER,    CPUTIME_NICE,    CPUTIME_SYSTEM, CPUTIME_IDLE,
                                           CPUTIME_IOWAIT,  CPUTIME_IRQ,     CPUTIME_SOFTIRQ, CPUTIME_STEAL,
                                           CPUTIME_GUEST,   CPUTIME_GUEST_NICE};

void show_cpu_line(seq_file* m, const char* name, const u64* t) {
    seq_puts(m, name);
    for (cpu_usage_stat i : stat_columns) seq_put_decimal_ull(m, " ", nsec_to_clock_t(t[i]));
    seq_putc(m, '\n');
}

// The architecture's own interrupts on cpu (NMI, LOC, ...), as arch_irq_stat_cpu.
u64 arch_irq_stat_cpu(unsigned cpu) {
    const irq_cpustat_t& s = per_cpu(irq_stat, cpu);
    return u64(s.__nmi_count) + s.apic_timer_irqs + s.irq_spurious_count + s.irq_resched_count + s.irq_call_count +
           s.irq_tlb_count;
}

u64 irq_count(unsigned irq) {
    irq_desc* desc = irq_to_desc(irq);
    u64 sum = 0;
    unsigned cpu;
    for_each_possible_cpu(cpu) sum += desc->kstat_irqs[cpu];
    return sum;
}

int show_stat(seq_file* m, void*) {
    u64 total[NR_STATS] = {};
    u64 irq_sum = 0, softirq_sum = 0;
    u64 softirq_per[NR_SOFTIRQS] = {};
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        for (unsigned i = 0; i < NR_STATS; i++) total[i] += kcpustat_cpu(cpu).cpustat[i];
        irq_sum += arch_irq_stat_cpu(cpu);
        for (unsigned nr = 0; nr < NR_SOFTIRQS; nr++) {
            softirq_per[nr] += kstat_softirqs_cpu(nr, cpu);
            softirq_sum += kstat_softirqs_cpu(nr, cpu);
        }
    }
    for (unsigned irq = 0; irq < NR_IRQS; irq++) irq_sum += irq_count(irq);
    irq_sum += irq_err_count.load(memory_order::relaxed);

    show_cpu_line(m, "cpu ", total);
    for_each_online_cpu(cpu) {
        char name[16];
        snprintf(name, sizeof(name), "cpu%u", cpu);
        show_cpu_line(m, name, kcpustat_cpu(cpu).cpustat);
    }
    seq_put_decimal_ull(m, "intr ", irq_sum);
    for (unsigned irq = 0; irq < NR_IRQS; irq++) seq_put_decimal_ull(m, " ", irq_count(irq));
    s64 boottime = ktime_get_real_seconds() - ktime_get_boottime() / NSEC_PER_SEC;
    unsigned long forks;
    {
        Guard<IrqSave> guard(tasklist_lock);
        forks = total_forks;
    }
    seq_printf(m, "\nctxt %llu\nbtime %lld\nprocesses %lu\nprocs_running %u\nprocs_blocked 0\n",
               nr_context_switches(), (long long)boottime, forks, nr_running());
    seq_put_decimal_ull(m, "softirq ", softirq_sum);
    for (unsigned nr = 0; nr < NR_SOFTIRQS; nr++) seq_put_decimal_ull(m, " ", softirq_per[nr]);
    seq_putc(m, '\n');
    return 0;
}

int proc_stat_init() {
    proc_create_single("stat", 0, nullptr, show_stat);
    return 0;
}
fs_initcall(proc_stat_init);

}  // namespace
