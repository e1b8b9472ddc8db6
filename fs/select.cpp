// poll, ppoll, select and pselect6 (Linux's fs/select.c).
//
// One pass asks every file's poll operation for its events and, through the
// poll table, puts an entry on each wait queue that could change them. If
// nothing is ready the caller sleeps until an entry is woken with a key that
// matters to it (pollwake), the time runs out, or a signal comes; then it
// asks again, without registering twice. The entries come off the queues
// when the call ends (poll_freewait).
//
// Timeouts are absolute CLOCK_MONOTONIC times from the start of the call, so
// a loop of wake-ups does not stretch them; select, pselect6 and ppoll write
// the time left back to the user, as Linux does. A call interrupted before
// anything was ready answers -ERESTARTNOHAND: EINTR if a handler runs,
// restarted if none does.
#include <asm/uaccess.h>
#include <keel/fdtable.h>
#include <keel/hrtimer.h>
#include <keel/poll.h>
#include <keel/resource.h>
#include <keel/select.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/slab.h>
#include <uapi/linux/poll.h>
#include <uapi/linux/time_types.h>

#include <new>

namespace {

struct poll_wqueues;

// One wait queue a poll registered on.
struct poll_table_entry {
    file* filp;  // with a reference: the queue lives as long as the file
    __poll_t key;  // the events that wake us
    wait_queue_entry wait;
    wait_queue_head* wait_address;
    poll_wqueues* pwq;
};

// A page of further entries when the inline ones run out.
struct poll_table_page {
    poll_table_page* next;
    unsigned used;
    poll_table_entry entries[(PAGE_SIZE - 16) / sizeof(poll_table_entry)];
};
static_assert(sizeof(poll_table_page) <= PAGE_SIZE);

constexpr unsigned N_INLINE_POLL_ENTRIES = 8;

struct poll_wqueues {
    poll_table pt;
    poll_table_page* table;
    task_struct* polling_task;
    bool triggered;  // a wake-up came since the last look
    int error;       // -ENOMEM: an entry could not be had
    unsigned inline_index;
    poll_table_entry inline_entries[N_INLINE_POLL_ENTRIES];
};

poll_table_entry* poll_get_entry(poll_wqueues* p) {
    if (p->inline_index < N_INLINE_POLL_ENTRIES) return &p->inline_entries[p->inline_index++];
    poll_table_page* table = p->table;
    if (!table || table->used == sizeof(table->entries) / sizeof(table->entries[0])) {
        auto* fresh = reinterpret_cast<poll_table_page*>(__get_free_page(GFP_KERNEL));
        if (!fresh) {
            p->error = -ENOMEM;
            return nullptr;
        }
        fresh->next = table;
        fresh->used = 0;
        p->table = table = fresh;
    }
    return &table->entries[table->used++];
}

// A queue we wait on was woken: wake the polling task if the events are
// ones it asked for (a key of nullptr means "anything may have changed").
int pollwake(wait_queue_entry* wait, unsigned mode, int sync, void* key) {
    poll_table_entry* entry = container_of(wait, poll_table_entry, wait);
    if (key && !(key_to_poll(key) & entry->key)) return 0;
    poll_wqueues* pwq = entry->pwq;
    // Paired with the barrier in poll_schedule_timeout: what the waker wrote
    // before waking is seen by the next pass.
    __atomic_store_n(&pwq->triggered, true, __ATOMIC_RELEASE);
    wait_queue_entry dummy;
    dummy.private_ = pwq->polling_task;
    return default_wake_function(&dummy, mode, sync, key);
}

void __pollwait(file* filp, wait_queue_head* wait_address, poll_table* p) {
    poll_wqueues* pwq = container_of(p, poll_wqueues, pt);
    poll_table_entry* entry = poll_get_entry(pwq);
    if (!entry) return;
    entry->filp = get_file(filp);
    entry->wait_address = wait_address;
    entry->key = p->_key;
    entry->pwq = pwq;
    new (&entry->wait) wait_queue_entry();
    entry->wait.func = pollwake;
    add_wait_queue(wait_address, &entry->wait);
}

void poll_initwait(poll_wqueues* pwq) {
    init_poll_funcptr(&pwq->pt, __pollwait);
    pwq->polling_task = current;
    pwq->triggered = false;
    pwq->error = 0;
    pwq->table = nullptr;
    pwq->inline_index = 0;
}

void free_poll_entry(poll_table_entry* entry) {
    remove_wait_queue(entry->wait_address, &entry->wait);
    fput(entry->filp);
}

void poll_freewait(poll_wqueues* pwq) {
    for (unsigned i = 0; i < pwq->inline_index; i++) free_poll_entry(&pwq->inline_entries[i]);
    for (poll_table_page* p = pwq->table; p;) {
        for (unsigned i = 0; i < p->used; i++) free_poll_entry(&p->entries[i]);
        poll_table_page* next = p->next;
        free_page(reinterpret_cast<unsigned long>(p));
        p = next;
    }
}

// Sleeps unless a wake-up already came; false when the time ran out.
bool poll_schedule_timeout(poll_wqueues* pwq, ktime_t* expires, u64 slack) {
    int rc = -EINTR;
    set_current_state(TASK_INTERRUPTIBLE);
    if (!__atomic_load_n(&pwq->triggered, __ATOMIC_ACQUIRE))
        rc = schedule_hrtimeout_range(expires, slack, HRTIMER_MODE_ABS);
    __set_current_state(TASK_RUNNING);
    // Cleared with a full barrier so the next pass's checks come after it.
    __atomic_store_n(&pwq->triggered, false, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return rc != 0;
}

// A timeout: nullptr waits for ever; an end time of 0 means "do not wait".
struct poll_deadline {
    bool set = false;
    ktime_t end = 0;
    ktime_t* ptr() { return set ? &end : nullptr; }
};

// Linux's poll_select_set_timeout: EINVAL for a denormal time, else the
// absolute end (0 for a zero timeout, so the call only looks).
int poll_select_set_timeout(poll_deadline* to, s64 sec, long nsec) {
    timespec64 ts{sec, nsec};
    if (!timespec64_valid(ts)) return -EINVAL;
    to->set = true;
    to->end = (!sec && !nsec) ? 0 : ktime_add_safe(ktime_get(), timespec64_to_ktime(ts));
    return 0;
}

// Linux's select_estimate_accuracy: the wake-up may be 0.1% late, at most
// 100 ms, at least the default timer slack (50 us); real-time tasks get none.
u64 select_estimate_accuracy(ktime_t end) {
    constexpr u64 MAX_SLACK = 100 * NSEC_PER_MSEC;
    constexpr u64 DEFAULT_TIMER_SLACK = 50000;
    if (current->rt_priority) return 0;
    s64 left = end - ktime_get();
    if (left < 0) return DEFAULT_TIMER_SLACK;
    u64 slack = u64(left) / (task_nice(current) > 0 ? 200 : 1000);
    if (slack > MAX_SLACK) slack = MAX_SLACK;
    return slack < DEFAULT_TIMER_SLACK ? DEFAULT_TIMER_SLACK : slack;
}

// The time left written back to the user (select: timeval; the others:
// timespec). A zero timeout is left alone. If the write faults the call
// cannot be restarted with the right time, so an interruption becomes EINTR.
int poll_select_finish(poll_deadline* end, void __user* p, bool timeval, int ret) {
    restore_saved_sigmask_unless(ret == -ERESTARTNOHAND);
    if (!p || !end->set || !end->end) return ret;
    s64 left = end->end - ktime_get();
    if (left < 0) left = 0;
    timespec64 rts = ktime_to_timespec64(left);
    bool fault;
    if (timeval) {
        __kernel_old_timeval rtv{rts.tv_sec, rts.tv_nsec / NSEC_PER_USEC};
        fault = copy_to_user(p, &rtv, sizeof(rtv));
    } else {
        __kernel_timespec uts{rts.tv_sec, rts.tv_nsec};
        fault = copy_to_user(p, &uts, sizeof(uts));
    }
    if (fault && ret == -ERESTARTNOHAND) ret = -EINTR;
    return ret;
}

// ---- poll ----

// One pollfd's events now (revents); a closed fd is POLLNVAL, a negative one
// is skipped.
__poll_t do_pollfd(pollfd* pfd, poll_table* pwait) {
    __poll_t mask = 0;
    if (pfd->fd >= 0) {
        file* f = fget(unsigned(pfd->fd));
        mask = EPOLLNVAL;
        if (f) {
            // POLLERR and POLLHUP are always reported, asked for or not.
            __poll_t filter = __poll_t(static_cast<unsigned short>(pfd->events)) | EPOLLERR | EPOLLHUP;
            pwait->_key = filter;
            mask = vfs_poll(f, pwait) & filter;
            fput(f);
        }
    }
    pfd->revents = short(mask);
    return mask;
}

int do_poll(pollfd* fds, unsigned nfds, poll_wqueues* wait, poll_deadline* end) {
    poll_table* pt = &wait->pt;
    bool timed_out = false;
    u64 slack = 0;
    if (end->set && !end->end) {  // only look
        pt->_qproc = nullptr;
        timed_out = true;
    }
    if (end->set && !timed_out) slack = select_estimate_accuracy(end->end);
    int count = 0;
    for (;;) {
        for (unsigned i = 0; i < nfds; i++) {
            if (do_pollfd(&fds[i], pt)) {
                count++;
                // Something is ready: no need to queue on the rest.
                pt->_qproc = nullptr;
            }
        }
        // Every queue is registered after the first pass.
        pt->_qproc = nullptr;
        if (!count) {
            count = wait->error;
            if (signal_pending(current)) count = -ERESTARTNOHAND;
        }
        if (count || timed_out) break;
        if (!poll_schedule_timeout(wait, end->ptr(), slack)) timed_out = true;
    }
    return count;
}

int do_sys_poll(pollfd __user* ufds, unsigned nfds, poll_deadline* end) {
    if (nfds > task_rlimit(current, RLIMIT_NOFILE)) return -EINVAL;
    pollfd* fds = nullptr;
    if (nfds) {
        fds = static_cast<pollfd*>(kmalloc_array(nfds, sizeof(pollfd), GFP_KERNEL));
        if (!fds) return -ENOMEM;
        if (copy_from_user(fds, ufds, nfds * sizeof(pollfd))) {
            kfree(fds);
            return -EFAULT;
        }
    }
    poll_wqueues table;
    poll_initwait(&table);
    int ret = do_poll(fds, nfds, &table, end);
    poll_freewait(&table);
    // Only revents goes back (a thread may have changed fd or events meanwhile).
    for (unsigned i = 0; i < nfds; i++) {
        if (put_user(fds[i].revents, &ufds[i].revents)) {
            ret = -EFAULT;
            break;
        }
    }
    kfree(fds);
    return ret;
}

// ---- select ----

constexpr size_t FDS_LONGS(unsigned long nr) { return (nr + BITS_PER_LONG - 1) / BITS_PER_LONG; }
constexpr size_t FDS_BYTES(unsigned long nr) { return FDS_LONGS(nr) * sizeof(long); }

constexpr __poll_t POLLIN_SET = EPOLLRDNORM | EPOLLRDBAND | EPOLLIN | EPOLLHUP | EPOLLERR;
constexpr __poll_t POLLOUT_SET = EPOLLWRBAND | EPOLLWRNORM | EPOLLOUT | EPOLLERR;
constexpr __poll_t POLLEX_SET = EPOLLPRI;

struct fd_set_bits {
    unsigned long *in, *out, *ex;
    unsigned long *res_in, *res_out, *res_ex;
};

// One more than the highest fd in any set, or -EBADF if a set names a closed fd.
int max_select_fd(unsigned n, const fd_set_bits* fds) {
    int max = 0;
    for (unsigned fd = 0; fd < n; fd++) {
        unsigned long bit = 1ul << (fd % BITS_PER_LONG);
        unsigned w = fd / BITS_PER_LONG;
        if (!((fds->in[w] | fds->out[w] | fds->ex[w]) & bit)) continue;
        file* f = fget(fd);
        if (!f) return -EBADF;
        fput(f);
        max = int(fd) + 1;
    }
    return max;
}

int do_select(unsigned n, fd_set_bits* fds, poll_deadline* end) {
    int retval = max_select_fd(n, fds);
    if (retval < 0) return retval;
    n = unsigned(retval);

    poll_wqueues table;
    poll_initwait(&table);
    poll_table* wait = &table.pt;
    bool timed_out = false;
    if (end->set && !end->end) {
        wait->_qproc = nullptr;
        timed_out = true;
    }
    u64 slack = (end->set && !timed_out) ? select_estimate_accuracy(end->end) : 0;

    retval = 0;
    for (;;) {
        for (unsigned i = 0; i < n; i++) {
            unsigned w = i / BITS_PER_LONG;
            unsigned long bit = 1ul << (i % BITS_PER_LONG);
            unsigned long in = fds->in[w], out = fds->out[w], ex = fds->ex[w];
            if (!((in | out | ex) & bit)) continue;
            file* f = fget(i);
            if (!f) continue;  // closed by another thread since max_select_fd
            // Wake us only for what this fd was asked about.
            wait->_key = POLLEX_SET;
            if (in & bit) wait->_key |= POLLIN_SET;
            if (out & bit) wait->_key |= POLLOUT_SET;
            __poll_t mask = vfs_poll(f, wait);
            fput(f);
            if ((mask & POLLIN_SET) && (in & bit)) {
                fds->res_in[w] |= bit;
                retval++;
                wait->_qproc = nullptr;
            }
            if ((mask & POLLOUT_SET) && (out & bit)) {
                fds->res_out[w] |= bit;
                retval++;
                wait->_qproc = nullptr;
            }
            if ((mask & POLLEX_SET) && (ex & bit)) {
                fds->res_ex[w] |= bit;
                retval++;
                wait->_qproc = nullptr;
            }
        }
        wait->_qproc = nullptr;
        if (retval || timed_out || signal_pending(current)) break;
        if (table.error) {
            retval = table.error;
            break;
        }
        if (!poll_schedule_timeout(&table, end->ptr(), slack)) timed_out = true;
    }
    poll_freewait(&table);
    return retval;
}

int core_sys_select(int n, unsigned long __user* inp, unsigned long __user* outp, unsigned long __user* exp,
                    poll_deadline* end) {
    if (n < 0) return -EINVAL;
    // Bits past the fd table's size are ignored, as Linux ignores those past max_fds.
    if (unsigned(n) > NR_OPEN_DEFAULT) n = NR_OPEN_DEFAULT;
    size_t size = FDS_BYTES(unsigned(n));
    auto* bits = static_cast<unsigned long*>(kzalloc(6 * size + 1, GFP_KERNEL));
    if (!bits) return -ENOMEM;
    size_t longs = size / sizeof(long);
    fd_set_bits fds{bits, bits + longs, bits + 2 * longs, bits + 3 * longs, bits + 4 * longs, bits + 5 * longs};
    int ret = 0;
    if ((inp && copy_from_user(fds.in, inp, size)) || (outp && copy_from_user(fds.out, outp, size)) ||
        (exp && copy_from_user(fds.ex, exp, size))) {
        ret = -EFAULT;
    } else {
        ret = do_select(unsigned(n), &fds, end);
        if (ret == 0 && signal_pending(current)) {
            ret = -ERESTARTNOHAND;  // the sets are left as they were
        } else if (ret >= 0) {
            if ((inp && copy_to_user(inp, fds.res_in, size)) || (outp && copy_to_user(outp, fds.res_out, size)) ||
                (exp && copy_to_user(exp, fds.res_ex, size)))
                ret = -EFAULT;
        }
    }
    kfree(bits);
    return ret;
}

}  // namespace

int set_user_sigmask(const sigset_t __user* umask, size_t sigsetsize) {
    if (!umask) return 0;
    if (sigsetsize != sizeof(sigset_t)) return -EINVAL;
    sigset_t kmask;
    if (copy_from_user(&kmask, umask, sizeof(kmask))) return -EFAULT;
    task_struct* t = current;
    Guard<IrqSave> guard(t->sighand->siglock);
    t->saved_sigmask = t->blocked;
    t->restore_sigmask = true;
    t->blocked.sig = kmask.sig & ~SIG_KERNEL_ONLY_MASK;
    recalc_sigpending();
    return 0;
}

void restore_saved_sigmask_unless(bool interrupted) {
    task_struct* t = current;
    if (interrupted || !t->restore_sigmask) return;
    t->restore_sigmask = false;
    Guard<IrqSave> guard(t->sighand->siglock);
    t->blocked = t->saved_sigmask;
    recalc_sigpending();
}

long sys_poll(pollfd __user* ufds, unsigned nfds, int timeout_msecs) {
    poll_deadline end;
    if (timeout_msecs >= 0)
        poll_select_set_timeout(&end, timeout_msecs / MSEC_PER_SEC, NSEC_PER_MSEC * (timeout_msecs % MSEC_PER_SEC));
    // Linux restarts an interrupted poll through restart_syscall with the
    // time left; Keel's restart_block has no room for poll's arguments yet,
    // so a restart (no handler ran) waits the full timeout again.
    return do_sys_poll(ufds, nfds, &end);
}

long sys_ppoll(pollfd __user* ufds, unsigned nfds, __kernel_timespec __user* tsp, const sigset_t __user* sigmask,
               size_t sigsetsize) {
    poll_deadline end;
    if (tsp) {
        __kernel_timespec ts;
        if (copy_from_user(&ts, tsp, sizeof(ts))) return -EFAULT;
        if (poll_select_set_timeout(&end, ts.tv_sec, ts.tv_nsec)) return -EINVAL;
    }
    int ret = set_user_sigmask(sigmask, sigsetsize);
    if (ret) return ret;
    ret = do_sys_poll(ufds, nfds, &end);
    return poll_select_finish(&end, tsp, false, ret);
}

long sys_select(int n, unsigned long __user* inp, unsigned long __user* outp, unsigned long __user* exp,
                __kernel_old_timeval __user* tvp) {
    poll_deadline end;
    if (tvp) {
        __kernel_old_timeval tv;
        if (copy_from_user(&tv, tvp, sizeof(tv))) return -EFAULT;
        // Microseconds past a second carry into the seconds; negative ones are invalid.
        if (poll_select_set_timeout(&end, tv.tv_sec + tv.tv_usec / USEC_PER_SEC,
                                    (tv.tv_usec % USEC_PER_SEC) * NSEC_PER_USEC))
            return -EINVAL;
    }
    int ret = core_sys_select(n, inp, outp, exp, &end);
    return poll_select_finish(&end, tvp, true, ret);
}

long sys_pselect6(int n, unsigned long __user* inp, unsigned long __user* outp, unsigned long __user* exp,
                  __kernel_timespec __user* tsp, void __user* sig) {
    poll_deadline end;
    if (tsp) {
        __kernel_timespec ts;
        if (copy_from_user(&ts, tsp, sizeof(ts))) return -EFAULT;
        if (poll_select_set_timeout(&end, ts.tv_sec, ts.tv_nsec)) return -EINVAL;
    }
    // The sixth argument points at {const sigset_t* ss; size_t ss_len}:
    // x86-64 passes only six arguments.
    struct {
        const sigset_t __user* ss;
        size_t ss_len;
    } data{nullptr, 0};
    if (sig && copy_from_user(&data, sig, sizeof(data))) return -EFAULT;
    int ret = set_user_sigmask(data.ss, data.ss_len);
    if (ret) return ret;
    ret = core_sys_select(n, inp, outp, exp, &end);
    return poll_select_finish(&end, tsp, false, ret);
}
