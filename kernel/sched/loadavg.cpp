// The global load average (Linux's kernel/sched/loadavg.c), in its simplest
// correct form: every LOAD_FREQ the do_timer CPU counts the tasks that are
// running, runnable or in uninterruptible sleep on every CPU and folds the
// count into the three averages. Linux instead folds per-CPU deltas to avoid
// touching every run queue (and to cope with NO_HZ idle); Keel's tick is
// periodic, and reading each run queue's count once every 5 s is cheap.
#include <keel/kernel_stat.h>
#include <keel/loadavg.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <kernel/sched/sched.h>

unsigned long avenrun[3];

namespace {

unsigned long calc_load_update = INITIAL_JIFFIES + LOAD_FREQ;

}  // namespace

unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active) {
    unsigned long newload = load * exp + active * (FIXED_1 - exp);
    if (active >= load) newload += FIXED_1 - 1;  // round up while rising, so a steady load is reached
    return newload / FIXED_1;
}

void get_avenrun(unsigned long* loads, unsigned long offset, int shift) {
    for (int i = 0; i < 3; i++) loads[i] = (__atomic_load_n(&avenrun[i], __ATOMIC_RELAXED) + offset) << shift;
}

unsigned nr_running() {
    unsigned n = 0, cpu;
    for_each_online_cpu(cpu) n += __atomic_load_n(&cpu_rq(int(cpu))->nr_running, __ATOMIC_RELAXED);
    return n;
}

unsigned nr_uninterruptible() {
    unsigned n = 0;
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) {
        task_struct* p = list_entry(pos, task_struct, tasks);
        if (!p->on_rq && (p->__state.load(memory_order::relaxed) & TASK_UNINTERRUPTIBLE) && !p->exit_state) n++;
    }
    return n;
}

unsigned long long nr_context_switches() {
    unsigned long long n = 0;
    unsigned cpu;
    for_each_possible_cpu(cpu) n += __atomic_load_n(&cpu_rq(int(cpu))->nr_switches, __ATOMIC_RELAXED);
    return n;
}

void calc_global_load() {
    unsigned long now = (unsigned long)get_jiffies_64();
    if (long(now - calc_load_update) < 0) return;
    unsigned long active = (unsigned long)(nr_running() + nr_uninterruptible()) * FIXED_1;
    __atomic_store_n(&avenrun[0], calc_load(avenrun[0], EXP_1, active), __ATOMIC_RELAXED);
    __atomic_store_n(&avenrun[1], calc_load(avenrun[1], EXP_5, active), __ATOMIC_RELAXED);
    __atomic_store_n(&avenrun[2], calc_load(avenrun[2], EXP_15, active), __ATOMIC_RELAXED);
    calc_load_update += LOAD_FREQ;
}
