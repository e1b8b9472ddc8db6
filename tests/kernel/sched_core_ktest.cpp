// The scheduler core with real kernel threads: creation through kthreadd,
// sleeping and waking on wait queues, exit codes through kthread_stop, FPU
// registers surviving context switches, and thousands of threads reaped.
#include <asm/tsc.h>
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/sched.h>
#include <keel/wait.h>
#include <kernel/sched/sched.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

namespace {

int count_tasks_named(const char* comm) {
    int n = 0;
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next)
        n += strcmp(list_entry(pos, task_struct, tasks)->comm, comm) == 0;
    return n;
}

Atomic<bool> started;
int return_arg(void* arg) {
    started.store(true, memory_order::release);
    while (!kthread_should_stop()) yield();
    return int(reinterpret_cast<long>(arg));
}

void kthread_runs_and_stops_with_exit_code(ktest* t) {
    started.store(false, memory_order::relaxed);
    task_struct* k = kthread_run(return_arg, reinterpret_cast<void*>(42L), "ktest-%d", 7);
    KTEST_ASSERT_TRUE(t, k != nullptr);
    // Stopped before it ever ran, a thread returns -EINTR (as in Linux): let it start.
    while (!started.load(memory_order::acquire)) yield();
    KTEST_EXPECT_EQ(t, strcmp(k->comm, "ktest-7"), 0);
    KTEST_EXPECT_TRUE(t, k->parent == kthreadd_task);
    KTEST_EXPECT_GT(t, k->pid, 2);
    KTEST_EXPECT_EQ(t, kthread_stop(k), 42);
}

struct sleeper_state {
    wait_queue_head wq;
    bool go = false;
    completion done;  // on the test's stack: a completion is safe to wait on there
};

int sleeper(void* arg) {
    auto* s = static_cast<sleeper_state*>(arg);
    wait_event(s->wq, s->go);
    complete(&s->done);
    return 0;
}

void wait_queue_wakes_sleeper(ktest* t) {
    sleeper_state s;
    init_completion(&s.done);
    task_struct* k = kthread_run(sleeper, &s, "ktest-sleeper");
    KTEST_ASSERT_TRUE(t, k != nullptr);
    // Let it reach its sleep: on this CPU it needs us to yield, on another it
    // needs time (schedule() would keep us leftmost under CFS).
    for (u64 end = sched_clock() + 500000000; sched_clock() < end;) {
        if (k->__state.load(memory_order::relaxed) == TASK_UNINTERRUPTIBLE) break;
        yield();
    }
    KTEST_EXPECT_EQ(t, k->__state.load(memory_order::relaxed), unsigned(TASK_UNINTERRUPTIBLE));
    KTEST_EXPECT_FALSE(t, completion_done(&s.done));
    s.go = true;
    wake_up(&s.wq);
    wait_for_completion(&s.done);
}

// Each thread keeps its own value in %xmm0 across many switches; eager FPU
// switching must hand each one its own register back. Both run on one CPU, so
// every yield switches between them.
Atomic<int> fpu_started;
int fpu_keeper(void* arg) {
    unsigned long want = reinterpret_cast<unsigned long>(arg), got = 0;
    fpu_started.fetch_add(1, memory_order::release);
    asm volatile("movq %0, %%xmm0" ::"r"(want));
    for (int i = 0; i < 200; i++) {
        yield();
        asm volatile("movq %%xmm0, %0" : "=r"(got));
        if (got != want) return 1;
    }
    while (!kthread_should_stop()) yield();
    return 0;
}

void fpu_state_survives_switches(ktest* t) {
    fpu_started.store(0, memory_order::relaxed);
    task_struct* a = kthread_create(fpu_keeper, reinterpret_cast<void*>(0x1111111111111111ul), "ktest-fpu-a");
    task_struct* b = kthread_create(fpu_keeper, reinterpret_cast<void*>(0x2222222222222222ul), "ktest-fpu-b");
    KTEST_ASSERT_TRUE(t, a && b);
    kthread_bind(a, smp_processor_id());
    kthread_bind(b, smp_processor_id());
    wake_up_process(a);
    wake_up_process(b);
    while (fpu_started.load(memory_order::acquire) < 2) yield();  // stopped before running, a thread returns -EINTR
    KTEST_EXPECT_EQ(t, kthread_stop(a), 0);
    KTEST_EXPECT_EQ(t, kthread_stop(b), 0);
}

Atomic<int> finished;
int count_and_exit(void*) {
    finished.fetch_add(1, memory_order::relaxed);
    return 0;
}

void ten_thousand_kthreads_are_reaped(ktest* t) {
    constexpr int N = 10000, BATCH = 100;
    finished.store(0, memory_order::relaxed);
    for (int started = 0; started < N; started += BATCH) {
        for (int i = 0; i < BATCH; i++) KTEST_ASSERT_TRUE(t, kthread_run(count_and_exit, nullptr, "ktest-many") != nullptr);
        // Wait for the batch, so at most BATCH stacks are alive at once.
        while (finished.load(memory_order::relaxed) < started + BATCH) yield();
    }
    KTEST_EXPECT_EQ(t, finished.load(memory_order::relaxed), N);
    for (int i = 0; i < 100 && count_tasks_named("ktest-many"); i++) yield();  // the last few switch out
    KTEST_EXPECT_EQ(t, count_tasks_named("ktest-many"), 0);
}

// Two threads hand the CPU to each other with yield(); the loop time over the
// number of switches is the cost of one switch (reported, not asserted).
int yielder(void*) {
    while (!kthread_should_stop()) yield();
    return 0;
}

void context_switch_cost(ktest* t) {
    // Both on this CPU, so every yield is a switch between the two.
    unsigned cpu = smp_processor_id();
    cpumask here, all;
    cpumask_clear(&here);
    cpumask_set_cpu(cpu, &here);
    all = current->cpus_mask;
    set_cpus_allowed_ptr(current, &here);
    task_struct* other = kthread_create(yielder, nullptr, "ktest-yield");
    KTEST_ASSERT_TRUE(t, other != nullptr);
    kthread_bind(other, cpu);
    wake_up_process(other);
    u64 switches_before = this_rq()->nr_switches;
    u64 start = sched_clock();
    for (int i = 0; i < 20000; i++) yield();
    u64 ns = sched_clock() - start;
    u64 switches = this_rq()->nr_switches - switches_before;
    kthread_stop(other);
    set_cpus_allowed_ptr(current, &all);
    KTEST_EXPECT_GE(t, switches, 20000ul);
    printk(KERN_INFO "    # context switch: %lu ns (%lu switches in %lu us)\n", (unsigned long)(ns / switches),
           (unsigned long)switches, (unsigned long)(ns / 1000));
}

const ktest_case sched_core_cases[] = {
    KTEST_CASE(kthread_runs_and_stops_with_exit_code),
    KTEST_CASE(wait_queue_wakes_sleeper),
    KTEST_CASE(fpu_state_survives_switches),
    KTEST_CASE(ten_thousand_kthreads_are_reaped),
    KTEST_CASE(context_switch_cost),
    {},
};

}  // namespace

KTEST_SUITE(sched_core, sched_core_cases);
