// The clock system calls (Linux's kernel/time/posix-stubs.c, the variant for
// kernels without POSIX timers, plus time() and gettimeofday() from
// kernel/time/time.c, which here is a host-tested file without user access).
// Clocks: REALTIME, MONOTONIC, BOOTTIME, and their COARSE and RAW variants read
// the same way (Keel keeps no separate coarse or raw clock yet). The CPU-time
// clocks read the scheduler's sum_exec_runtime, of the thread or of the process.
#include <asm/uaccess.h>
#include <keel/hrtimer.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <uapi/linux/time_types.h>

namespace {

enum : clockid_t { CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4,
                   CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6 };

// The kernel clock a user clock id reads, or -1.
clockid_t base_clock(clockid_t id) {
    switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE: return CLOCK_REALTIME;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE: return CLOCK_MONOTONIC;
    case CLOCK_BOOTTIME: return CLOCK_BOOTTIME;
    default: return -1;
    }
}

long put_timespec(ktime_t t, __kernel_timespec __user* u) {
    __kernel_timespec ts{t / NSEC_PER_SEC, long(t % NSEC_PER_SEC)};
    return copy_to_user(u, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long get_timespec(const __kernel_timespec __user* u, ktime_t* out) {
    __kernel_timespec ts;
    if (copy_from_user(&ts, u, sizeof(ts))) return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC) return -EINVAL;
    *out = ktime_set(ts.tv_sec, (unsigned long)ts.tv_nsec);
    return 0;
}

}  // namespace

long sys_clock_gettime(clockid_t which_clock, __kernel_timespec __user* tp) {
    ktime_t t;
    if (which_clock == CLOCK_THREAD_CPUTIME_ID) {
        t = ktime_t(current->se.sum_exec_runtime);
    } else if (which_clock == CLOCK_PROCESS_CPUTIME_ID) {
        // Every thread's, the dead ones' included (Linux's thread_group_cputime).
        task_cputime c;
        thread_group_cputime(current, &c);
        t = ktime_t(c.sum_exec_runtime);
    } else {
        clockid_t base = base_clock(which_clock);
        if (base < 0) return -EINVAL;
        t = ktime_get_clock(base);
    }
    return put_timespec(t, tp);
}

long sys_clock_getres(clockid_t which_clock, __kernel_timespec __user* tp) {
    if (base_clock(which_clock) < 0 && which_clock != CLOCK_PROCESS_CPUTIME_ID &&
        which_clock != CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    return tp ? put_timespec(1, tp) : 0;  // hrtimer resolution: 1 ns, as Linux reports in high-res mode
}

long sys_clock_nanosleep(clockid_t which_clock, int flags, const __kernel_timespec __user* rqtp,
                         __kernel_timespec __user* rmtp) {
    clockid_t base = base_clock(which_clock);
    if (base < 0 || which_clock == CLOCK_MONOTONIC_RAW || which_clock == CLOCK_REALTIME_COARSE ||
        which_clock == CLOCK_MONOTONIC_COARSE)
        return -EINVAL;  // Linux does not sleep on these either
    ktime_t t;
    if (long err = get_timespec(rqtp, &t)) return err;
    // Where an interrupted relative sleep reports the time left (Linux's restart_block.nanosleep.rmtp).
    current->restart_block.nanosleep.rmtp = (flags & TIMER_ABSTIME) ? nullptr : rmtp;
    return hrtimer_nanosleep(t, (flags & TIMER_ABSTIME) ? HRTIMER_MODE_ABS : HRTIMER_MODE_REL, base);
}

long sys_nanosleep(const __kernel_timespec __user* rqtp, __kernel_timespec __user* rmtp) {
    return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, rqtp, rmtp);
}

long sys_gettimeofday(__kernel_old_timeval __user* tv, struct timezone __user* tz) {
    if (tv) {
        ktime_t now = ktime_get_real();
        __kernel_old_timeval v{long(now / NSEC_PER_SEC), long(now % NSEC_PER_SEC / NSEC_PER_USEC)};
        if (copy_to_user(tv, &v, sizeof(v))) return -EFAULT;
    }
    if (tz) {
        struct timezone z{0, 0};  // the kernel's timezone is UTC until settimeofday sets one
        if (copy_to_user(tz, &z, sizeof(z))) return -EFAULT;
    }
    return 0;
}

long sys_time(long __user* tloc) {
    long now = long(ktime_get_real_seconds());
    if (tloc && put_user(now, tloc)) return -EFAULT;
    return now;
}
