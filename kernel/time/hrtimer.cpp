// High-resolution timers (include/keel/hrtimer.h; Linux's kernel/time/hrtimer.c).
//
// Locking: each CPU's bases are guarded by its cpu_base->lock. A timer is
// reached through timer->base, which changes when the timer moves to another
// CPU; while it moves it points at migration_base, and lock_hrtimer_base waits
// until the move is done. Callbacks run without the lock, with base->running
// pointing at the timer, so hrtimer_cancel can wait for them.
#define pr_fmt(fmt) "hrtimer: " fmt
#include <asm/processor.h>
#include <asm/uaccess.h>
#include <keel/hrtimer.h>
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/jiffies.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/timekeeping.h>
#include <kernel/time/tick-internal.h>
#include <lib/string.h>
#include <uapi/linux/time_types.h>

DEFINE_PER_CPU(hrtimer_cpu_base, hrtimer_bases);
unsigned hrtimer_resolution = unsigned(TICK_NSEC);

namespace {

constexpr u8 HRTIMER_STATE_INACTIVE = 0x00;
constexpr u8 HRTIMER_STATE_ENQUEUED = 0x01;

// A timer between two CPUs' bases points here; nothing is ever queued on it.
hrtimer_clock_base migration_base;

bool hrtimer_hres_enabled = true;  // highres=off keeps every CPU in low-res mode

int setup_hrtimer_hres(const char* str) {
    if (!str) return -EINVAL;
    if (!strcmp(str, "off")) hrtimer_hres_enabled = false;
    else if (!strcmp(str, "on")) hrtimer_hres_enabled = true;
    else return -EINVAL;
    return 0;
}

ktime_t get_mono() { return ktime_get(); }
ktime_t get_real() { return ktime_get_real(); }
ktime_t get_boot() { return ktime_get_boottime(); }

int hrtimer_clockid_to_base(clockid_t clock_id) {
    switch (clock_id) {
    case CLOCK_REALTIME: return HRTIMER_BASE_REALTIME;
    case CLOCK_BOOTTIME: return HRTIMER_BASE_BOOTTIME;
    default: return HRTIMER_BASE_MONOTONIC;
    }
}

hrtimer_cpu_base* this_cpu_base() { return this_cpu_ptr(&hrtimer_bases); }

// ---- locking --------------------------------------------------------------------

// Locks the base the timer is on right now, with interrupts off.
hrtimer_clock_base* lock_hrtimer_base(const hrtimer* timer, unsigned long* flags) {
    for (;;) {
        hrtimer_clock_base* base = __atomic_load_n(&timer->base, __ATOMIC_ACQUIRE);
        if (base != &migration_base) {
            *flags = arch_local_irq_save();
            base->cpu_base->lock.lock();
            if (base == timer->base) return base;
            base->cpu_base->lock.unlock();
            arch_local_irq_restore(*flags);
        }
        cpu_relax();
    }
}

void unlock_hrtimer_base(const hrtimer* timer, unsigned long flags) {
    timer->base->cpu_base->lock.unlock();
    arch_local_irq_restore(flags);
}

// ---- the next event --------------------------------------------------------------

// Earliest expiry (monotonic) among the bases in `mask`; *next gets its timer.
ktime_t __hrtimer_next_event_base(hrtimer_cpu_base* cpu_base, unsigned mask, hrtimer** next) {
    ktime_t expires_next = KTIME_MAX;
    *next = nullptr;
    unsigned active = cpu_base->active_bases & mask;
    while (active) {
        unsigned idx = unsigned(__builtin_ctz(active));
        active &= active - 1;
        hrtimer_clock_base* base = &cpu_base->clock_base[idx];
        timerqueue_node* node = timerqueue_getnext(&base->active);
        hrtimer* timer = container_of(node, hrtimer, node);
        ktime_t expires = timer->node.expires - base->offset;
        if (expires < expires_next) {
            expires_next = expires;
            *next = timer;
        }
    }
    return expires_next < 0 ? 0 : expires_next;
}

// Recomputes what the device must be programmed for: the earliest hard timer,
// or the earliest soft one if the softirq is not already on its way.
ktime_t hrtimer_update_next_event(hrtimer_cpu_base* cpu_base) {
    ktime_t soft = KTIME_MAX;
    if (!cpu_base->softirq_activated) {
        soft = __hrtimer_next_event_base(cpu_base, HRTIMER_ACTIVE_SOFT, &cpu_base->softirq_next_timer);
        cpu_base->softirq_expires_next = soft;
    }
    ktime_t hard = __hrtimer_next_event_base(cpu_base, HRTIMER_ACTIVE_HARD, &cpu_base->next_timer);
    if (soft < hard) {
        cpu_base->next_timer = cpu_base->softirq_next_timer;
        return soft;
    }
    return hard;
}

void __hrtimer_reprogram(hrtimer_cpu_base* cpu_base, hrtimer* next_timer, ktime_t expires_next) {
    cpu_base->expires_next = expires_next;
    cpu_base->next_timer = next_timer;
    // In low-res mode the tick polls; after a hang, hrtimer_interrupt paces itself.
    if (!cpu_base->hres_active || cpu_base->hang_detected) return;
    tick_program_event(expires_next, true);
}

void hrtimer_force_reprogram(hrtimer_cpu_base* cpu_base, bool skip_equal) {
    ktime_t expires_next = hrtimer_update_next_event(cpu_base);
    if (skip_equal && expires_next == cpu_base->expires_next) return;
    __hrtimer_reprogram(cpu_base, cpu_base->next_timer, expires_next);
}

// The clocks' offsets as of now; returns the monotonic time.
ktime_t hrtimer_update_base(hrtimer_cpu_base* base) {
    ktime_t offs_real, offs_boot;
    ktime_t now = ktime_get_update_offsets_now(&offs_real, &offs_boot);
    base->clock_base[HRTIMER_BASE_REALTIME].offset = offs_real;
    base->clock_base[HRTIMER_BASE_REALTIME_SOFT].offset = offs_real;
    base->clock_base[HRTIMER_BASE_BOOTTIME].offset = offs_boot;
    base->clock_base[HRTIMER_BASE_BOOTTIME_SOFT].offset = offs_boot;
    return now;
}

// A timer just became the first of its base on this CPU: program the device
// earlier if it is now the first of all.
void hrtimer_reprogram(hrtimer* timer) {
    hrtimer_cpu_base* cpu_base = this_cpu_base();
    hrtimer_clock_base* base = timer->base;
    ktime_t expires = timer->node.expires - base->offset;
    if (expires < 0) expires = 0;
    if (timer->is_soft) {
        // The softirq reprograms when it has run; until then nothing to do.
        if (cpu_base->softirq_activated) return;
        if (expires >= cpu_base->softirq_expires_next) return;
        cpu_base->softirq_next_timer = timer;
        cpu_base->softirq_expires_next = expires;
    }
    if (base->cpu_base != cpu_base) return;
    if (expires >= cpu_base->expires_next) return;
    // hrtimer_interrupt is running the queues and reprograms when done.
    if (cpu_base->in_hrtirq) return;
    __hrtimer_reprogram(cpu_base, timer, expires);
}

// ---- queueing --------------------------------------------------------------------

bool enqueue_hrtimer(hrtimer* timer, hrtimer_clock_base* base) {
    base->cpu_base->active_bases |= 1u << base->index;
    __atomic_store_n(&timer->state, HRTIMER_STATE_ENQUEUED, __ATOMIC_RELAXED);
    return timerqueue_add(&base->active, &timer->node);
}

void __remove_hrtimer(hrtimer* timer, hrtimer_clock_base* base, u8 newstate, bool reprogram) {
    hrtimer_cpu_base* cpu_base = base->cpu_base;
    if (!(timer->state & HRTIMER_STATE_ENQUEUED)) return;
    __atomic_store_n(&timer->state, newstate, __ATOMIC_RELAXED);
    if (!timerqueue_del(&base->active, &timer->node)) cpu_base->active_bases &= ~(1u << base->index);
    // Spare the CPU an interrupt for a timer that no longer exists. Only the
    // local device can be reprogrammed; a remote one takes an early interrupt.
    if (reprogram && timer == cpu_base->next_timer && cpu_base == this_cpu_base())
        hrtimer_force_reprogram(cpu_base, true);
}

bool remove_hrtimer(hrtimer* timer, hrtimer_clock_base* base, bool reprogram) {
    if (!(timer->state & HRTIMER_STATE_ENQUEUED)) return false;
    __remove_hrtimer(timer, base, HRTIMER_STATE_INACTIVE, reprogram);
    return true;
}

// Timers start on the CPU that starts them (the work they do is usually for
// that CPU), except one whose callback runs right now: it stays where it is,
// or hrtimer_cancel could miss the running callback.
hrtimer_clock_base* switch_hrtimer_base(hrtimer* timer, hrtimer_clock_base* base) {
    hrtimer_cpu_base* new_cpu_base = this_cpu_base();
    hrtimer_clock_base* new_base = &new_cpu_base->clock_base[base->index];
    if (base == new_base || hrtimer_callback_running(timer)) return base;
    __atomic_store_n(&timer->base, &migration_base, __ATOMIC_RELEASE);
    base->cpu_base->lock.unlock();
    new_cpu_base->lock.lock();
    __atomic_store_n(&timer->base, new_base, __ATOMIC_RELEASE);
    return new_base;
}

// ---- expiry ----------------------------------------------------------------------

void __run_hrtimer(hrtimer_cpu_base* cpu_base, hrtimer_clock_base* base, hrtimer* timer, unsigned long* flags) {
    __atomic_store_n(&base->running, timer, __ATOMIC_RELAXED);
    __remove_hrtimer(timer, base, HRTIMER_STATE_INACTIVE, false);
    hrtimer_restart (*fn)(hrtimer*) = timer->function;
    // Hard timers run with interrupts still off (we are in the interrupt);
    // soft ones get them back, as the softirq had them on.
    cpu_base->lock.unlock();
    arch_local_irq_restore(*flags);
    hrtimer_restart restart = fn(timer);
    *flags = arch_local_irq_save();
    cpu_base->lock.lock();
    // The callback may have restarted the timer itself; then it is queued already.
    if (restart != HRTIMER_NORESTART && !(timer->state & HRTIMER_STATE_ENQUEUED)) enqueue_hrtimer(timer, base);
    __atomic_store_n(&base->running, (hrtimer*)nullptr, __ATOMIC_RELEASE);
}

void __hrtimer_run_queues(hrtimer_cpu_base* cpu_base, ktime_t now, unsigned long* flags, unsigned mask) {
    unsigned active = cpu_base->active_bases & mask;
    while (active) {
        unsigned idx = unsigned(__builtin_ctz(active));
        active &= active - 1;
        hrtimer_clock_base* base = &cpu_base->clock_base[idx];
        ktime_t basenow = now + base->offset;
        while (timerqueue_node* node = timerqueue_getnext(&base->active)) {
            hrtimer* timer = container_of(node, hrtimer, node);
            // Anything past its earliest time goes now: it may share this interrupt.
            if (basenow < hrtimer_get_softexpires(timer)) break;
            __run_hrtimer(cpu_base, base, timer, flags);
        }
    }
}

void hrtimer_run_softirq(softirq_action*) {
    hrtimer_cpu_base* cpu_base = this_cpu_base();
    unsigned long flags = arch_local_irq_save();
    cpu_base->lock.lock();
    ktime_t now = hrtimer_update_base(cpu_base);
    __hrtimer_run_queues(cpu_base, now, &flags, HRTIMER_ACTIVE_SOFT);
    cpu_base->softirq_activated = false;
    // The next soft timer needs the device again.
    ktime_t soft = __hrtimer_next_event_base(cpu_base, HRTIMER_ACTIVE_SOFT, &cpu_base->softirq_next_timer);
    cpu_base->softirq_expires_next = soft;
    if (soft < cpu_base->expires_next) __hrtimer_reprogram(cpu_base, cpu_base->softirq_next_timer, soft);
    cpu_base->lock.unlock();
    arch_local_irq_restore(flags);
}

// The softirq's timers are due: hand them over (called with the lock held).
void hrtimer_check_softirq(hrtimer_cpu_base* cpu_base, ktime_t now) {
    if (now < cpu_base->softirq_expires_next) return;
    cpu_base->softirq_expires_next = KTIME_MAX;
    cpu_base->softirq_activated = true;
    raise_softirq_irqoff(HRTIMER_SOFTIRQ);
}

void hrtimer_switch_to_hres() {
    hrtimer_cpu_base* base = this_cpu_base();
    if (tick_switch_to_oneshot(hrtimer_interrupt)) {
        pr_warn("Could not switch to high resolution mode on CPU %u\n", base->cpu);
        return;
    }
    base->hres_active = true;
    hrtimer_resolution = 1;
    tick_setup_sched_timer();
    unsigned long flags = arch_local_irq_save();
    base->lock.lock();
    hrtimer_update_base(base);
    hrtimer_force_reprogram(base, false);
    base->lock.unlock();
    arch_local_irq_restore(flags);
    printk(KERN_DEBUG "Switched to high resolution mode on CPU %u\n", base->cpu);
}

// ---- sleeping --------------------------------------------------------------------

hrtimer_restart hrtimer_wakeup(hrtimer* timer) {
    auto* t = container_of(timer, hrtimer_sleeper, timer);
    task_struct* task = t->task;
    __atomic_store_n(&t->task, (task_struct*)nullptr, __ATOMIC_RELEASE);
    if (task) wake_up_process(task);
    return HRTIMER_NORESTART;
}

bool sleeper_pending(const hrtimer_sleeper* t) { return __atomic_load_n(&t->task, __ATOMIC_ACQUIRE) != nullptr; }

// Linux's default timer_slack_ns for normal tasks; real-time tasks get none.
constexpr u64 TIMER_SLACK_NS = 50000;
u64 current_slack_ns() {
    return (current->policy == SCHED_FIFO || current->policy == SCHED_RR) ? 0 : TIMER_SLACK_NS;
}

}  // namespace

