// futex(2) (Linux's kernel/futex/syscalls.c, waitwake.c, requeue.c): wait,
// wake, requeue and wake-op on the hash of kernel/futex/core.cpp.
#include <asm/uaccess.h>
#include <keel/cred.h>
#include <keel/errno.h>
#include <keel/hrtimer.h>
#include <keel/signal.h>
#include <keel/mm_types.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <kernel/futex/futex.h>
#include <uapi/linux/time_types.h>

namespace {

// Takes q's bucket, following it if a requeue moves it meanwhile.
futex_hash_bucket* lock_q_bucket(futex_q* q) {
    for (;;) {
        futex_hash_bucket* hb = q->hb.load(memory_order::acquire);
        mutex_lock(&hb->lock);
        if (hb == q->hb.load(memory_order::relaxed)) return hb;
        mutex_unlock(&hb->lock);
    }
}

// Sleeps while *uaddr == val until woken, the deadline (CLOCK_MONOTONIC)
// passes or a signal arrives.
long futex_wait(u32 __user* uaddr, bool shared, u32 val, ktime_t* deadline, unsigned bitset) {
    if (!bitset) return -EINVAL;
    futex_key key;
    if (!get_futex_key(uaddr, shared, &key)) return -EINVAL;
    futex_q q{.task = current, .key = key, .bitset = bitset};
    futex_hash_bucket* hb = futex_hash(key);
    {
        MutexGuard guard(&hb->lock);
        u32 cur;
        if (get_user(cur, uaddr)) return -EFAULT;
        if (cur != val) return -EAGAIN;
        q.hb.store(hb, memory_order::relaxed);
        list_add_tail(&q.list, &hb->chain);
        set_current_state(TASK_INTERRUPTIBLE);
    }
    bool timed_out = false, interrupted = false;
    while (!q.woken.load(memory_order::acquire)) {
        if (signal_pending(current)) {
            interrupted = true;
            break;
        }
        if (deadline) {
            if (schedule_hrtimeout(deadline, HRTIMER_MODE_ABS) == 0) {
                timed_out = true;
                break;
            }
        } else {
            schedule();
        }
        set_current_state(TASK_INTERRUPTIBLE);
    }
    __set_current_state(TASK_RUNNING);
    if (q.woken.load(memory_order::acquire)) return 0;
    futex_hash_bucket* locked = lock_q_bucket(&q);
    bool woken = q.woken.load(memory_order::acquire);
    if (!woken) list_del_init(&q.list);
    mutex_unlock(&locked->lock);
    if (woken) return 0;
    if (timed_out) return -ETIMEDOUT;
    // A signal: an untimed wait restarts after an SA_RESTART handler; a timed
    // one reports EINTR (Linux restarts it with the remaining time instead
    // when no handler runs, see docs/syscalls.md).
    if (interrupted) return deadline ? -EINTR : -ERESTARTSYS;
    return 0;
}

void double_lock(futex_hash_bucket* a, futex_hash_bucket* b) {
    if (a == b) return mutex_lock(&a->lock);
    if (a > b) {
        futex_hash_bucket* t = a;
        a = b;
        b = t;
    }
    mutex_lock(&a->lock);
    mutex_lock_nested(&b->lock, 1);
}

void double_unlock(futex_hash_bucket* a, futex_hash_bucket* b) {
    mutex_unlock(&a->lock);
    if (a != b) mutex_unlock(&b->lock);
}

// The two words of a requeue or a wake-op: their keys and buckets.
struct futex_pair {
    futex_key key1, key2;
    futex_hash_bucket *hb1, *hb2;
};

// Looks both words up and locks their buckets (in a fixed order); false if
// either is not a futex word.
bool lock_futex_pair(u32 __user* uaddr1, u32 __user* uaddr2, bool shared, futex_pair* p) {
    if (!get_futex_key(uaddr1, shared, &p->key1) || !get_futex_key(uaddr2, shared, &p->key2)) return false;
    p->hb1 = futex_hash(p->key1);
    p->hb2 = futex_hash(p->key2);
    double_lock(p->hb1, p->hb2);
    return true;
}

// Wakes nr_wake waiters of uaddr1 and moves up to nr_requeue others to uaddr2
// (CMP_REQUEUE first checks *uaddr1 == *cmpval).
long futex_requeue(u32 __user* uaddr1, u32 __user* uaddr2, bool shared, int nr_wake, int nr_requeue,
                   const u32* cmpval) {
    if (nr_wake < 0 || nr_requeue < 0) return -EINVAL;
    futex_pair pair;
    if (!lock_futex_pair(uaddr1, uaddr2, shared, &pair)) return -EINVAL;
    const futex_key &key1 = pair.key1, &key2 = pair.key2;
    futex_hash_bucket *hb1 = pair.hb1, *hb2 = pair.hb2;
    long ret = 0;
    if (cmpval) {
        u32 cur;
        if (get_user(cur, uaddr1)) ret = -EFAULT;
        else if (cur != *cmpval) ret = -EAGAIN;
    }
    if (ret == 0) {
        int woken = 0, moved = 0;
        for (list_head *pos = hb1->chain.next, *n = pos->next; pos != &hb1->chain; pos = n, n = pos->next) {
            futex_q* q = list_entry(pos, futex_q, list);
            if (q->key != key1) continue;
            if (woken < nr_wake) {
                futex_wake_q(q);
                woken++;
            } else if (moved < nr_requeue) {
                if (key1 == key2) {
                    moved++;  // already where it would go
                    continue;
                }
                list_del(&q->list);
                q->key = key2;
                list_add_tail(&q->list, &hb2->chain);
                q->hb.store(hb2, memory_order::release);
                moved++;
            } else {
                break;
            }
        }
        ret = woken + moved;
    }
    double_unlock(hb1, hb2);
    return ret;
}

long futex_wake_op(u32 __user* uaddr1, u32 __user* uaddr2, bool shared, int nr_wake, int nr_wake2, u32 encoded) {
    int op = (encoded >> 28) & 0xf, cmp = (encoded >> 24) & 0xf;
    int oparg = int(encoded << 8) >> 20, cmparg = int(encoded << 20) >> 20;  // sign-extended 12 bits
    if (op & FUTEX_OP_OPARG_SHIFT) {
        oparg = 1 << (oparg & 31);  // Linux also masks an out-of-range shift (and logs it)
        op &= ~FUTEX_OP_OPARG_SHIFT;
    }
    if (op > FUTEX_OP_XOR) return -ENOSYS;
    futex_pair pair;
    if (!lock_futex_pair(uaddr1, uaddr2, shared, &pair)) return -EINVAL;
    const futex_key &key1 = pair.key1, &key2 = pair.key2;
    futex_hash_bucket *hb1 = pair.hb1, *hb2 = pair.hb2;
    // Atomic only against other futex calls (both buckets are held), not
    // against user space writing the word at the same moment; Linux uses a
    // locked instruction on the user word.
    u32 old;
    if (get_user(old, uaddr2)) {
        double_unlock(hb1, hb2);
        return -EFAULT;
    }
    u32 arg = u32(oparg), next = old;
    switch (op) {
    case FUTEX_OP_SET: next = arg; break;
    case FUTEX_OP_ADD: next = old + arg; break;
    case FUTEX_OP_OR: next = old | arg; break;
    case FUTEX_OP_ANDN: next = old & ~arg; break;
    case FUTEX_OP_XOR: next = old ^ arg; break;
    }
    if (put_user(next, uaddr2)) {
        double_unlock(hb1, hb2);
        return -EFAULT;
    }
    double_unlock(hb1, hb2);
    // As Linux, an unknown comparison is noticed only after the update.
    if (cmp > FUTEX_OP_CMP_GE) return -ENOSYS;
    int o = int(old);
    bool hit = cmp == FUTEX_OP_CMP_EQ ? o == cmparg
               : cmp == FUTEX_OP_CMP_NE ? o != cmparg
               : cmp == FUTEX_OP_CMP_LT ? o < cmparg
               : cmp == FUTEX_OP_CMP_LE ? o <= cmparg
               : cmp == FUTEX_OP_CMP_GT ? o > cmparg
                                         : o >= cmparg;
    long ret = futex_wake(key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
    if (hit) ret += futex_wake(key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
    return ret;
}

}  // namespace

long sys_set_robust_list(robust_list_head __user* head, size_t len) {
    if (len != sizeof(robust_list_head)) return -EINVAL;
    current->robust_list = head;
    return 0;
}

long sys_get_robust_list(int pid, robust_list_head __user* __user* head_ptr, size_t __user* len_ptr) {
    void* head;
    if (!pid) {
        head = current->robust_list;
    } else {
        task_struct* p = find_task_by_pid(pid);
        if (!p) return -ESRCH;
        // Another user's thread needs privilege (Linux: ptrace read access).
        if (!capable_of(current_cred()) && (!p->cred || p->cred->euid != current_cred()->euid)) return -EPERM;
        head = p->robust_list;
    }
    if (put_user(sizeof(robust_list_head), len_ptr)) return -EFAULT;
    return put_user(static_cast<robust_list_head*>(head), head_ptr);
}

long sys_futex(u32 __user* uaddr, int op, u32 val, const __kernel_timespec __user* utime, u32 __user* uaddr2,
               u32 val3) {
    int cmd = op & FUTEX_CMD_MASK;
    bool realtime = op & FUTEX_CLOCK_REALTIME;
    bool shared = !(op & FUTEX_PRIVATE_FLAG);
    // Only the absolute-deadline waits take a clock (plain FUTEX_WAIT is relative).
    if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
        return -ENOSYS;
    ktime_t deadline = 0;
    bool timed = false;
    if (utime && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET)) {
        __kernel_timespec ts;
        if (copy_from_user(&ts, utime, sizeof(ts))) return -EFAULT;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC) return -EINVAL;
        ktime_t t = ktime_set(ts.tv_sec, ts.tv_nsec);
        // FUTEX_WAIT's timeout is relative; WAIT_BITSET's is absolute on the
        // chosen clock. The sleep itself runs on CLOCK_MONOTONIC: a realtime
        // deadline is converted at the start (a later clock_settime does not move it).
        if (cmd == FUTEX_WAIT) deadline = ktime_get() + t;
        else if (realtime) deadline = t - (ktime_get_real() - ktime_get());
        else deadline = t;
        timed = true;
    }
    // REQUEUE and WAKE_OP take a count, not a pointer, in the timeout slot.
    int val2 = int(reinterpret_cast<unsigned long>(utime));
    switch (cmd) {
    case FUTEX_WAIT: return futex_wait(uaddr, shared, val, timed ? &deadline : nullptr, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET: return futex_wait(uaddr, shared, val, timed ? &deadline : nullptr, val3);
    case FUTEX_WAKE: val3 = FUTEX_BITSET_MATCH_ANY; [[fallthrough]];
    case FUTEX_WAKE_BITSET: {
        if (!val3) return -EINVAL;
        futex_key key;
    if (!get_futex_key(uaddr, shared, &key)) return -EINVAL;
        return futex_wake(key, int(val), val3);
    }
    case FUTEX_REQUEUE: return futex_requeue(uaddr, uaddr2, shared, int(val), val2, nullptr);
    case FUTEX_CMP_REQUEUE: return futex_requeue(uaddr, uaddr2, shared, int(val), val2, &val3);
    case FUTEX_WAKE_OP: return futex_wake_op(uaddr, uaddr2, shared, int(val), val2, val3);
    default: return -ENOSYS;  // the PI operations and FUTEX_FD
    }
}
