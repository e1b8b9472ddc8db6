// RCU in the running kernel, after Linux's rcutorture: readers on every CPU
// keep dereferencing a pointer that an updater keeps replacing; each replaced
// object is poisoned and freed after a grace period (call_rcu, or
// synchronize_rcu). A reader that ever sees poison saw freed memory. Also:
// callbacks run, in order per CPU, and rcu_barrier waits for all of them.
#include <keel/completion.h>
#include <keel/jiffies.h>
#include <keel/kthread.h>
#include <keel/rcupdate.h>
#include <keel/sched.h>
#include <keel/tick.h>
#include <lib/cpumask.h>
#include <mm/slab.h>
#include <tests/kernel/ktest.h>

namespace {

constexpr unsigned long RCU_LIVE = 0x11fe11fe11fe11feul;
constexpr unsigned long RCU_POISON = 0xdeaddeaddeaddeadul;
constexpr unsigned long TEST_TIMEOUT = 20 * HZ;

struct rcu_obj {
    unsigned long magic;
    unsigned long serial;
    rcu_head rh;
};

rcu_obj* gp;  // RCU-protected
Atomic<bool> stop_readers;
Atomic<unsigned long> bad_reads, good_reads, freed;

void free_obj(rcu_head* rh) {
    auto* o = container_of(rh, rcu_obj, rh);
    o->magic = RCU_POISON;
    kfree(o);
    freed.fetch_add(1, memory_order::relaxed);
}

struct reader_arg {
    completion done;
};

int rcu_reader(void* p) {
    auto* arg = static_cast<reader_arg*>(p);
    unsigned long n = 0;
    while (!stop_readers.load(memory_order::acquire)) {
        rcu_read_lock();
        rcu_obj* o = rcu_dereference(gp);
        if (o) {
            unsigned long first = o->magic;
            for (int spin = 0; spin < 50; spin++) barrier();  // stay inside a while
            if (first != RCU_LIVE || o->magic != RCU_LIVE) bad_reads.fetch_add(1, memory_order::relaxed);
            else good_reads.fetch_add(1, memory_order::relaxed);
        }
        rcu_read_unlock();
        if (++n % 64 == 0) yield();  // a quiescent state now and then
    }
    complete(&arg->done);
    return 0;
}

// Queues a callback and waits (bounded) for it: false if grace periods do not
// advance at all (RCU not hooked into the tick and scheduler), so the tests
// fail instead of hanging in synchronize_rcu or rcu_barrier. The probe is
// static: a callback that never ran stays queued.
struct probe {
    rcu_head rh;
    completion done;
    bool queued;
} gp_probe;
void probe_cb(rcu_head* rh) {
    auto* p = container_of(rh, probe, rh);
    p->queued = false;
    complete(&p->done);
}
bool grace_periods_advance() {
    if (!gp_probe.queued) {
        init_completion(&gp_probe.done);
        gp_probe.queued = true;
        call_rcu(&gp_probe.rh, probe_cb);
    }
    return wait_for_completion_timeout(&gp_probe.done, 5 * HZ) != 0;
}

void readers_never_see_freed_data(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    if (!grace_periods_advance()) {
        ktest_fail(t, __FILE__, __LINE__, "call_rcu callback did not run within 5 s: grace periods do not advance");
        return;
    }
    unsigned nr = num_online_cpus();
    static reader_arg readers[NR_CPUS];
    stop_readers.store(false, memory_order::relaxed);
    bad_reads.store(0, memory_order::relaxed);
    good_reads.store(0, memory_order::relaxed);
    freed.store(0, memory_order::relaxed);
    auto* first = static_cast<rcu_obj*>(kmalloc(sizeof(rcu_obj), GFP_KERNEL));
    KTEST_ASSERT_TRUE(t, first != nullptr);
    first->magic = RCU_LIVE;
    first->serial = 0;
    rcu_assign_pointer(gp, first);

    unsigned cpu, i = 0;
    for_each_online_cpu(cpu) {
        init_completion(&readers[i].done);
        task_struct* k = kthread_create_on_cpu(rcu_reader, &readers[i], cpu, "rcu_torture_reader/%u");
        KTEST_ASSERT_TRUE(t, k != nullptr);
        wake_up_process(k);
        i++;
    }

    constexpr unsigned long UPDATES = 400;
    unsigned long queued = 0;
    for (unsigned long s = 1; s <= UPDATES; s++) {
        auto* o = static_cast<rcu_obj*>(kmalloc(sizeof(rcu_obj), GFP_KERNEL));
        KTEST_ASSERT_TRUE(t, o != nullptr);
        o->magic = RCU_LIVE;
        o->serial = s;
        rcu_obj* old = rcu_dereference_protected(gp);
        rcu_assign_pointer(gp, o);
        if (s % 8 == 0) {
            synchronize_rcu();
            old->magic = RCU_POISON;
            kfree(old);
        } else {
            call_rcu(&old->rh, free_obj);
            queued++;
        }
        if (s % 4 == 0) yield();
    }
    rcu_barrier();
    KTEST_EXPECT_EQ(t, freed.load(memory_order::relaxed), queued);

    stop_readers.store(true, memory_order::release);
    for (unsigned r = 0; r < nr; r++)
        KTEST_EXPECT_NE(t, wait_for_completion_timeout(&readers[r].done, TEST_TIMEOUT), 0ul);
    rcu_obj* last = rcu_dereference_protected(gp);
    RCU_INIT_POINTER(gp, nullptr);
    synchronize_rcu();
    kfree(last);

    KTEST_EXPECT_EQ(t, bad_reads.load(memory_order::relaxed), 0ul);
    KTEST_EXPECT_GT(t, good_reads.load(memory_order::relaxed), 0ul);
}

// Callbacks queued on one CPU run in the order they were queued.
struct ordered_cb {
    rcu_head rh;
    unsigned index;
};
unsigned next_expected;
Atomic<unsigned> order_errors;
void ordered_fn(rcu_head* rh) {
    auto* c = container_of(rh, ordered_cb, rh);
    if (c->index != next_expected) order_errors.fetch_add(1, memory_order::relaxed);
    next_expected = c->index + 1;
}

void callbacks_run_in_order_and_barrier_waits(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    KTEST_ASSERT_TRUE(t, grace_periods_advance());
    constexpr unsigned N = 64;
    static ordered_cb cbs[N];
    next_expected = 0;
    order_errors.store(0, memory_order::relaxed);
    unsigned long gps = rcu_gp_completed();
    // Pinned to this CPU's list: no migration while queueing.
    preempt_disable();
    for (unsigned i = 0; i < N; i++) {
        cbs[i].index = i;
        call_rcu(&cbs[i].rh, ordered_fn);
    }
    preempt_enable();
    rcu_barrier();
    KTEST_EXPECT_EQ(t, next_expected, N);
    KTEST_EXPECT_EQ(t, order_errors.load(memory_order::relaxed), 0u);
    KTEST_EXPECT_GT(t, rcu_gp_completed(), gps);
}

const ktest_case rcu_cases[] = {
    KTEST_CASE(readers_never_see_freed_data),
    KTEST_CASE(callbacks_run_in_order_and_barrier_waits),
    {},
};

}  // namespace

KTEST_SUITE(rcu_torture, rcu_cases);
