// CPU-time accounting (Linux's kernel/sched/cputime.c, tick-based, without
// CONFIG_VIRT_CPU_ACCOUNTING): every tick charges TICK_NSEC to the task it
// interrupted, as user time if it interrupted user mode, else as system time.
// The split is a sample, as in Linux; the precise total is the scheduler's
// sum_exec_runtime. The process's CPU interval timers (ITIMER_VIRTUAL,
// ITIMER_PROF) count down by the same ticks, as Linux's check_cpu_itimer
// samples do at tick granularity.
#include <keel/jiffies.h>
#include <keel/kernel_stat.h>
#include <keel/preempt.h>
#include <keel/smp.h>
#include <keel/signal.h>

namespace {

// One CPU interval timer of sig (index ITIMER_VIRTUAL - 1 or ITIMER_PROF - 1)
// has run for a tick; true when it expired (reloaded from its interval, or
// disarmed). Called with siglock held.
bool check_cpu_itimer(signal_struct* sig, int idx) {
    ktime_t& value = sig->it_cpu_value[idx];
    if (value <= 0) return false;
    value -= ktime_t(TICK_NSEC);
    if (value > 0) return false;
    // As Linux: the next expiry is a whole interval after this one, so an
    // interval shorter than a tick fires on every tick rather than catching up.
    ktime_t incr = sig->it_cpu_incr[idx];
    value = incr ? (value + incr > 0 ? value + incr : 1) : 0;
    return true;
}

// The CPU's share of the tick for /proc/stat (Linux's account_user_time,
// account_system_time and account_idle_time): user or nice by the task's
// nice value, hard or soft interrupt by what the tick interrupted (beyond the
// tick's own hardirq level), idle when the idle task was running in it.
void account_cpustat_tick(task_struct* p, int user_tick) {
    u64* cpustat = kcpustat_cpu(smp_processor_id()).cpustat;
    if (user_tick) cpustat[task_nice(p) > 0 ? CPUTIME_NICE : CPUTIME_USER] += TICK_NSEC;
    else if ((preempt_count() & HARDIRQ_MASK) > HARDIRQ_OFFSET) cpustat[CPUTIME_IRQ] += TICK_NSEC;
    else if (in_serving_softirq()) cpustat[CPUTIME_SOFTIRQ] += TICK_NSEC;
    else if (p->flags & PF_IDLE) cpustat[CPUTIME_IDLE] += TICK_NSEC;  // no I/O waits to tell apart yet
    else cpustat[CPUTIME_SYSTEM] += TICK_NSEC;
}

}  // namespace

DEFINE_PER_CPU(kernel_cpustat, kernel_cpustat);

void account_process_tick(task_struct* p, int user_tick) {
    account_cpustat_tick(p, user_tick);
    if (p->flags & PF_IDLE) return;  // idle time is no task's
    if (user_tick) p->utime += TICK_NSEC;
    else p->stime += TICK_NSEC;
    signal_struct* sig = p->signal;
    if (!sig || !p->sighand) return;  // kernel threads have no process timers
    bool virt = false, prof = false;
    {
        Guard<IrqSave> guard(p->sighand->siglock);
        if (user_tick) virt = check_cpu_itimer(sig, 0);  // ITIMER_VIRTUAL: user time only
        prof = check_cpu_itimer(sig, 1);                 // ITIMER_PROF: user and system time
    }
    if (virt) do_send_sig_info(SIGVTALRM, SEND_SIG_PRIV, p, true);
    if (prof) do_send_sig_info(SIGPROF, SEND_SIG_PRIV, p, true);
}

void thread_group_cputime(task_struct* tsk, task_cputime* times) {
    Guard<IrqSave> guard(tasklist_lock);
    signal_struct* sig = tsk->signal;
    *times = {sig->utime, sig->stime, sig->sum_sched_runtime};
    for_each_thread(tsk, t) {
        times->utime += t->utime;
        times->stime += t->stime;
        times->sum_exec_runtime += t->se.sum_exec_runtime;
    }
}