__setup("highres=", setup_hrtimer_hres);

// ---- public interface -------------------------------------------------------------

void hrtimer_init(hrtimer* timer, clockid_t clock_id, hrtimer_mode mode) {
    memset(timer, 0, sizeof(*timer));
    // A relative REALTIME timer is about an interval, not a wall-clock time:
    // setting the clock must not move it (POSIX), so it runs on MONOTONIC.
    if (clock_id == CLOCK_REALTIME && (mode & HRTIMER_MODE_REL)) clock_id = CLOCK_MONOTONIC;
    timer->is_soft = mode & HRTIMER_MODE_SOFT;
    int idx = hrtimer_clockid_to_base(clock_id) + (timer->is_soft ? HRTIMER_BASE_MONOTONIC_SOFT : 0);
    timer->base = &this_cpu_base()->clock_base[idx];
    timerqueue_init(&timer->node);
}

void hrtimer_start_range_ns(hrtimer* timer, ktime_t tim, u64 range_ns, hrtimer_mode mode) {
    unsigned long flags;
    hrtimer_clock_base* base = lock_hrtimer_base(timer, &flags);
    remove_hrtimer(timer, base, false);
    if (mode & HRTIMER_MODE_REL) tim = ktime_add_safe(tim, base->get_time());
    hrtimer_set_expires_range_ns(timer, tim, range_ns);
    base = switch_hrtimer_base(timer, base);
    if (enqueue_hrtimer(timer, base) && base->cpu_base == this_cpu_base()) hrtimer_reprogram(timer);
    unlock_hrtimer_base(timer, flags);
}

