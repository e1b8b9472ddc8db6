// hrtimers on the running machine: timers fire in expiry order and never
// before their time, cancel stops them, a periodic timer forwards itself, soft
// timers run in the HRTIMER softirq, and sleepers wake on time. The wake-up
// case prints the latency the issue asks for ("hrtimer wake-up latency").
#include <asm/processor.h>
#include <keel/delay.h>
#include <keel/hrtimer.h>
#include <keel/preempt.h>
#include <keel/sched.h>
#include <keel/timekeeping.h>
#include <keel/tick.h>
#include <tests/kernel/ktest.h>
#include <uapi/asm/errno.h>

namespace {

constexpr int N = 16;

struct probe {
    hrtimer timer;
    ktime_t fired_at;
    int order;   // position in the firing sequence, -1 until fired
    bool in_softirq;
};

probe probes[N];
Atomic<int> fired{0};

hrtimer_restart record(hrtimer* t) {
    probe* p = container_of(t, probe, timer);
    p->fired_at = ktime_get();
    p->in_softirq = in_serving_softirq();
    p->order = fired.fetch_add(1, memory_order::relaxed);
    return HRTIMER_NORESTART;
}

// Busy-waits (timers fire from interrupts) until `count` fired or `ms` passed.
void wait_fired(int count, unsigned ms) {
    ktime_t end = ktime_add_ms(ktime_get(), ms);
    while (fired.load(memory_order::relaxed) < count && ktime_get() < end) cpu_relax();
}

void fire_in_order_never_early(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    fired.store(0, memory_order::relaxed);
    ktime_t now = ktime_get();
    for (int i = 0; i < N; i++) {
        probes[i].order = -1;
        hrtimer_init(&probes[i].timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
        probes[i].timer.function = record;
        // Started in a scrambled order: expiry (i * 7 % N) + 1 ms.
        hrtimer_start(&probes[i].timer, now + ms_to_ktime(u64((i * 7) % N) + 1), HRTIMER_MODE_ABS);
    }
    wait_fired(N, 500);
    KTEST_ASSERT_TRUE(t, fired.load(memory_order::relaxed) == N);
    for (int i = 0; i < N; i++) {
        KTEST_EXPECT_GE(t, probes[i].fired_at, hrtimer_get_expires(&probes[i].timer));
        KTEST_EXPECT_EQ(t, probes[i].order, (i * 7) % N);
        KTEST_EXPECT_FALSE(t, probes[i].in_softirq);
    }
}

void cancel_stops_a_timer(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    fired.store(0, memory_order::relaxed);
    probe& p = probes[0];
    hrtimer_init(&p.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    p.timer.function = record;
    KTEST_EXPECT_EQ(t, hrtimer_try_to_cancel(&p.timer), 0);  // never started
    hrtimer_start(&p.timer, ms_to_ktime(20), HRTIMER_MODE_REL);
    KTEST_EXPECT_TRUE(t, hrtimer_is_queued(&p.timer));
    KTEST_EXPECT_TRUE(t, hrtimer_active(&p.timer));
    KTEST_EXPECT_EQ(t, hrtimer_cancel(&p.timer), 1);
    KTEST_EXPECT_FALSE(t, hrtimer_active(&p.timer));
    mdelay(40);
    KTEST_EXPECT_EQ(t, fired.load(memory_order::relaxed), 0);
    // Restarting a queued timer moves it rather than queueing it twice.
    hrtimer_start(&p.timer, ms_to_ktime(50), HRTIMER_MODE_REL);
    hrtimer_start(&p.timer, ms_to_ktime(2), HRTIMER_MODE_REL);
    wait_fired(1, 200);
    mdelay(60);
    KTEST_EXPECT_EQ(t, fired.load(memory_order::relaxed), 1);
}

struct periodic {
    hrtimer timer;
    int count;
    u64 overruns;
    ktime_t last;
};
periodic per;
constexpr ktime_t PERIOD = 2 * NSEC_PER_MSEC;

hrtimer_restart periodic_fn(hrtimer* t) {
    periodic* p = container_of(t, periodic, timer);
    ktime_t now = ktime_get();
    p->count++;
    p->last = now;
    if (p->count == 10) return HRTIMER_NORESTART;
    p->overruns += hrtimer_forward_now(t, PERIOD);
    return HRTIMER_RESTART;
}

void periodic_timer_forwards(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    per = {};
    hrtimer_init(&per.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    per.timer.function = periodic_fn;
    ktime_t start = ktime_get();
    hrtimer_start(&per.timer, PERIOD, HRTIMER_MODE_REL);
    ktime_t end = ktime_add_ms(ktime_get(), 500);
    while (hrtimer_active(&per.timer) && ktime_get() < end) cpu_relax();
    KTEST_EXPECT_EQ(t, per.count, 10);
    KTEST_EXPECT_GE(t, per.overruns, 9u);
    // Never early: the tenth expiry is at least ten periods after the start,
    // however late (and so overrun) the callbacks ran on a busy machine.
    KTEST_EXPECT_GE(t, per.last - start, 10 * PERIOD);
    KTEST_EXPECT_EQ(t, hrtimer_cancel(&per.timer), 0);
}

void soft_timer_runs_in_softirq(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    fired.store(0, memory_order::relaxed);
    probe& p = probes[1];
    hrtimer_init(&p.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
    p.timer.function = record;
    ktime_t start = ktime_get();
    hrtimer_start(&p.timer, ms_to_ktime(3), HRTIMER_MODE_REL_SOFT);
    wait_fired(1, 200);
    KTEST_ASSERT_TRUE(t, fired.load(memory_order::relaxed) == 1);
    KTEST_EXPECT_TRUE(t, p.in_softirq);
    KTEST_EXPECT_GE(t, p.fired_at - start, ms_to_ktime(3));
}

void realtime_timer_follows_the_wall_clock(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    fired.store(0, memory_order::relaxed);
    probe& p = probes[2];
    hrtimer_init(&p.timer, CLOCK_REALTIME, HRTIMER_MODE_ABS);
    p.timer.function = record;
    ktime_t when = ktime_get_real() + ms_to_ktime(5);
    hrtimer_start(&p.timer, when, HRTIMER_MODE_ABS);
    wait_fired(1, 200);
    KTEST_ASSERT_TRUE(t, fired.load(memory_order::relaxed) == 1);
    KTEST_EXPECT_GE(t, ktime_get_real(), when);
}

// The figure: how late a task sleeping on an hrtimer runs again.
void sleeper_wakeup_latency(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    constexpr int ROUNDS = 50;
    s64 min = KTIME_MAX, max = 0, sum = 0;
    for (int i = 0; i < ROUNDS; i++) {
        ktime_t expires = ktime_get() + us_to_ktime(1000);
        __set_current_state(TASK_UNINTERRUPTIBLE);
        KTEST_EXPECT_EQ(t, schedule_hrtimeout(&expires, HRTIMER_MODE_ABS), 0);
        s64 late = ktime_get() - expires;
        KTEST_EXPECT_GE(t, late, 0);
        if (late < min) min = late;
        if (late > max) max = late;
        sum += late;
    }
    printk(KERN_INFO "# hrtimer wake-up latency over %d sleeps of 1 ms: min %lld us, avg %lld us, max %lld us\n",
           ROUNDS, (long long)(min / 1000), (long long)(sum / ROUNDS / 1000), (long long)(max / 1000));
}

void nanosleep_and_usleep_range(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    ktime_t start = ktime_get();
    KTEST_EXPECT_EQ(t, hrtimer_nanosleep(ms_to_ktime(2), HRTIMER_MODE_REL, CLOCK_MONOTONIC), 0);
    KTEST_EXPECT_GE(t, ktime_get() - start, ms_to_ktime(2));
    ktime_t abs = ktime_get_boottime() + ms_to_ktime(2);
    KTEST_EXPECT_EQ(t, hrtimer_nanosleep(abs, HRTIMER_MODE_ABS, CLOCK_BOOTTIME), 0);
    KTEST_EXPECT_GE(t, ktime_get_boottime(), abs);
    KTEST_EXPECT_EQ(t, hrtimer_nanosleep(ms_to_ktime(1), HRTIMER_MODE_REL, 42), long(-EINVAL));
    start = ktime_get();
    usleep_range(1000, 1200);
    KTEST_EXPECT_GE(t, ktime_get() - start, us_to_ktime(1000));
}

const ktest_case hrtimer_cases[] = {
    KTEST_CASE(fire_in_order_never_early),
    KTEST_CASE(cancel_stops_a_timer),
    KTEST_CASE(periodic_timer_forwards),
    KTEST_CASE(soft_timer_runs_in_softirq),
    KTEST_CASE(realtime_timer_follows_the_wall_clock),
    KTEST_CASE(sleeper_wakeup_latency),
    KTEST_CASE(nanosleep_and_usleep_range),
    {},
};

}  // namespace

KTEST_SUITE(time_hrtimer, hrtimer_cases);
