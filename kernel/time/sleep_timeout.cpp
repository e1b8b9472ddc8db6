// Sleeping for a while (Linux's kernel/time/sleep_timeout.c): schedule_timeout
// and the msleep family.
//
// Linux runs schedule_timeout on a timer-wheel timer; Keel has no timer wheel
// yet, so it uses an hrtimer set `timeout` jiffies' worth of nanoseconds ahead.
// That sleeps at least the full time asked (the wheel may end a sleep up to a
// jiffy early, which is why msleep adds one).
#define pr_fmt(fmt) fmt
#include <keel/delay.h>
#include <keel/hrtimer.h>
#include <keel/jiffies.h>
#include <keel/printk.h>
#include <keel/sched.h>

long schedule_timeout(long timeout) {
    if (timeout == MAX_SCHEDULE_TIMEOUT) {
        schedule();
        return timeout;
    }
    if (timeout < 0) {
        pr_err("schedule_timeout: wrong timeout value %lx\n", (unsigned long)timeout);
        __set_current_state(TASK_RUNNING);
        return 0;
    }
    unsigned long expire = jiffies + (unsigned long)timeout;
    ktime_t expires = ktime_add_safe(ktime_get(), ktime_t(jiffies_to_nsecs((unsigned long)timeout)));
    // 0: the time came; otherwise woken early, with what is left.
    if (!schedule_hrtimeout(&expires, HRTIMER_MODE_ABS)) return 0;
    long left = long(expire - jiffies);
    return left < 0 ? 0 : left;
}

long schedule_timeout_interruptible(long timeout) {
    __set_current_state(TASK_INTERRUPTIBLE);
    return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout) {
    __set_current_state(TASK_UNINTERRUPTIBLE);
    return schedule_timeout(timeout);
}

void msleep(unsigned int msecs) {
    long timeout = long(msecs_to_jiffies(msecs)) + 1;
    while (timeout) timeout = schedule_timeout_uninterruptible(timeout);
}

unsigned long msleep_interruptible(unsigned int msecs) {
    long timeout = long(msecs_to_jiffies(msecs)) + 1;
    while (timeout) timeout = schedule_timeout_interruptible(timeout);
    return jiffies_to_msecs((unsigned long)timeout);
}

void usleep_range(unsigned long min, unsigned long max) {
    ktime_t exp = ktime_add_us(ktime_get(), min);
    u64 delta = (max > min ? max - min : 0) * NSEC_PER_USEC;
    for (;;) {
        __set_current_state(TASK_UNINTERRUPTIBLE);
        if (!schedule_hrtimeout_range(&exp, delta, HRTIMER_MODE_ABS)) break;
    }
}