int hrtimer_try_to_cancel(hrtimer* timer) {
    unsigned long flags;
    hrtimer_clock_base* base = lock_hrtimer_base(timer, &flags);
    int ret = -1;
    if (!hrtimer_callback_running(timer)) ret = remove_hrtimer(timer, base, true) ? 1 : 0;
    unlock_hrtimer_base(timer, flags);
    return ret;
}

int hrtimer_cancel(hrtimer* timer) {
    for (;;) {
        int ret = hrtimer_try_to_cancel(timer);
        if (ret >= 0) return ret;
        cpu_relax();
    }
}

bool hrtimer_active(const hrtimer* timer) {
    unsigned long flags;
    lock_hrtimer_base(timer, &flags);
    bool active = (timer->state & HRTIMER_STATE_ENQUEUED) || hrtimer_callback_running(timer);
    unlock_hrtimer_base(timer, flags);
    return active;
}

u64 hrtimer_forward(hrtimer* timer, ktime_t now, ktime_t interval) {
    ktime_t delta = now - hrtimer_get_expires(timer);
    if (delta < 0) return 0;
    if (timer->state & HRTIMER_STATE_ENQUEUED) {
        pr_warn("hrtimer_forward on a queued timer\n");
        return 0;
    }
    if (interval < ktime_t(hrtimer_resolution)) interval = hrtimer_resolution;
    u64 orun = 1;
    if (delta >= interval) {
        // Skip the missed periods in one step rather than a loop.
        orun = u64(delta / interval);
        ktime_t t = ktime_add_safe(hrtimer_get_expires(timer), interval * ktime_t(orun));
        timer->node.expires = t;
        timer->_softexpires = ktime_add_safe(timer->_softexpires, interval * ktime_t(orun));
        if (t > now) return orun;
        orun++;
    }
    timer->node.expires = ktime_add_safe(timer->node.expires, interval);
    timer->_softexpires = ktime_add_safe(timer->_softexpires, interval);
    return orun;
}

