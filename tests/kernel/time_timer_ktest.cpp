// Timer-wheel timers and delayed work in the running kernel: timers fire in
// expiry order and never before their jiffy, on the CPU they were added on;
// deleted timers do not fire; mod_timer moves a pending timer; del_timer_sync
// waits for a running function; delayed work runs in a kworker after its
// delay, and can be re-timed and cancelled.
#include <asm/processor.h>
#include <keel/delay.h>
#include <keel/jiffies.h>
#include <keel/sched.h>
#include <keel/tick.h>
#include <keel/timer.h>
#include <keel/workqueue.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

namespace {

constexpr int NR_PROBES = 6;
Atomic<int> fire_seq{0};

struct probe {
    timer_list timer;
    Atomic<int> fired{0};
    int order = -1;              // position among the probes that fired
    unsigned long fired_at = 0;  // jiffies when it ran
    int cpu = -1;
};

void probe_fn(timer_list* t) {
    probe* p = from_timer(p, t, timer);
    p->fired_at = jiffies;
    p->cpu = int(smp_processor_id());
    p->order = fire_seq.fetch_add(1, memory_order::relaxed);
    p->fired.fetch_add(1, memory_order::release);
}

bool wait_fired(probe* p, unsigned long timeout) {
    unsigned long end = jiffies + timeout;
    while (!p->fired.load(memory_order::acquire)) {
        if (long(jiffies - end) > 0) return false;
        msleep(4);
    }
    return true;
}

// Delays 40..5 jiffies, added longest first: they must run shortest first.
void timers_fire_in_order_and_not_early(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    probe probes[NR_PROBES];
    fire_seq.store(0, memory_order::relaxed);
    unsigned long start = jiffies;
    for (int i = 0; i < NR_PROBES; i++) {
        timer_setup(&probes[i].timer, probe_fn, 0);
        probes[i].timer.expires = start + 5 + 7ul * unsigned(NR_PROBES - 1 - i);
        add_timer(&probes[i].timer);
    }
    for (probe& p : probes) KTEST_ASSERT_TRUE(t, wait_fired(&p, 2 * HZ));
    for (int i = 0; i < NR_PROBES; i++) {
        KTEST_EXPECT_GE(t, long(probes[i].fired_at - probes[i].timer.expires), 0l);  // never early
        KTEST_EXPECT_EQ(t, probes[i].order, NR_PROBES - 1 - i);
        KTEST_EXPECT_FALSE(t, timer_pending(&probes[i].timer));
    }
}

void deleted_and_moved_timers(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    probe gone, moved;
    timer_setup(&gone.timer, probe_fn, 0);
    timer_setup(&moved.timer, probe_fn, 0);
    gone.timer.expires = jiffies + 3;
    add_timer(&gone.timer);
    KTEST_EXPECT_TRUE(t, timer_pending(&gone.timer));
    KTEST_EXPECT_TRUE(t, del_timer(&gone.timer));
    KTEST_EXPECT_FALSE(t, del_timer(&gone.timer));  // no longer pending
    KTEST_EXPECT_FALSE(t, mod_timer(&moved.timer, jiffies + 10 * HZ));  // was not pending
    unsigned long soon = jiffies + 4;
    KTEST_EXPECT_TRUE(t, mod_timer(&moved.timer, soon));  // pulled in from 10 s
    KTEST_ASSERT_TRUE(t, wait_fired(&moved, HZ));
    KTEST_EXPECT_GE(t, long(moved.fired_at - soon), 0l);
    msleep(40);
    KTEST_EXPECT_EQ(t, gone.fired.load(memory_order::acquire), 0);
}

// add_timer_on runs the function on the chosen CPU.
void timer_runs_on_its_cpu(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    probe probes[NR_CPUS];
    unsigned cpu;
    for_each_online_cpu(cpu) {
        timer_setup(&probes[cpu].timer, probe_fn, 0);
        probes[cpu].timer.expires = jiffies + 2;
        add_timer_on(&probes[cpu].timer, int(cpu));
    }
    for_each_online_cpu(cpu) {
        KTEST_ASSERT_TRUE(t, wait_fired(&probes[cpu], HZ));
        KTEST_EXPECT_EQ(t, probes[cpu].cpu, int(cpu));
    }
}

struct slow_timer {
    timer_list timer;
    Atomic<int> state{0};  // 1 while the function runs, 2 once it returned
};

void slow_fn(timer_list* t) {
    slow_timer* s = from_timer(s, t, timer);
    s->state.store(1, memory_order::release);
    mdelay(20);  // a busy function: del_timer_sync must wait for it
    s->state.store(2, memory_order::release);
}

void del_timer_sync_waits_for_the_function(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    slow_timer s;
    timer_setup(&s.timer, slow_fn, 0);
    // On another CPU if there is one, so this one can watch it run.
    int other = num_online_cpus() > 1 ? int(cpumask_next(int(smp_processor_id()), cpu_online_mask)) : -1;
    if (other >= int(NR_CPUS)) other = int(cpumask_first(cpu_online_mask));
    s.timer.expires = jiffies + 1;
    if (other >= 0 && other != int(smp_processor_id())) {
        add_timer_on(&s.timer, other);
        while (s.state.load(memory_order::acquire) == 0) cpu_relax();
        del_timer_sync(&s.timer);
        KTEST_EXPECT_EQ(t, s.state.load(memory_order::acquire), 2);
    } else {
        add_timer(&s.timer);
        while (s.state.load(memory_order::acquire) != 2) msleep(4);
        KTEST_EXPECT_FALSE(t, del_timer_sync(&s.timer));
    }
}

struct dw_probe {
    delayed_work dwork;
    Atomic<int> runs{0};
    unsigned long ran_at = 0;
    bool in_kworker = false;
};

void dw_fn(work_struct* w) {
    dw_probe* p = container_of(to_delayed_work(w), dw_probe, dwork);
    p->ran_at = jiffies;
    p->in_kworker = strncmp(current->comm, "kworker/", 8) == 0;
    msleep(1);  // it is work: it may sleep
    p->runs.fetch_add(1, memory_order::release);
}

void delayed_work_runs_after_its_delay(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    dw_probe p;
    INIT_DELAYED_WORK(&p.dwork, dw_fn);
    unsigned long queued = jiffies;
    KTEST_EXPECT_TRUE(t, schedule_delayed_work(&p.dwork, 10));
    KTEST_EXPECT_FALSE(t, schedule_delayed_work(&p.dwork, 1));  // already pending
    msleep(100);
    flush_delayed_work(&p.dwork);
    KTEST_EXPECT_EQ(t, p.runs.load(memory_order::acquire), 1);
    KTEST_EXPECT_GE(t, long(p.ran_at - queued), 10l);
    KTEST_EXPECT_TRUE(t, p.in_kworker);
}

void delayed_work_can_be_retimed_and_cancelled(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    dw_probe p;
    INIT_DELAYED_WORK(&p.dwork, dw_fn);
    KTEST_EXPECT_TRUE(t, schedule_delayed_work(&p.dwork, 10 * HZ));
    unsigned long retimed = jiffies;
    KTEST_EXPECT_TRUE(t, mod_delayed_work_on(int(smp_processor_id()), system_wq, &p.dwork, 5));
    flush_delayed_work(&p.dwork);
    msleep(40);
    KTEST_EXPECT_EQ(t, p.runs.load(memory_order::acquire), 1);
    KTEST_EXPECT_LT(t, long(p.ran_at - retimed), long(HZ));  // not after 10 s

    dw_probe q;
    INIT_DELAYED_WORK(&q.dwork, dw_fn);
    KTEST_EXPECT_TRUE(t, schedule_delayed_work(&q.dwork, 5));
    KTEST_EXPECT_TRUE(t, cancel_delayed_work_sync(&q.dwork));
    KTEST_EXPECT_FALSE(t, cancel_delayed_work_sync(&q.dwork));
    msleep(60);
    KTEST_EXPECT_EQ(t, q.runs.load(memory_order::acquire), 0);
    KTEST_EXPECT_FALSE(t, work_pending(&q.dwork.work));
}

const ktest_case time_timer_cases[] = {
    KTEST_CASE(timers_fire_in_order_and_not_early),
    KTEST_CASE(deleted_and_moved_timers),
    KTEST_CASE(timer_runs_on_its_cpu),
    KTEST_CASE(del_timer_sync_waits_for_the_function),
    KTEST_CASE(delayed_work_runs_after_its_delay),
    KTEST_CASE(delayed_work_can_be_retimed_and_cancelled),
    {},
};

}  // namespace

KTEST_SUITE(time_timer, time_timer_cases);
