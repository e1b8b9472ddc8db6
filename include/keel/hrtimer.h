// High-resolution timers (Linux's include/linux/hrtimer.h, kernel/time/hrtimer.c).
//
// Each CPU has an hrtimer_cpu_base holding one clock base per clock (MONOTONIC,
// REALTIME, BOOTTIME), twice: "hard" timers expire in the clockevent interrupt,
// "soft" ones (HRTIMER_MODE_SOFT) in the HRTIMER softirq, with interrupts on.
// A clock base is a timerqueue: an rbtree by expiry with the earliest cached.
// In high-resolution mode the CPU's clock event device is always programmed
// for the earliest timer of all its bases, so a timer fires within the
// device's latency of its expiry; before that switch (low-res mode) timers are
// checked on every tick.
//
//     hrtimer_init(&t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
//     t.function = my_callback;              // returns HRTIMER_NORESTART or _RESTART
//     hrtimer_start(&t, ms_to_ktime(10), HRTIMER_MODE_REL);
//     hrtimer_cancel(&t);                    // waits for a running callback
//
// A timer never fires before its expiry time; with a range (hrtimer_start_range_ns)
// it may fire anywhere in [expires, expires + delta], which lets nearby timers
// share one interrupt.
#pragma once
#include <keel/ktime.h>
#include <keel/spinlock.h>
#include <keel/timerqueue.h>
#include <keel/types.h>

struct task_struct;

enum hrtimer_mode : unsigned {
    HRTIMER_MODE_ABS = 0x00,     // expiry is an absolute time on the timer's clock
    HRTIMER_MODE_REL = 0x01,     // expiry is relative to now
    HRTIMER_MODE_PINNED = 0x02,  // stays on the CPU that started it
    HRTIMER_MODE_SOFT = 0x04,    // expires in softirq context
    HRTIMER_MODE_HARD = 0x08,    // expires in hard interrupt context (the default)

    HRTIMER_MODE_ABS_PINNED = HRTIMER_MODE_ABS | HRTIMER_MODE_PINNED,
    HRTIMER_MODE_REL_PINNED = HRTIMER_MODE_REL | HRTIMER_MODE_PINNED,
    HRTIMER_MODE_ABS_SOFT = HRTIMER_MODE_ABS | HRTIMER_MODE_SOFT,
    HRTIMER_MODE_REL_SOFT = HRTIMER_MODE_REL | HRTIMER_MODE_SOFT,
    HRTIMER_MODE_ABS_HARD = HRTIMER_MODE_ABS | HRTIMER_MODE_HARD,
    HRTIMER_MODE_REL_HARD = HRTIMER_MODE_REL | HRTIMER_MODE_HARD,
    HRTIMER_MODE_ABS_PINNED_HARD = HRTIMER_MODE_ABS_PINNED | HRTIMER_MODE_HARD,
};
constexpr hrtimer_mode operator|(hrtimer_mode a, hrtimer_mode b) { return hrtimer_mode(unsigned(a) | unsigned(b)); }

enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };

enum hrtimer_base_type {
    HRTIMER_BASE_MONOTONIC,
    HRTIMER_BASE_REALTIME,
    HRTIMER_BASE_BOOTTIME,
    HRTIMER_BASE_MONOTONIC_SOFT,
    HRTIMER_BASE_REALTIME_SOFT,
    HRTIMER_BASE_BOOTTIME_SOFT,
    HRTIMER_MAX_CLOCK_BASES,
};
constexpr unsigned HRTIMER_ACTIVE_HARD = 0x07;  // bits of active_bases
constexpr unsigned HRTIMER_ACTIVE_SOFT = 0x38;

struct hrtimer_clock_base;
struct hrtimer_cpu_base;

struct hrtimer {
    timerqueue_node node;     // node.expires: the latest time it may fire
    ktime_t _softexpires;     // the earliest
    hrtimer_restart (*function)(hrtimer* timer);
    hrtimer_clock_base* base;
    u8 state;                 // HRTIMER_STATE_*: enqueued or not
    bool is_rel;              // started relative: gets the clock's granularity added
    bool is_soft;
};

// A task waiting for a timer: the callback clears `task` and wakes it.
struct hrtimer_sleeper {
    hrtimer timer;
    task_struct* task;
};

struct hrtimer_clock_base {
    hrtimer_cpu_base* cpu_base;
    unsigned index;           // hrtimer_base_type
    clockid_t clockid;
    hrtimer* running;         // whose callback runs right now
    timerqueue_head active;
    ktime_t (*get_time)();
    ktime_t offset;           // this clock minus CLOCK_MONOTONIC
};

