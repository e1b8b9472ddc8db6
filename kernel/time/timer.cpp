// Timer-wheel timers (include/keel/timer.h; Linux's kernel/time/timer.c).
//
// Each CPU has a timer_base: the wheel's buckets (kernel/time/timer_wheel.h),
// a bitmap of non-empty buckets, and `clk`, the next jiffy the wheel will
// process. The tick raises the TIMER softirq when jiffies has reached clk and
// timers are queued; the softirq advances clk one jiffy at a time up to
// jiffies, collecting the due bucket of each level and running its timers
// with the base unlocked (running_timer tells del_timer_sync what to wait for).
//
// A timer lives on the wheel of the CPU that last armed it (its CPU is kept in
// flags); re-arming it elsewhere moves it, unless its function is running,
// exactly as hrtimers do. While it moves it carries TIMER_MIGRATING and
// lock_timer_base waits.
#include <keel/interrupt.h>
#include <keel/jiffies.h>
#include <keel/percpu.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/timer.h>
#include <lib/bitmap.h>
#include <lib/cpumask.h>
#include <asm/processor.h>
#include "timer_wheel.h"

using namespace timer_wheel;

namespace {

struct timer_base {
    spinlock_t lock{"timer_base.lock"};
    timer_list* running_timer = nullptr;
    unsigned long clk = 0;       // next jiffy to process
    unsigned cpu = 0;
    unsigned nr_pending = 0;     // timers in the buckets
    unsigned long pending_map[BITS_TO_LONGS(WHEEL_SIZE)] = {};
    list_head vectors[WHEEL_SIZE];
};

DEFINE_PER_CPU(timer_base, timer_bases);

timer_base* base_of_cpu(unsigned cpu) { return per_cpu_ptr(&timer_bases, cpu); }
unsigned timer_cpu(const timer_list* timer) { return timer->flags & TIMER_CPUMASK; }

// Locks the base the timer is on now, waiting out a move between bases.
timer_base* lock_timer_base(timer_list* timer, unsigned long* flags) {
    for (;;) {
        u32 tf = __atomic_load_n(&timer->flags, __ATOMIC_ACQUIRE);
        if (!(tf & TIMER_MIGRATING)) {
            timer_base* base = base_of_cpu(tf & TIMER_CPUMASK);
            *flags = arch_local_irq_save();
            base->lock.lock();
            if (__atomic_load_n(&timer->flags, __ATOMIC_RELAXED) == tf) return base;
            base->lock.unlock();
            arch_local_irq_restore(*flags);
        }
        cpu_relax();
    }
}

void unlock_timer_base(timer_base* base, unsigned long flags) {
    base->lock.unlock();
    arch_local_irq_restore(flags);
}

void enqueue_timer(timer_base* base, timer_list* timer) {
    unsigned long bucket_expiry;
    unsigned idx = calc_wheel_index(timer->expires, base->clk, &bucket_expiry);
    list_add_tail(&timer->entry, &base->vectors[idx]);
    __set_bit(idx, base->pending_map);
    timer->flags = (timer->flags & ~TIMER_ARRAYMASK) | (idx << TIMER_ARRAYSHIFT);
    base->nr_pending++;
}

// Off its bucket; the bucket's bit goes when it empties.
bool detach_if_pending(timer_list* timer, timer_base* base) {
    if (!timer_pending(timer)) return false;
    unsigned idx = (timer->flags & TIMER_ARRAYMASK) >> TIMER_ARRAYSHIFT;
    list_del(&timer->entry);
    timer->entry.next = nullptr;
    if (list_empty(&base->vectors[idx])) __clear_bit(idx, base->pending_map);
    base->nr_pending--;
    return true;
}

// A timer armed on a CPU whose wheel has been idle starts from its clk, which
// may lag jiffies: catch the clock up first so delays are measured from now.
void forward_timer_base(timer_base* base) {
    if (!base->nr_pending && long(jiffies - base->clk) > 0) base->clk = jiffies;
}

// Moves a timer that is not pending to `new_cpu`'s base (unless its function
// runs right now on its old one); returns the base it is now locked on.
timer_base* switch_timer_base(timer_list* timer, timer_base* base, unsigned new_cpu) {
    timer_base* new_base = base_of_cpu(new_cpu);
    if (base == new_base || base->running_timer == timer) return base;
    __atomic_store_n(&timer->flags, timer->flags | TIMER_MIGRATING, __ATOMIC_RELEASE);
    base->lock.unlock();
    new_base->lock.lock();
    __atomic_store_n(&timer->flags, (timer->flags & ~(TIMER_CPUMASK | TIMER_MIGRATING)) | new_cpu,
                     __ATOMIC_RELEASE);
    return new_base;
}

bool __mod_timer(timer_list* timer, unsigned long expires, int cpu) {
    unsigned long flags;
    timer_base* base = lock_timer_base(timer, &flags);
    bool was_pending = detach_if_pending(timer, base);
    unsigned target = cpu >= 0 ? unsigned(cpu) : (timer->flags & TIMER_PINNED) ? timer_cpu(timer) : smp_processor_id();
    base = switch_timer_base(timer, base, target);
    forward_timer_base(base);
    timer->expires = expires;
    enqueue_timer(base, timer);
    unlock_timer_base(base, flags);
    return was_pending;
}

// Moves the timers due at base->clk onto `heads`.
void collect_expired_timers(timer_base* base, list_head* heads) {
    unsigned idx[LVL_DEPTH];
    for (unsigned i = 0, n = due_buckets(base->clk, idx); i < n; i++)
        if (__test_and_clear_bit(idx[i], base->pending_map)) list_splice_tail_init(&base->vectors[idx[i]], heads);
}

void expire_timers(timer_base* base, list_head* head, unsigned long* flags) {
    while (!list_empty(head)) {
        timer_list* timer = list_first_entry(head, timer_list, entry);
        list_del(&timer->entry);
        timer->entry.next = nullptr;
        base->nr_pending--;
        base->running_timer = timer;
        void (*fn)(timer_list*) = timer->function;
        unlock_timer_base(base, *flags);
        fn(timer);
        *flags = arch_local_irq_save();
        base->lock.lock();
        base->running_timer = nullptr;
    }
}

void run_timer_softirq(softirq_action*) {
    timer_base* base = this_cpu_ptr(&timer_bases);
    unsigned long flags = arch_local_irq_save();
    base->lock.lock();
    list_head heads;
    INIT_LIST_HEAD(&heads);
    while (long(jiffies - base->clk) >= 0 && base->nr_pending) {
        collect_expired_timers(base, &heads);
        base->clk++;
        expire_timers(base, &heads, &flags);
    }
    forward_timer_base(base);
    unlock_timer_base(base, flags);
}

}  // namespace

