// The scheduling classes on the real machine: CFS shares by weight, RT
// preemption, FIFO and RR behaviour, with kernel threads pinned to CPU 0 and
// the timer tick driving preemption. The test thread itself sleeps on a wait
// queue while they run, so it does not compete. Durations are wall-clock
// (sched_clock), so a kernel without a working tick fails these rather than
// hanging.
#include <asm/hw_irq.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/delay.h>
#include <keel/jiffies.h>
#include <keel/kthread.h>
#include <keel/preempt.h>
#include <keel/sched.h>
#include <keel/wait.h>
#include <kernel/sched/sched.h>
#include <tests/kernel/ktest.h>

namespace {

constexpr u64 MSEC = 1000000;

wait_queue_head done_wq;
Atomic<int> done;

void finish() {
    done.fetch_add(1, memory_order::release);
    wake_up_all(&done_wq);
}

void wait_for(int n) { wait_event(done_wq, done.load(memory_order::acquire) >= n); }

task_struct* start_on_cpu0(int (*fn)(void*), void* arg, const char* name, unsigned policy, int prio_or_nice) {
    task_struct* k = kthread_create(fn, arg, "%s", name);
    if (!k) return nullptr;
    kthread_bind(k, 0);
    if (policy == SCHED_NORMAL) set_user_nice(k, prio_or_nice);
    else sched_setscheduler_nocheck(k, policy, prio_or_nice);
    return k;
}

// Waking an RT thread preempts this (CFS) test thread at once, as on Linux:
// wake both before either may run, or the second would wait for the first.
void wake_both(task_struct* first, task_struct* second) {
    preempt_disable();
    wake_up_process(first);
    wake_up_process(second);
    preempt_enable();
}

void idle_until_stopped() {
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!kthread_should_stop()) schedule();
        __set_current_state(TASK_RUNNING);
    }
}

// Time-slicing needs scheduler_tick from the timer interrupt, which charges the
// running task (update_curr). Until the timer is wired up the sliced cases
// would hang behind a spinning thread, so they report themselves skipped.
bool tick_is_running() {
    u64 before = current->se.sum_exec_runtime;
    u64 end = sched_clock() + 12 * MSEC;  // three ticks at HZ=250
    while (sched_clock() < end) cpu_relax();
    if (current->se.sum_exec_runtime != before) return true;
    printk(KERN_INFO "    # SKIP: no scheduler tick (timer interrupt not running)\n");
    return false;
}

// ---- CFS: two CPU-bound threads at nice 0 and nice 5 share by 1024:335 ---------

struct spinner {
    u64 deadline;
    u64 runtime;  // its CPU time when it first saw the deadline pass
};

int spin_until_deadline(void* arg) {
    auto* s = static_cast<spinner*>(arg);
    while (sched_clock() < s->deadline) cpu_relax();
    s->runtime = current->se.sum_exec_runtime;
    finish();
    idle_until_stopped();
    return 0;
}

void nice_weights_share_one_cpu(ktest* t) {
    if (!tick_is_running()) return;
    done.store(0, memory_order::relaxed);
    u64 deadline = sched_clock() + 1000 * MSEC;
    spinner s0{deadline, 0}, s5{deadline, 0};
    task_struct* a = start_on_cpu0(spin_until_deadline, &s0, "ktest-nice0", SCHED_NORMAL, 0);
    task_struct* b = start_on_cpu0(spin_until_deadline, &s5, "ktest-nice5", SCHED_NORMAL, 5);
    KTEST_ASSERT_TRUE(t, a && b);
    wake_both(a, b);
    wait_for(2);
    kthread_stop(a);
    kthread_stop(b);
    KTEST_ASSERT_TRUE(t, s5.runtime > 0);
    // 1024/335 = 3.057; within 5%: 2.904 .. 3.210, in thousandths.
    u64 ratio = s0.runtime * 1000 / s5.runtime;
    printk(KERN_INFO "    # nice 0 : nice 5 = %llu : %llu us (ratio %llu.%03llu, want 3.057)\n",
           (unsigned long long)(s0.runtime / 1000), (unsigned long long)(s5.runtime / 1000),
           (unsigned long long)(ratio / 1000), (unsigned long long)(ratio % 1000));
    KTEST_EXPECT_GE(t, ratio, 2904u);
    KTEST_EXPECT_LE(t, ratio, 3210u);
}

// ---- RT preempts CFS at once ----------------------------------------------------

Atomic<bool> rt_ran;

int note_and_exit(void*) {
    rt_ran.store(true, memory_order::release);
    idle_until_stopped();
    return 0;
}

void rt_preempts_cfs_at_once(ktest* t) {
    rt_ran.store(false, memory_order::relaxed);
    task_struct* k = kthread_create(note_and_exit, nullptr, "ktest-rt");
    KTEST_ASSERT_TRUE(t, k != nullptr);
    sched_setscheduler_nocheck(k, SCHED_FIFO, 50);
    // kthread_create returns once the thread has announced itself; it may still
    // be on its way into schedule() on another CPU, and a bind then moves it
    // only after that CPU switches away from it — later, not at once. Linux's
    // kthread_bind waits for that itself (wait_task_inactive); Keel's does not
    // yet (docs/tasks.md), so the test waits.
    while (__atomic_load_n(&k->on_cpu, __ATOMIC_ACQUIRE) || __atomic_load_n(&k->on_rq, __ATOMIC_ACQUIRE)) msleep(1);
    preempt_disable();  // stay on this CPU between choosing it and waking k there
    kthread_bind(k, smp_processor_id());
    wake_up_process(k);
    KTEST_EXPECT_FALSE(t, rt_ran.load(memory_order::acquire));  // not while we cannot be preempted
    preempt_enable();
    // The preemption point above ran it: no tick, no sleep in between.
    KTEST_EXPECT_TRUE(t, rt_ran.load(memory_order::acquire));
    kthread_stop(k);
}