u64 hrtimer_forward_now(hrtimer* timer, ktime_t interval) {
    return hrtimer_forward(timer, timer->base->get_time(), interval);
}

ktime_t hrtimer_cb_get_time(const hrtimer* timer) { return timer->base->get_time(); }

ktime_t hrtimer_get_remaining(const hrtimer* timer) { return hrtimer_get_expires(timer) - hrtimer_cb_get_time(timer); }

void hrtimers_init() {
    static ktime_t (*const get_time[HRTIMER_MAX_CLOCK_BASES])() = {get_mono, get_real, get_boot,
                                                                   get_mono, get_real, get_boot};
    static const clockid_t clockids[HRTIMER_MAX_CLOCK_BASES] = {CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME,
                                                                CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME};
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        hrtimer_cpu_base* cpu_base = &per_cpu(hrtimer_bases, cpu);
        cpu_base->cpu = cpu;
        cpu_base->expires_next = KTIME_MAX;
        cpu_base->softirq_expires_next = KTIME_MAX;
        for (unsigned i = 0; i < HRTIMER_MAX_CLOCK_BASES; i++) {
            hrtimer_clock_base* base = &cpu_base->clock_base[i];
            base->cpu_base = cpu_base;
            base->index = i;
            base->clockid = clockids[i];
            base->get_time = get_time[i];
            timerqueue_init_head(&base->active);
        }
    }
    open_softirq(HRTIMER_SOFTIRQ, hrtimer_run_softirq);
}

