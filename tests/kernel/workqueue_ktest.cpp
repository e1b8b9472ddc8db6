// Workqueues in the running kernel: items run in kworker threads, may sleep
// without holding up the items behind them, run once however often they are
// queued while pending, and can be flushed and cancelled.
#include <asm/irqflags.h>
#include <keel/delay.h>
#include <keel/jiffies.h>
#include <keel/sched.h>
#include <keel/tick.h>
#include <keel/workqueue.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

namespace {

struct test_work {
    work_struct work;
    Atomic<int> runs{0};
    bool in_kworker = false;
    bool saw_current_work = false;
    int cpu = -1;
    unsigned sleep_ms = 0;
};

void test_work_fn(work_struct* w) {
    auto* tw = container_of(w, test_work, work);
    tw->in_kworker = strncmp(current->comm, "kworker/", 8) == 0;
    tw->saw_current_work = current_work() == w;
    tw->cpu = int(smp_processor_id());
    if (tw->sleep_ms) msleep(tw->sleep_ms);  // work items may sleep
    tw->runs.fetch_add(1, memory_order::release);
}

// The other cases flush, which waits forever without workers: check first
// that one runs an item at all (init_workqueues).
bool workers_running(ktest* t) {
    static bool checked, running;
    if (checked) return running;
    checked = true;
    static test_work probe;
    INIT_WORK(&probe.work, test_work_fn);
    schedule_work(&probe.work);
    unsigned long deadline = jiffies + 5 * HZ;
    while (!probe.runs.load(memory_order::acquire) && time_before(jiffies, deadline)) yield();
    running = probe.runs.load(memory_order::acquire);
    if (!running) ktest_fail(t, __FILE__, __LINE__, "no kworker ran a work item within 5 s (init_workqueues?)");
    return running;
}

void work_runs_in_kworker_and_may_sleep(ktest* t) {
    if (!ktest_clocks_running(t) || !workers_running(t)) return;
    test_work tw;
    INIT_WORK(&tw.work, test_work_fn);
    tw.sleep_ms = 20;
    KTEST_EXPECT_TRUE(t, schedule_work(&tw.work));
    KTEST_EXPECT_TRUE(t, flush_work(&tw.work));
    KTEST_EXPECT_EQ(t, tw.runs.load(memory_order::acquire), 1);
    KTEST_EXPECT_TRUE(t, tw.in_kworker);
    KTEST_EXPECT_TRUE(t, tw.saw_current_work);
    KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
    KTEST_EXPECT_FALSE(t, flush_work(&tw.work));  // nothing to wait for
    KTEST_EXPECT_EQ(t, current_work(), nullptr);
}

void queue_work_on_each_cpu(ktest* t) {
    if (!ktest_clocks_running(t) || !workers_running(t)) return;
    static test_work works[NR_CPUS];
    unsigned cpu;
    for_each_online_cpu(cpu) {
        INIT_WORK(&works[cpu].work, test_work_fn);
        works[cpu].sleep_ms = 0;
        works[cpu].runs.store(0, memory_order::relaxed);
        KTEST_EXPECT_TRUE(t, queue_work_on(int(cpu), system_wq, &works[cpu].work));
    }
    flush_workqueue(system_wq);
    for_each_online_cpu(cpu) {
        KTEST_EXPECT_EQ(t, works[cpu].runs.load(memory_order::acquire), 1);
        KTEST_EXPECT_EQ(t, works[cpu].cpu, int(cpu));
    }
}

void sleeping_item_does_not_block_the_next(ktest* t) {
    if (!ktest_clocks_running(t) || !workers_running(t)) return;
    test_work slow, fast;
    INIT_WORK(&slow.work, test_work_fn);
    INIT_WORK(&fast.work, test_work_fn);
    slow.sleep_ms = 400;
    int cpu = int(smp_processor_id());
    unsigned long start = jiffies;
    KTEST_EXPECT_TRUE(t, queue_work_on(cpu, system_wq, &slow.work));
    KTEST_EXPECT_TRUE(t, queue_work_on(cpu, system_wq, &fast.work));
    flush_work(&fast.work);
    unsigned long fast_done = jiffies;
    KTEST_EXPECT_EQ(t, fast.runs.load(memory_order::acquire), 1);
    KTEST_EXPECT_EQ(t, slow.runs.load(memory_order::acquire), 0);  // still asleep
    KTEST_EXPECT_LT(t, fast_done - start, 200 * HZ / 1000);
    flush_work(&slow.work);
    KTEST_EXPECT_EQ(t, slow.runs.load(memory_order::acquire), 1);
}

void pending_work_is_queued_once_and_cancellable(ktest* t) {
    if (!ktest_clocks_running(t) || !workers_running(t)) return;
    test_work tw;
    INIT_WORK(&tw.work, test_work_fn);
    workqueue_struct* wq = alloc_workqueue("ktest_wq", 0, 0);
    KTEST_ASSERT_TRUE(t, wq != nullptr);
    int cpu = int(smp_processor_id());
    bool again;
    {
        // Both queueings before any worker can look: IRQs off on this CPU.
        unsigned long flags = arch_local_irq_save();
        KTEST_EXPECT_TRUE(t, queue_work_on(cpu, wq, &tw.work));
        again = queue_work_on(cpu, wq, &tw.work);
        arch_local_irq_restore(flags);
    }
    KTEST_EXPECT_FALSE(t, again);  // already pending: not queued twice
    // Either cancelled while pending (then it never runs) or it ran once.
    bool cancelled = cancel_work_sync(&tw.work);
    KTEST_EXPECT_FALSE(t, work_pending(&tw.work));
    flush_workqueue(wq);
    KTEST_EXPECT_EQ(t, tw.runs.load(memory_order::acquire), cancelled ? 0 : 1);

    tw.runs.store(0, memory_order::relaxed);
    KTEST_EXPECT_TRUE(t, queue_work(wq, &tw.work));
    flush_workqueue(wq);
    KTEST_EXPECT_EQ(t, tw.runs.load(memory_order::acquire), 1);
    KTEST_EXPECT_FALSE(t, cancel_work_sync(&tw.work));  // nothing pending
    destroy_workqueue(wq);
}

const ktest_case workqueue_cases[] = {
    KTEST_CASE(work_runs_in_kworker_and_may_sleep),
    KTEST_CASE(queue_work_on_each_cpu),
    KTEST_CASE(sleeping_item_does_not_block_the_next),
    KTEST_CASE(pending_work_is_queued_once_and_cancellable),
    {},
};

}  // namespace

KTEST_SUITE(workqueue, workqueue_cases);