struct hrtimer_cpu_base {
    spinlock_t lock;
    unsigned cpu;
    unsigned active_bases;    // bit per base that holds timers
    bool hres_active;         // the device is programmed per timer
    bool in_hrtirq;           // hrtimer_interrupt runs: it reprograms at the end
    bool hang_detected;
    bool softirq_activated;
    unsigned nr_events;       // hrtimer_interrupt calls
    unsigned nr_retries;      // ... that found the next timer due already
    unsigned nr_hangs;        // ... that gave up after three retries
    ktime_t max_hang_time;
    ktime_t expires_next;     // (monotonic) the device is programmed for this
    hrtimer* next_timer;
    ktime_t softirq_expires_next;
    hrtimer* softirq_next_timer;
    hrtimer_clock_base clock_base[HRTIMER_MAX_CLOCK_BASES];
};

// Sets up a timer for `clock_id` (CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME);
// the caller then sets timer->function. `mode` must carry SOFT if the timer is
// ever started with SOFT.
void hrtimer_init(hrtimer* timer, clockid_t clock_id, hrtimer_mode mode);
// (Re)starts the timer to fire in [tim, tim + range_ns] (tim relative to now
// for HRTIMER_MODE_REL). A queued timer is moved; one whose callback runs now
// is queued again and fires again.
void hrtimer_start_range_ns(hrtimer* timer, ktime_t tim, u64 range_ns, hrtimer_mode mode);
static inline void hrtimer_start(hrtimer* timer, ktime_t tim, hrtimer_mode mode) {
    hrtimer_start_range_ns(timer, tim, 0, mode);
}
// 0: was not queued; 1: dequeued; -1: its callback runs right now (not waited for).
int hrtimer_try_to_cancel(hrtimer* timer);
// Dequeues the timer and waits for a running callback to finish, so that
// afterwards nothing touches the timer. Returns 1 if it was queued. Must not be
// called from the timer's own callback (it would wait for itself).
int hrtimer_cancel(hrtimer* timer);
// Moves the expiry forward by whole intervals until it is after `now`; returns
// how many intervals (overruns) that took. For periodic timers, in the callback.
u64 hrtimer_forward(hrtimer* timer, ktime_t now, ktime_t interval);
u64 hrtimer_forward_now(hrtimer* timer, ktime_t interval);
// Queued or running its callback.
bool hrtimer_active(const hrtimer* timer);
static inline bool hrtimer_is_queued(const hrtimer* timer) {
    return __atomic_load_n(&timer->state, __ATOMIC_RELAXED) & 0x01;
}
static inline bool hrtimer_callback_running(const hrtimer* timer) {
    return __atomic_load_n(&timer->base->running, __ATOMIC_RELAXED) == timer;
}
static inline void hrtimer_set_expires(hrtimer* timer, ktime_t time) {
    timer->node.expires = time;
    timer->_softexpires = time;
}
static inline void hrtimer_set_expires_range_ns(hrtimer* timer, ktime_t time, u64 delta) {
    timer->_softexpires = time;
    timer->node.expires = ktime_add_safe(time, ktime_t(delta));
}
static inline ktime_t hrtimer_get_expires(const hrtimer* timer) { return timer->node.expires; }
static inline ktime_t hrtimer_get_softexpires(const hrtimer* timer) { return timer->_softexpires; }
static inline void hrtimer_start_expires(hrtimer* timer, hrtimer_mode mode) {
    u64 delta = u64(timer->node.expires - timer->_softexpires);
    hrtimer_start_range_ns(timer, timer->_softexpires, delta, mode);
}
// The current time of the timer's clock.
ktime_t hrtimer_cb_get_time(const hrtimer* timer);
// Time left until expiry (negative once past).
ktime_t hrtimer_get_remaining(const hrtimer* timer);

// 1 ns once a CPU runs in high-resolution mode, a tick before.
extern unsigned hrtimer_resolution;

// Sets up every possible CPU's bases and the HRTIMER softirq (start_kernel,
// after the per-CPU areas and before anything starts a timer).
void hrtimers_init();

// ---- sleeping -------------------------------------------------------------------
void hrtimer_init_sleeper(hrtimer_sleeper* sl, clockid_t clock_id, hrtimer_mode mode);
// Sleeps (in the state the caller set) until `*expires` (CLOCK_MONOTONIC),
// give or take `delta` ns; expires == nullptr sleeps until woken. 0 when the
// time came, -EINTR when woken before.
int schedule_hrtimeout_range(ktime_t* expires, u64 delta, hrtimer_mode mode);
int schedule_hrtimeout(ktime_t* expires, hrtimer_mode mode);
// nanosleep/clock_nanosleep: sleeps until rqtp (absolute or relative) on clockid.
// 0, -EINVAL for a clock that cannot be slept on, or when a signal interrupts:
// -ERESTARTNOHAND (absolute) or -ERESTART_RESTARTBLOCK with the time left
// written to current->restart_block.nanosleep.rmtp if set (relative).
long hrtimer_nanosleep(ktime_t rqtp, hrtimer_mode mode, clockid_t clockid);
// restart_syscall's continuation of an interrupted relative sleep.
long hrtimer_nanosleep_restart(struct restart_block* rb);