// Low-res mode: called from every tick. Also where a CPU switches to
// high-resolution mode, once its tick device and the clocksource allow it.
void hrtimer_run_queues() {
    hrtimer_cpu_base* cpu_base = this_cpu_base();
    if (cpu_base->hres_active) return;
    if (hrtimer_hres_enabled && timekeeping_valid_for_hres() && tick_oneshot_possible()) {
        hrtimer_switch_to_hres();
        return;
    }
    unsigned long flags = arch_local_irq_save();
    cpu_base->lock.lock();
    ktime_t now = hrtimer_update_base(cpu_base);
    hrtimer_check_softirq(cpu_base, now);
    __hrtimer_run_queues(cpu_base, now, &flags, HRTIMER_ACTIVE_HARD);
    cpu_base->lock.unlock();
    arch_local_irq_restore(flags);
}

// High-res mode: the tick device's handler. Runs the due hard timers, hands the
// soft ones to the softirq, and programs the device for the next one. If that
// is already due (the callbacks took long), loop, but only three times: then
// the CPU is spending all its time here, so back off instead of hanging.
void hrtimer_interrupt(clock_event_device* dev) {
    hrtimer_cpu_base* cpu_base = this_cpu_base();
    int retries = 0;
    dev->next_event = KTIME_MAX;
    unsigned long flags = arch_local_irq_save();
    cpu_base->lock.lock();
    ktime_t entry_time = hrtimer_update_base(cpu_base), now = entry_time;
    cpu_base->nr_events++;
    for (;;) {
        cpu_base->in_hrtirq = true;
        cpu_base->expires_next = KTIME_MAX;
        hrtimer_check_softirq(cpu_base, now);
        __hrtimer_run_queues(cpu_base, now, &flags, HRTIMER_ACTIVE_HARD);
        ktime_t expires_next = hrtimer_update_next_event(cpu_base);
        cpu_base->expires_next = expires_next;
        cpu_base->in_hrtirq = false;
        cpu_base->lock.unlock();
        arch_local_irq_restore(flags);
        if (!tick_program_event(expires_next, false)) {
            cpu_base->hang_detected = false;
            return;
        }
        flags = arch_local_irq_save();
        cpu_base->lock.lock();
        now = hrtimer_update_base(cpu_base);
        cpu_base->nr_retries++;
        if (++retries >= 3) break;
    }
    cpu_base->nr_hangs++;
    cpu_base->hang_detected = true;
    cpu_base->lock.unlock();
    arch_local_irq_restore(flags);
    ktime_t delta = now - entry_time;
    if (delta > cpu_base->max_hang_time) cpu_base->max_hang_time = delta;
    // Give the rest of the system at least as long as this interrupt took, up to 100 ms.
    ktime_t next = now + (delta > 100 * NSEC_PER_MSEC ? 100 * NSEC_PER_MSEC : delta);
    tick_program_event(next, true);
    // Once, as Linux does: printing from this interrupt on every hang would make
    // an overloaded machine slower still.
    static bool warned;
    if (!warned) {
        warned = true;
        pr_warn("interrupt took %lld ns\n", (long long)delta);
    }
}

