// Interval timers and alarm (Linux's kernel/time/itimer.c). ITIMER_REAL is an
// hrtimer on CLOCK_MONOTONIC in the process's signal_struct that sends
// SIGALRM (si_code SI_KERNEL) to the process, re-armed by it_real_incr.
// ITIMER_VIRTUAL and ITIMER_PROF are stored here and counted down by the
// ticks charged to the process (account_process_tick, kernel/sched/cputime.cpp).
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <uapi/linux/time_types.h>

namespace {

enum { ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2 };

struct itimerval {
    __kernel_old_timeval it_interval;
    __kernel_old_timeval it_value;
};

hrtimer_restart it_real_fn(hrtimer* timer) {
    auto* sig = reinterpret_cast<signal_struct*>(reinterpret_cast<char*>(timer) - offsetof(signal_struct, real_timer));
    if (sig->leader) do_send_sig_info(SIGALRM, SEND_SIG_PRIV, sig->leader, true);
    if (!sig->it_real_incr) return HRTIMER_NORESTART;
    // Linux re-arms when the SIGALRM is dequeued, so a slow process sees
    // overruns merged; re-arming here keeps the period without that detail.
    hrtimer_forward_now(timer, sig->it_real_incr);
    return HRTIMER_RESTART;
}

__kernel_old_timeval to_timeval(ktime_t t) {
    return {long(t / NSEC_PER_SEC), long(t % NSEC_PER_SEC / NSEC_PER_USEC)};
}

bool valid_timeval(const __kernel_old_timeval& tv) {
    return tv.tv_sec >= 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000;
}

ktime_t to_ktime(const __kernel_old_timeval& tv) {
    if (tv.tv_sec >= KTIME_SEC_MAX) return KTIME_MAX;
    return ktime_set(tv.tv_sec, u64(tv.tv_usec) * NSEC_PER_USEC);
}

void get_itimer(int which, itimerval* value) {
    signal_struct* sig = current->signal;
    Guard<IrqSave> guard(current->sighand->siglock);
    if (which == ITIMER_REAL) {
        ktime_t rem = 0;
        if (hrtimer_active(&sig->real_timer)) {
            rem = hrtimer_get_remaining(&sig->real_timer);
            if (rem <= 0) rem = NSEC_PER_USEC;  // due but not yet fired: still armed
        }
        value->it_value = to_timeval(rem);
        value->it_interval = to_timeval(sig->it_real_incr);
    } else {
        value->it_value = to_timeval(sig->it_cpu_value[which - 1]);
        value->it_interval = to_timeval(sig->it_cpu_incr[which - 1]);
    }
}

int do_setitimer(int which, const itimerval* value, itimerval* ovalue) {
    if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
    if (!valid_timeval(value->it_value) || !valid_timeval(value->it_interval)) return -EINVAL;
    signal_struct* sig = current->signal;
    if (ovalue) get_itimer(which, ovalue);
    if (which != ITIMER_REAL) {
        Guard<IrqSave> guard(current->sighand->siglock);
        sig->it_cpu_value[which - 1] = to_ktime(value->it_value);
        sig->it_cpu_incr[which - 1] = to_ktime(value->it_interval);
        return 0;
    }
    // Cancel outside siglock: the callback takes it to send SIGALRM.
    hrtimer_cancel(&sig->real_timer);
    ktime_t expires = to_ktime(value->it_value);
    Guard<IrqSave> guard(current->sighand->siglock);
    sig->it_real_incr = expires ? to_ktime(value->it_interval) : 0;
    if (expires) hrtimer_start(&sig->real_timer, expires, HRTIMER_MODE_REL);
    return 0;
}

}  // namespace

void init_itimer_real(signal_struct* sig) {
    hrtimer_init(&sig->real_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
    sig->real_timer.function = it_real_fn;
}

void exit_itimers(signal_struct* sig) { hrtimer_cancel(&sig->real_timer); }

long sys_getitimer(int which, __kernel_old_timeval __user* value) {
    if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
    itimerval v{};
    get_itimer(which, &v);
    return copy_to_user(value, &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_setitimer(int which, __kernel_old_timeval __user* value, __kernel_old_timeval __user* ovalue) {
    itimerval v{}, old{};
    // A null new value disarms, as Linux still accepts.
    if (value && copy_from_user(&v, value, sizeof(v))) return -EFAULT;
    if (int err = do_setitimer(which, &v, ovalue ? &old : nullptr)) return err;
    return ovalue && copy_to_user(ovalue, &old, sizeof(old)) ? -EFAULT : 0;
}

long sys_alarm(unsigned seconds) {
    itimerval v{}, old{};
    // Beyond this the seconds would not fit a timeval on 32-bit; Linux caps the same way.
    v.it_value.tv_sec = seconds > 0x7fffffffu ? 0x7fffffff : long(seconds);
    do_setitimer(ITIMER_REAL, &v, &old);
    // Round to the nearest second, never reporting 0 for an armed timer (as Linux).
    long left = old.it_value.tv_sec;
    if ((!left && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000) left++;
    return left;
}
