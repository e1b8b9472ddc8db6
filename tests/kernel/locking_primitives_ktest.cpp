// The sleeping locks and the lock validator in the running kernel: a mutex
// shared by threads on every CPU keeps a plain counter exact; a semaphore
// admits exactly its count; rw_semaphore readers overlap and writers do not;
// completions wake their waiters; and a deliberate AB-BA inversion, a
// recursive lock and a sleep in atomic context are each reported once.
#include <keel/completion.h>
#include <keel/jiffies.h>
#include <keel/kthread.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/rcupdate.h>
#include <keel/rwsem.h>
#include <keel/sched.h>
#include <keel/semaphore.h>
#include <keel/tick.h>
#include <lib/cpumask.h>
#include <asm/tsc.h>
#include <tests/kernel/ktest.h>

namespace {

// Long enough to report a failure instead of hanging the run.
constexpr unsigned long TEST_TIMEOUT = 60 * HZ;  // generous: a loaded 2-core host slows TCG guests a lot

struct thread_group {
    completion done;
    Atomic<int> left{0};

    explicit thread_group(int n) {
        init_completion(&done);
        left.store(n, memory_order::relaxed);
    }
    void finished() {
        if (left.fetch_sub(1, memory_order::acq_rel) == 1) complete(&done);
    }
    // False when the threads took longer than TEST_TIMEOUT. Even then it returns
    // only once they are done: their arguments live in the caller's frame.
    bool wait() {
        if (wait_for_completion_timeout(&done, TEST_TIMEOUT)) return true;
        wait_for_completion(&done);
        return false;
    }
};

// Starts n threads, spread over the online CPUs.
template <typename Arg> bool start_threads(int (*fn)(void*), Arg* args, int n, const char* name) {
    unsigned cpu = cpumask_first(cpu_online_mask);
    for (int i = 0; i < n; i++) {
        task_struct* k = kthread_create_on_cpu(fn, &args[i], cpu, name);
        if (!k) return false;
        wake_up_process(k);
        cpu = cpumask_next(int(cpu), cpu_online_mask);
        if (cpu >= NR_CPUS) cpu = cpumask_first(cpu_online_mask);
    }
    return true;
}

// ---- mutex -----------------------------------------------------------------------

constexpr int MUTEX_ITERATIONS = 500;
DEFINE_MUTEX(counter_mutex);
unsigned long shared_counter;  // only ever touched under counter_mutex

struct mutex_arg {
    thread_group* group;
};

int mutex_incrementer(void* p) {
    auto* arg = static_cast<mutex_arg*>(p);
    for (int i = 0; i < MUTEX_ITERATIONS; i++) {
        mutex_lock(&counter_mutex);
        // Read, dawdle, write: without mutual exclusion increments get lost.
        unsigned long v = shared_counter;
        if (i % 16 == 0) yield();
        shared_counter = v + 1;
        mutex_unlock(&counter_mutex);
    }
    arg->group->finished();
    return 0;
}

void mutex_contention_keeps_counter_exact(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    int n = int(num_online_cpus()) * 2;
    if (n < 4) n = 4;
    shared_counter = 0;
    thread_group group(n);
    mutex_arg args[2 * NR_CPUS];
    for (int i = 0; i < n; i++) args[i].group = &group;
    KTEST_ASSERT_TRUE(t, start_threads(mutex_incrementer, args, n, "ktest-mutex/%u"));
    KTEST_ASSERT_TRUE(t, group.wait());
    KTEST_EXPECT_EQ(t, shared_counter, (unsigned long)n * MUTEX_ITERATIONS);
    KTEST_EXPECT_FALSE(t, mutex_is_locked(&counter_mutex));
    KTEST_EXPECT_EQ(t, counter_mutex.owner.load(memory_order::relaxed), 0ul);  // no flags left behind
}

void mutex_trylock_and_owner(ktest* t) {
    mutex m{"ktest_trylock_mutex"};
    KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
    KTEST_EXPECT_TRUE(t, mutex_trylock(&m));
    KTEST_EXPECT_TRUE(t, mutex_is_locked(&m));
    KTEST_EXPECT_EQ(t, __mutex_owner(&m), current);
    KTEST_EXPECT_FALSE(t, mutex_trylock(&m));
    mutex_unlock(&m);
    KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
}

// ---- semaphore --------------------------------------------------------------------

constexpr unsigned SEM_COUNT = 3;
semaphore counting_sem{SEM_COUNT};
Atomic<int> sem_inside, sem_max_inside;

struct sem_arg {
    thread_group* group;
};

int sem_user(void* p) {
    auto* arg = static_cast<sem_arg*>(p);
    for (int i = 0; i < 50; i++) {
        down(&counting_sem);
        int now = sem_inside.fetch_add(1, memory_order::acq_rel) + 1;
        int max = sem_max_inside.load(memory_order::relaxed);
        while (now > max && !sem_max_inside.compare_exchange(max, now, memory_order::relaxed, memory_order::relaxed)) {}
        udelay(50);  // stay inside long enough for holders on other CPUs to overlap
        yield();
        sem_inside.fetch_sub(1, memory_order::acq_rel);
        up(&counting_sem);
    }
    arg->group->finished();
    return 0;
}

void semaphore_admits_its_count(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    KTEST_EXPECT_EQ(t, down_trylock(&counting_sem), 0);
    KTEST_EXPECT_EQ(t, down_trylock(&counting_sem), 0);
    KTEST_EXPECT_EQ(t, down_trylock(&counting_sem), 0);
    KTEST_EXPECT_EQ(t, down_trylock(&counting_sem), 1);  // all three units taken
    KTEST_EXPECT_EQ(t, down_timeout(&counting_sem, 2), -62);  // -ETIME
    for (unsigned i = 0; i < SEM_COUNT; i++) up(&counting_sem);

    sem_inside.store(0, memory_order::relaxed);
    sem_max_inside.store(0, memory_order::relaxed);
    constexpr int N = 8;
    thread_group group(N);
    sem_arg args[N];
    for (auto& a : args) a.group = &group;
    KTEST_ASSERT_TRUE(t, start_threads(sem_user, args, N, "ktest-sem/%u"));
    KTEST_ASSERT_TRUE(t, group.wait());
    KTEST_EXPECT_LE(t, sem_max_inside.load(memory_order::relaxed), int(SEM_COUNT));
    KTEST_EXPECT_GE(t, sem_max_inside.load(memory_order::relaxed), 2);  // they did overlap
    KTEST_EXPECT_EQ(t, counting_sem.count, SEM_COUNT);
}

// ---- rw_semaphore -----------------------------------------------------------------

DECLARE_RWSEM(test_rwsem);
Atomic<int> rw_readers, rw_writers, rw_max_readers, rw_violations;

struct rwsem_arg {
    thread_group* group;
    bool writer;
};

int rwsem_user(void* p) {
    auto* arg = static_cast<rwsem_arg*>(p);
    for (int i = 0; i < 100; i++) {
        if (arg->writer) {
            down_write(&test_rwsem);
            if (rw_writers.fetch_add(1, memory_order::acq_rel) != 0 || rw_readers.load(memory_order::acquire))
                rw_violations.fetch_add(1, memory_order::relaxed);
            yield();
            rw_writers.fetch_sub(1, memory_order::acq_rel);
            up_write(&test_rwsem);
        } else {
            down_read(&test_rwsem);
            int now = rw_readers.fetch_add(1, memory_order::acq_rel) + 1;
            if (rw_writers.load(memory_order::acquire)) rw_violations.fetch_add(1, memory_order::relaxed);
            int max = rw_max_readers.load(memory_order::relaxed);
            while (now > max &&
                   !rw_max_readers.compare_exchange(max, now, memory_order::relaxed, memory_order::relaxed)) {}
            udelay(50);  // hold it long enough for readers on other CPUs to overlap
            yield();     // and let readers on this CPU in

            rw_readers.fetch_sub(1, memory_order::acq_rel);
            up_read(&test_rwsem);
        }
    }
    arg->group->finished();
    return 0;
}

void rwsem_readers_share_writers_exclude(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    rw_readers.store(0, memory_order::relaxed);
    rw_writers.store(0, memory_order::relaxed);
    rw_max_readers.store(0, memory_order::relaxed);
    rw_violations.store(0, memory_order::relaxed);
    constexpr int N = 8;
    thread_group group(N);
    rwsem_arg args[N];
    for (int i = 0; i < N; i++) args[i] = {&group, i % 4 == 0};  // 2 writers, 6 readers
    KTEST_ASSERT_TRUE(t, start_threads(rwsem_user, args, N, "ktest-rwsem/%u"));
    KTEST_ASSERT_TRUE(t, group.wait());
    KTEST_EXPECT_EQ(t, rw_violations.load(memory_order::relaxed), 0);
    KTEST_EXPECT_GE(t, rw_max_readers.load(memory_order::relaxed), 2);
    KTEST_EXPECT_FALSE(t, rwsem_is_locked(&test_rwsem));
    KTEST_EXPECT_EQ(t, test_rwsem.count.load(memory_order::relaxed), 0l);

    KTEST_EXPECT_EQ(t, down_write_trylock(&test_rwsem), 1);
    KTEST_EXPECT_EQ(t, down_read_trylock(&test_rwsem), 0);
    downgrade_write(&test_rwsem);
    KTEST_EXPECT_EQ(t, down_write_trylock(&test_rwsem), 0);
    up_read(&test_rwsem);
    KTEST_EXPECT_FALSE(t, rwsem_is_locked(&test_rwsem));
}

// ---- completion -------------------------------------------------------------------

struct completion_arg {
    completion* go;
    Atomic<int>* woken;
    thread_group* group;
};

int completion_waiter(void* p) {
    auto* arg = static_cast<completion_arg*>(p);
    wait_for_completion(arg->go);
    arg->woken->fetch_add(1, memory_order::acq_rel);
    arg->group->finished();
    return 0;
}

void completion_wakes_waiters(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    completion go;
    init_completion(&go);
    KTEST_EXPECT_FALSE(t, completion_done(&go));
    KTEST_EXPECT_FALSE(t, try_wait_for_completion(&go));
    KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&go, 2), 0ul);  // nobody completes: times out

    constexpr int N = 4;
    Atomic<int> woken{0};
    thread_group group(N);
    completion_arg args[N];
    for (auto& a : args) a = {&go, &woken, &group};
    KTEST_ASSERT_TRUE(t, start_threads(completion_waiter, args, N, "ktest-compl/%u"));
    for (int i = 0; i < 20; i++) yield();
    KTEST_EXPECT_EQ(t, woken.load(memory_order::acquire), 0);
    complete(&go);  // exactly one waiter goes
    unsigned long deadline = jiffies + TEST_TIMEOUT;
    while (woken.load(memory_order::acquire) < 1 && time_before(jiffies, deadline)) yield();
    for (int i = 0; i < 20; i++) yield();
    KTEST_EXPECT_EQ(t, woken.load(memory_order::acquire), 1);
    complete_all(&go);  // and then all the others
    KTEST_ASSERT_TRUE(t, group.wait());
    KTEST_EXPECT_EQ(t, woken.load(memory_order::acquire), N);
    KTEST_EXPECT_TRUE(t, completion_done(&go));
    KTEST_EXPECT_TRUE(t, try_wait_for_completion(&go));  // complete_all satisfies everyone

    completion once;
    init_completion(&once);
    complete(&once);
    KTEST_EXPECT_TRUE(t, try_wait_for_completion(&once));
    KTEST_EXPECT_FALSE(t, try_wait_for_completion(&once));
}