void clock_was_set() {
    hrtimer_cpu_base* cpu_base = this_cpu_base();
    unsigned long flags = arch_local_irq_save();
    cpu_base->lock.lock();
    hrtimer_update_base(cpu_base);
    hrtimer_force_reprogram(cpu_base, false);
    cpu_base->lock.unlock();
    arch_local_irq_restore(flags);
}

// ---- sleeping --------------------------------------------------------------------

void hrtimer_init_sleeper(hrtimer_sleeper* sl, clockid_t clock_id, hrtimer_mode mode) {
    hrtimer_init(&sl->timer, clock_id, mode);
    sl->timer.function = hrtimer_wakeup;
    sl->task = current;
}

int schedule_hrtimeout_range(ktime_t* expires, u64 delta, hrtimer_mode mode) {
    if (expires && *expires == 0) {
        __set_current_state(TASK_RUNNING);
        return 0;
    }
    if (!expires) {
        schedule();
        return -EINTR;
    }
    hrtimer_sleeper t;
    hrtimer_init_sleeper(&t, CLOCK_MONOTONIC, mode);
    hrtimer_set_expires_range_ns(&t.timer, *expires, delta);
    hrtimer_start_expires(&t.timer, mode);
    if (sleeper_pending(&t)) schedule();
    hrtimer_cancel(&t.timer);
    __set_current_state(TASK_RUNNING);
    return sleeper_pending(&t) ? -EINTR : 0;
}