// ---- FIFO runs until it blocks, whatever CFS wants ---------------------------------

Atomic<unsigned long> cfs_loops;
Atomic<bool> cfs_stop;

int count_loops(void*) {
    while (!cfs_stop.load(memory_order::acquire)) cfs_loops.fetch_add(1, memory_order::relaxed);
    finish();
    idle_until_stopped();
    return 0;
}

struct fifo_result {
    unsigned long loops_before, loops_after;
};

int fifo_spin_200ms(void* arg) {
    auto* r = static_cast<fifo_result*>(arg);
    r->loops_before = cfs_loops.load(memory_order::relaxed);
    u64 end = sched_clock() + 200 * MSEC;  // 50 ticks: the tick never takes the CPU from it
    while (sched_clock() < end) cpu_relax();
    r->loops_after = cfs_loops.load(memory_order::relaxed);
    finish();
    idle_until_stopped();  // blocks: now CFS may run
    return 0;
}

void fifo_runs_until_it_blocks(ktest* t) {
    if (!tick_is_running()) return;
    done.store(0, memory_order::relaxed);
    cfs_loops.store(0, memory_order::relaxed);
    cfs_stop.store(false, memory_order::relaxed);
    fifo_result r{};
    task_struct* c = start_on_cpu0(count_loops, nullptr, "ktest-cfs", SCHED_NORMAL, 0);
    task_struct* f = start_on_cpu0(fifo_spin_200ms, &r, "ktest-fifo", SCHED_FIFO, 10);
    KTEST_ASSERT_TRUE(t, c && f);
    wake_both(c, f);
    wait_for(1);
    unsigned long after_fifo = cfs_loops.load(memory_order::relaxed);
    KTEST_EXPECT_EQ(t, r.loops_after, r.loops_before);  // CFS never ran while FIFO did
    msleep(40);  // the test thread woke ahead of the CFS thread: now let it run
    cfs_stop.store(true, memory_order::release);
    wait_for(2);
    KTEST_EXPECT_GT(t, cfs_loops.load(memory_order::relaxed), after_fifo);  // and ran once it blocked
    kthread_stop(f);
    kthread_stop(c);
}

// ---- two RR threads of one priority alternate every 100 ms --------------------------
//
// Measured in CPU 0's local timer interrupts, not on the clock: RR counts ticks
// (as Linux does), and when the host deschedules this virtual CPU ticks arrive
// late, so a slice of 25 ticks can last far longer than 100 ms of wall time.

constexpr int MAX_TURNS = 64;
constexpr unsigned long RR_SLICE_TICKS = 100 * HZ / 1000;  // Linux's RR_TIMESLICE
Atomic<int> turns;
int turn_owner[MAX_TURNS];
unsigned long turn_start[MAX_TURNS];

unsigned long cpu0_ticks() { return __atomic_load_n(&per_cpu(irq_stat, 0).apic_timer_irqs, __ATOMIC_RELAXED); }

int rr_spin(void* arg) {
    int me = int(reinterpret_cast<long>(arg));
    unsigned long end = cpu0_ticks() + 16 * RR_SLICE_TICKS;  // CPU 0 time, shared: 16 slices for both
    while (long(cpu0_ticks() - end) < 0) {
        int n = turns.load(memory_order::relaxed);
        if (n < MAX_TURNS && (n == 0 || turn_owner[n - 1] != me)) {
            turn_owner[n] = me;
            turn_start[n] = cpu0_ticks();
            turns.store(n + 1, memory_order::relaxed);
        }
        cpu_relax();
    }
    finish();
    idle_until_stopped();
    return 0;
}

void rr_threads_alternate(ktest* t) {
    if (!tick_is_running()) return;
    done.store(0, memory_order::relaxed);
    turns.store(0, memory_order::relaxed);
    task_struct* a = start_on_cpu0(rr_spin, reinterpret_cast<void*>(1L), "ktest-rr-a", SCHED_RR, 20);
    task_struct* b = start_on_cpu0(rr_spin, reinterpret_cast<void*>(2L), "ktest-rr-b", SCHED_RR, 20);
    KTEST_ASSERT_TRUE(t, a && b);
    wake_both(a, b);
    wait_for(2);
    kthread_stop(a);
    kthread_stop(b);
    int n = turns.load(memory_order::relaxed);
    printk(KERN_INFO "    # %d RR turns in 16 slices' worth of ticks\n", n);
    // They spin through 16 slices of ticks between them, alternating: ~16 turns.
    KTEST_EXPECT_GE(t, n, 12);
    KTEST_EXPECT_LE(t, n, 20);
    for (int i = 2; i < n - 2; i++) {  // the last turns end with a thread's deadline, mid-slice
        unsigned long slice = turn_start[i + 1] - turn_start[i];
        // 25 ticks within a quarter: the turn's ends are seen by a spinning
        // thread, and other timers on CPU 0 add interrupts; half a slice or two
        // slices would still stand out.
        KTEST_EXPECT_GE(t, slice, RR_SLICE_TICKS * 3 / 4);
        KTEST_EXPECT_LE(t, slice, RR_SLICE_TICKS * 5 / 4);
    }
}

const ktest_case sched_class_cases[] = {
    KTEST_CASE(nice_weights_share_one_cpu),
    KTEST_CASE(rt_preempts_cfs_at_once),
    KTEST_CASE(fifo_runs_until_it_blocks),
    KTEST_CASE(rr_threads_alternate),
    {},
};

}  // namespace

KTEST_SUITE(sched_class, sched_class_cases);
