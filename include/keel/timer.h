// Timer-wheel timers (Linux's include/linux/timer.h): timeouts counted in
// jiffies, for the many kernel timeouts that are usually cancelled before they
// fire and need no precision (hrtimers are for those that do). Each CPU keeps a
// hierarchical wheel; adding and removing a timer is O(1); expiry runs in the
// TIMER softirq, so a timer function must not sleep.
//
//     static void fire(timer_list* t) { auto* d = from_timer(d, t, timer); ... }
//     timer_setup(&d->timer, fire, 0);
//     mod_timer(&d->timer, jiffies + HZ);   // about one second from now
//     del_timer_sync(&d->timer);            // neither pending nor running afterwards
#pragma once
#include <keel/types.h>
#include <lib/list.h>

struct timer_list {
    list_head entry;       // in a wheel bucket while pending (entry.next == nullptr otherwise)
    unsigned long expires; // in jiffies: the timer fires at the first tick at or after this
    void (*function)(timer_list* timer);
    u32 flags;             // the CPU whose wheel holds it, TIMER_* bits, and its bucket
};

enum : u32 {
    TIMER_CPUMASK = 0x0003ffff,
    TIMER_MIGRATING = 0x00040000,  // between two CPUs' wheels: lock neither
    TIMER_PINNED = 0x00200000,     // stays on the CPU it was added on (add_timer_on)
    TIMER_ARRAYSHIFT = 22,         // bits 22-31: the wheel bucket it is in while pending
    TIMER_ARRAYMASK = 0xffc00000,
};

#define from_timer(var, callback_timer, timer_fieldname) \
    container_of(callback_timer, __typeof__(*var), timer_fieldname)

void timer_setup(timer_list* timer, void (*function)(timer_list*), u32 flags);
static inline bool timer_pending(const timer_list* timer) { return timer->entry.next != nullptr; }

// Queues on this CPU's wheel; the timer must not be pending.
void add_timer(timer_list* timer);
void add_timer_on(timer_list* timer, int cpu);
// (Re)arms the timer for `expires`; true if it was pending before.
bool mod_timer(timer_list* timer, unsigned long expires);
// Takes a pending timer off its wheel; true if it was pending. The function
// may still be running on another CPU afterwards.
bool del_timer(timer_list* timer);
// del_timer, then waits for a running function to return. Not from the timer's
// own function, and not while holding a lock that function takes.
bool del_timer_sync(timer_list* timer);

// From update_process_times on every tick: raises the TIMER softirq when a
// timer on this CPU's wheel may be due.
void run_local_timers();
void init_timers();  // start_kernel