int schedule_hrtimeout(ktime_t* expires, hrtimer_mode mode) { return schedule_hrtimeout_range(expires, 0, mode); }

namespace {

// Sleeps until t expires or a signal is to be handled (Linux's do_nanosleep).
// Interrupted, a relative sleep reports the time left through the caller's
// rmtp (current->restart_block) and asks to be restarted through
// restart_syscall with the same end time; an absolute one is simply re-issued.
long do_nanosleep(hrtimer_sleeper* t, hrtimer_mode mode, bool absolute) {
    do {
        set_current_state(TASK_INTERRUPTIBLE);
        hrtimer_start_expires(&t->timer, mode);
        if (sleeper_pending(t) && !signal_pending(current)) schedule();
        hrtimer_cancel(&t->timer);
        mode = HRTIMER_MODE_ABS;
    } while (sleeper_pending(t) && !signal_pending(current));
    __set_current_state(TASK_RUNNING);
    if (!sleeper_pending(t)) return 0;
    if (absolute) return -ERESTARTNOHAND;
    ktime_t rem = hrtimer_get_remaining(&t->timer);
    if (rem <= 0) return 0;
    restart_block* rb = &current->restart_block;
    if (rb->nanosleep.rmtp) {
        __kernel_timespec ts{rem / NSEC_PER_SEC, long(rem % NSEC_PER_SEC)};
        if (copy_to_user(rb->nanosleep.rmtp, &ts, sizeof(ts))) return -EFAULT;
    }
    rb->fn = hrtimer_nanosleep_restart;
    rb->nanosleep.clockid = t->timer.base->clockid;
    rb->nanosleep.expires = hrtimer_get_expires(&t->timer);
    return -ERESTART_RESTARTBLOCK;
}

}  // namespace

long hrtimer_nanosleep_restart(restart_block* rb) {
    hrtimer_sleeper t;
    hrtimer_init_sleeper(&t, rb->nanosleep.clockid, HRTIMER_MODE_ABS);
    hrtimer_set_expires(&t.timer, rb->nanosleep.expires);
    return do_nanosleep(&t, HRTIMER_MODE_ABS, false);
}

long hrtimer_nanosleep(ktime_t rqtp, hrtimer_mode mode, clockid_t clockid) {
    if (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME && clockid != CLOCK_BOOTTIME) return -EINVAL;
    hrtimer_sleeper t;
    hrtimer_init_sleeper(&t, clockid, mode);
    hrtimer_set_expires_range_ns(&t.timer, rqtp, current_slack_ns());
    return do_nanosleep(&t, mode, mode == HRTIMER_MODE_ABS);
}

// ---- debug dump --------------------------------------------------------------------

void hrtimer_show_cpu(unsigned cpu) {
    hrtimer_cpu_base* cpu_base = &per_cpu(hrtimer_bases, cpu);
    printk(KERN_INFO "cpu: %u\n .hres_active: %d\n .expires_next: %lld nsecs\n .nr_events: %u\n .nr_retries: %u\n"
                     " .nr_hangs: %u\n .max_hang_time: %lld\n",
           cpu, cpu_base->hres_active, (long long)cpu_base->expires_next, cpu_base->nr_events,
           cpu_base->nr_retries, cpu_base->nr_hangs, (long long)cpu_base->max_hang_time);
}