void timer_setup(timer_list* timer, void (*function)(timer_list*), u32 flags) {
    timer->entry.next = nullptr;
    timer->entry.prev = nullptr;
    timer->function = function;
    timer->expires = 0;
    timer->flags = (flags & ~TIMER_CPUMASK) | smp_processor_id();
}

void add_timer(timer_list* timer) { __mod_timer(timer, timer->expires, -1); }

void add_timer_on(timer_list* timer, int cpu) {
    timer->flags |= TIMER_PINNED;
    __mod_timer(timer, timer->expires, cpu);
}

bool mod_timer(timer_list* timer, unsigned long expires) { return __mod_timer(timer, expires, -1); }

bool del_timer(timer_list* timer) {
    if (!timer_pending(timer)) return false;
    unsigned long flags;
    timer_base* base = lock_timer_base(timer, &flags);
    bool was_pending = detach_if_pending(timer, base);
    unlock_timer_base(base, flags);
    return was_pending;
}

bool del_timer_sync(timer_list* timer) {
    for (;;) {
        unsigned long flags;
        timer_base* base = lock_timer_base(timer, &flags);
        bool was_pending = detach_if_pending(timer, base);
        bool running = base->running_timer == timer;
        unlock_timer_base(base, flags);
        if (!running) return was_pending;
        cpu_relax();
    }
}

void run_local_timers() {
    timer_base* base = this_cpu_ptr(&timer_bases);
    if (__atomic_load_n(&base->nr_pending, __ATOMIC_RELAXED) && long(jiffies - base->clk) >= 0)
        raise_softirq(TIMER_SOFTIRQ);
}

void init_timers() {
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        timer_base* base = base_of_cpu(cpu);
        base->cpu = cpu;
        base->clk = jiffies;
        for (list_head& v : base->vectors) INIT_LIST_HEAD(&v);
    }
    open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
}