// ---- the validator ----------------------------------------------------------------

unsigned long reports() { return lockdep_reports.load(memory_order::relaxed); }

void lockdep_reports_abba_inversion(ktest* t) {
    KTEST_ASSERT_TRUE(t, debug_locks.load(memory_order::relaxed));
    spinlock_t a{"ktest_lockdep_A"}, b{"ktest_lockdep_B"};
    unsigned long before = reports();
    {
        Guard<IrqSave> ga(a);
        Guard<NoIrqSave> gb(b);
    }
    KTEST_EXPECT_EQ(t, reports(), before);
    {
        Guard<IrqSave> gb(b);
        Guard<NoIrqSave> ga(a);  // B -> A after A -> B: reported, not deadlocked (one thread)
    }
    KTEST_EXPECT_EQ(t, reports(), before + 1);
    {
        Guard<IrqSave> gb(b);
        Guard<NoIrqSave> ga(a);  // the same inversion is reported once
    }
    KTEST_EXPECT_EQ(t, reports(), before + 1);
}

void lockdep_reports_mutex_inversion(ktest* t) {
    mutex a{"ktest_lockdep_mutex_A"}, b{"ktest_lockdep_mutex_B"};
    unsigned long before = reports();
    mutex_lock(&a);
    mutex_lock(&b);
    mutex_unlock(&b);
    mutex_unlock(&a);
    KTEST_EXPECT_EQ(t, reports(), before);
    mutex_lock(&b);
    mutex_lock(&a);
    mutex_unlock(&a);
    mutex_unlock(&b);
    KTEST_EXPECT_EQ(t, reports(), before + 1);
}

void lockdep_reports_recursion_unless_nested(ktest* t) {
    spinlock_t x{"ktest_lockdep_rq"}, y{"ktest_lockdep_rq"};
    unsigned long before = reports();
    {
        Guard<IrqSave> gx(x);
        Guard<NoIrqSave> gy(y, SINGLE_DEPTH_NESTING);
    }
    KTEST_EXPECT_EQ(t, reports(), before);
    {
        Guard<IrqSave> gx(x);
        Guard<NoIrqSave> gy(y);
    }
    KTEST_EXPECT_EQ(t, reports(), before + 1);
}

void might_sleep_in_atomic_is_reported(ktest* t) {
    if (!rcu_scheduler_active) {  // rest_init calls rcu_scheduler_starting()
        printk(KERN_INFO "    # SKIP %s: the scheduler has not started (rcu_scheduler_starting)\n", t->name);
        return;
    }
    unsigned long before = might_sleep_reports.load(memory_order::relaxed);
    might_sleep();  // fine here
    KTEST_EXPECT_EQ(t, might_sleep_reports.load(memory_order::relaxed), before);
    preempt_disable();
    might_sleep();
    preempt_enable();
    KTEST_EXPECT_EQ(t, might_sleep_reports.load(memory_order::relaxed), before + 1);
    spinlock_t l{"ktest_might_sleep"};
    {
        Guard<IrqSave> g(l);
        mutex m{"ktest_might_sleep_mutex"};
        KTEST_EXPECT_TRUE(t, mutex_trylock(&m));  // trylock never sleeps: no report
        mutex_unlock(&m);
    }
    KTEST_EXPECT_EQ(t, might_sleep_reports.load(memory_order::relaxed), before + 1);
}

const ktest_case locking_cases[] = {
    KTEST_CASE(mutex_contention_keeps_counter_exact),
    KTEST_CASE(mutex_trylock_and_owner),
    KTEST_CASE(semaphore_admits_its_count),
    KTEST_CASE(rwsem_readers_share_writers_exclude),
    KTEST_CASE(completion_wakes_waiters),
    KTEST_CASE(lockdep_reports_abba_inversion),
    KTEST_CASE(lockdep_reports_mutex_inversion),
    KTEST_CASE(lockdep_reports_recursion_unless_nested),
    KTEST_CASE(might_sleep_in_atomic_is_reported),
    {},
};

}  // namespace

KTEST_SUITE(locking_primitives, locking_cases);
