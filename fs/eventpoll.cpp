// epoll (Linux's fs/eventpoll.c): an epoll file holds a set of watched files
// (epitems, in a red-black tree by file and fd). Each item sits on the wait
// queues of its file (through the file's poll operation); a wake-up there
// with a matching key puts the item on the ready list and wakes epoll_wait.
// epoll_wait then asks each ready item's file again for its events (so
// stale wake-ups report nothing) and hands them out:
//   - level-triggered items go back on the ready list, to be asked again
//     next time;
//   - EPOLLET items stay off until their file's next wake-up;
//   - EPOLLONESHOT items are disabled (events cleared but for the private
//     bits) until EPOLL_CTL_MOD arms them again.
//
// Locks, outermost first: epmutex (nesting checks, closing files and
// epolls) > ep->mtx (the item tree; one scan of the ready list at a time) >
// a watched file's wait-queue lock (held while ep_poll_callback runs) >
// ep->lock (ready list and overflow list) > ep->wq's lock.
// While a scan owns the ready list, callbacks chain items on ovflist
// instead; the scan's end moves them over.
#include <asm/uaccess.h>
#include <keel/anon_inodes.h>
#include <keel/eventpoll.h>
#include <keel/fdtable.h>
#include <keel/hrtimer.h>
#include <keel/poll.h>
#include <keel/select.h>
#include <keel/syscalls.h>
#include <keel/timekeeping.h>
#include <lib/rbtree.h>
#include <mm/slab.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/eventpoll.h>
#include <uapi/linux/time_types.h>

#include <new>

namespace {

struct epitem;
struct eventpoll;

// Bits of an item's events that are not events.
constexpr unsigned EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
constexpr unsigned EPOLLINOUT_BITS = EPOLLIN | EPOLLOUT;
constexpr unsigned EPOLLEXCLUSIVE_OK_BITS =
    EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
constexpr int EP_MAX_NESTS = 4;  // epolls inside epolls, at most this deep
constexpr int EP_MAX_EVENTS = int(0x7fffffff / sizeof(epoll_event));
// ovflist's "no scan running" value (a scan makes it nullptr, then a chain).
epitem* const EP_UNACTIVE_PTR = reinterpret_cast<epitem*>(-1l);

// One wait queue an item is on.
struct eppoll_entry {
    eppoll_entry* next;
    epitem* base;
    wait_queue_entry wait;
    wait_queue_head* whead;
};

struct epitem {
    rb_node rbn;          // in ep->rbr
    list_head rdllink;    // on ep->rdllist (empty: not ready)
    epitem* next = EP_UNACTIVE_PTR;  // on ep->ovflist during a scan
    file* ffile;          // watched, without a reference (eventpoll_release drops us)
    int ffd;
    int nwait = 0;        // queues joined; < 0: joining one failed
    eppoll_entry* pwqlist = nullptr;
    eventpoll* ep;
    list_head fllink;     // on the watched file's f_ep
    u32 events;           // what the user asked for (EPOLL* and private bits)
    u64 data;
};

struct eventpoll {
    struct mutex mtx{"eventpoll.mtx"};
    wait_queue_head wq{{"eventpoll.wq"}, {}};  // epoll_wait sleepers
    wait_queue_head poll_wait{{"eventpoll.poll_wait"}, {}};  // pollers of the epoll file itself
    list_head rdllist;
    spinlock_t lock{"eventpoll.lock"};
    rb_root rbr = RB_ROOT;
    epitem* ovflist = EP_UNACTIVE_PTR;
    struct file* file = nullptr;
    // While this epoll's pollers are being woken: the lockdep subclass the
    // next epoll up the chain takes its poll_wait lock with.
    u8 nests = 0;
};

// Guards every file's f_ep list of the items watching it (Linux's f_lock).
spinlock_t ep_files_lock{"ep_files_lock"};
struct mutex epmutex{"epmutex"};

extern const file_operations eventpoll_fops;
bool is_file_epoll(const file* f) { return f->f_op == &eventpoll_fops; }

bool ep_is_linked(const epitem* epi) { return !list_empty(&epi->rdllink); }

bool ep_events_available(eventpoll* ep) {
    return !list_empty(&ep->rdllist) || __atomic_load_n(&ep->ovflist, __ATOMIC_ACQUIRE) != EP_UNACTIVE_PTR;
}

int ep_cmp(const file* f1, int fd1, const epitem* e) {
    if (f1 != e->ffile) return f1 < e->ffile ? -1 : 1;
    return fd1 < e->ffd ? -1 : fd1 > e->ffd;
}

epitem* ep_find(eventpoll* ep, file* f, int fd) {
    rb_node* n = rb_find(f, &ep->rbr, [fd](const file* key, rb_node* node) {
        return ep_cmp(key, fd, rb_entry(node, epitem, rbn));
    });
    return n ? rb_entry(n, epitem, rbn) : nullptr;
}

// Wakes whoever polls the epoll file itself (Linux's ep_poll_safewake). An
// epoll watched by an epoll watched by ... wakes the next one up with its own
// poll_wait lock held: the locks, all of one lockdep class, nest by depth,
// so each level takes its lock with the subclass the level below recorded.
// epi: the item whose file woke us (nullptr outside a callback).
void ep_poll_safewake(eventpoll* ep, epitem* epi, __poll_t pollflags) {
    u8 nests = 0;
    if (epi) nests = is_file_epoll(epi->ffile) ? static_cast<eventpoll*>(epi->ffile->private_data)->nests : 1;
    Guard<IrqSave> guard(ep->poll_wait.lock, nests);
    ep->nests = u8(nests + 1);
    // __wake_up's walk, with the lock already held (Linux's wake_up_locked_poll).
    void* key = reinterpret_cast<void*>(uintptr_t(EPOLLIN | pollflags));
    int nr_exclusive = 1;
    for (list_head *pos = ep->poll_wait.head.next, *next; pos != &ep->poll_wait.head; pos = next) {
        next = pos->next;
        auto* curr = list_entry(pos, wait_queue_entry, entry);
        unsigned flags = curr->flags;
        if (curr->func(curr, TASK_NORMAL, 0, key) && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive) break;
    }
    ep->nests = 0;
}

// A watched file's queue was woken (under that queue's lock): mark the item
// ready if the events concern it and wake epoll_wait. Returns whether an
// exclusive wake-up (EPOLLEXCLUSIVE) counts as delivered.
int ep_poll_callback(wait_queue_entry* wait, unsigned, int, void* key) {
    eppoll_entry* pwq = container_of(wait, eppoll_entry, wait);
    epitem* epi = pwq->base;
    eventpoll* ep = epi->ep;
    __poll_t pollflags = key_to_poll(key);
    int ewake = 0;
    bool pwake = false;
    {
        Guard<IrqSave> guard(ep->lock);
        // Disabled by EPOLLONESHOT, or not an event the item asked for.
        if (!(epi->events & ~EP_PRIVATE_BITS)) return 0;
        if (pollflags && !(pollflags & epi->events)) return 0;
        if (ep->ovflist != EP_UNACTIVE_PTR) {
            // A scan owns the ready list: chain the item for its end.
            if (epi->next == EP_UNACTIVE_PTR) {
                epi->next = ep->ovflist;
                ep->ovflist = epi;
            }
        } else if (!ep_is_linked(epi)) {
            list_add_tail(&epi->rdllink, &ep->rdllist);
        }
        if (!list_empty(&ep->wq.head)) {
            if ((epi->events & EPOLLEXCLUSIVE)) {
                switch (pollflags & EPOLLINOUT_BITS) {
                case EPOLLIN: ewake = (epi->events & EPOLLIN) ? 1 : 0; break;
                case EPOLLOUT: ewake = (epi->events & EPOLLOUT) ? 1 : 0; break;
                case 0: ewake = 1; break;
                }
            }
            wake_up(&ep->wq);
        }
        pwake = !list_empty(&ep->poll_wait.head);
    }
    // Outside ep->lock: an epoll watching this one takes its own lock.
    if (pwake) ep_poll_safewake(ep, epi, pollflags);
    if (!(epi->events & EPOLLEXCLUSIVE)) ewake = 1;
    return ewake;
}

// The poll table of ep_insert: joins each queue the file's poll names.
struct ep_pqueue {
    poll_table pt;
    epitem* epi;
};

void ep_ptable_queue_proc(file*, wait_queue_head* whead, poll_table* pt) {
    epitem* epi = container_of(pt, ep_pqueue, pt)->epi;
    if (epi->nwait < 0) return;
    auto* pwq = static_cast<eppoll_entry*>(kmalloc(sizeof(eppoll_entry), GFP_KERNEL));
    if (!pwq) {
        epi->nwait = -1;
        return;
    }
    new (pwq) eppoll_entry();
    pwq->wait.func = ep_poll_callback;
    pwq->wait.private_ = nullptr;
    pwq->whead = whead;
    pwq->base = epi;
    if (epi->events & EPOLLEXCLUSIVE)
        add_wait_queue_exclusive(whead, &pwq->wait);
    else
        add_wait_queue(whead, &pwq->wait);
    pwq->next = epi->pwqlist;
    epi->pwqlist = pwq;
    epi->nwait++;
}

__poll_t ep_eventpoll_poll_depth(file* f, poll_table* wait, int depth);

// The item's file's events now, limited to what the item asks for. Nested
// epolls are asked one level deeper (their mutexes nest).
__poll_t ep_item_poll(epitem* epi, poll_table* pt, int depth) {
    pt->_key = epi->events;
    __poll_t res = is_file_epoll(epi->ffile) ? ep_eventpoll_poll_depth(epi->ffile, pt, depth)
                                              : vfs_poll(epi->ffile, pt);
    return res & epi->events;
}

// A scan takes the ready list (ep->mtx held); wake-ups meanwhile go to ovflist.
void ep_start_scan(eventpoll* ep, list_head* txlist) {
    Guard<IrqSave> guard(ep->lock);
    list_splice_init(&ep->rdllist, txlist);
    __atomic_store_n(&ep->ovflist, static_cast<epitem*>(nullptr), __ATOMIC_RELEASE);
}

// What the scan left, and what came in during it, become the ready list again.
void ep_done_scan(eventpoll* ep, list_head* txlist) {
    Guard<IrqSave> guard(ep->lock);
    for (epitem *nepi = ep->ovflist, *epi; (epi = nepi) != nullptr; nepi = epi->next, epi->next = EP_UNACTIVE_PTR) {
        if (!ep_is_linked(epi)) list_add(&epi->rdllink, &ep->rdllist);
    }
    __atomic_store_n(&ep->ovflist, EP_UNACTIVE_PTR, __ATOMIC_RELEASE);
    list_splice_init(txlist, &ep->rdllist);
    if (!list_empty(&ep->rdllist) && !list_empty(&ep->wq.head)) wake_up(&ep->wq);
}

__poll_t ep_eventpoll_poll_depth(file* f, poll_table* wait, int depth) {
    eventpoll* ep = static_cast<eventpoll*>(f->private_data);
    poll_wait(f, &ep->poll_wait, wait);
    // Readable if some ready item really has events (a wake-up may be stale).
    poll_table pt;
    init_poll_funcptr(&pt, nullptr);
    list_head txlist;
    __poll_t res = 0;
    mutex_lock_nested(&ep->mtx, unsigned(depth));
    ep_start_scan(ep, &txlist);
    for (list_head *pos = txlist.next, *n = pos->next; pos != &txlist; pos = n, n = pos->next) {
        epitem* epi = list_entry(pos, epitem, rdllink);
        if (ep_item_poll(epi, &pt, depth + 1)) {
            res = EPOLLIN | EPOLLRDNORM;
            break;
        }
        list_del_init(&epi->rdllink);
    }
    ep_done_scan(ep, &txlist);
    mutex_unlock(&ep->mtx);
    return res;
}

__poll_t ep_eventpoll_poll(file* f, poll_table* wait) { return ep_eventpoll_poll_depth(f, wait, 0); }

void ep_unregister_pollwait(epitem* epi) {
    while (eppoll_entry* pwq = epi->pwqlist) {
        epi->pwqlist = pwq->next;
        remove_wait_queue(pwq->whead, &pwq->wait);
        kfree(pwq);
    }
}

// Takes an item out of its epoll (ep->mtx held). Once off the wait queues no
// callback can be running on it: they run under the queues' locks.
void ep_remove(eventpoll* ep, epitem* epi) {
    ep_unregister_pollwait(epi);
    {
        Guard<NoIrqSave> guard(ep_files_lock);
        list_del(&epi->fllink);
    }
    rb_erase(&epi->rbn, &ep->rbr);
    {
        Guard<IrqSave> guard(ep->lock);
        if (ep_is_linked(epi)) list_del_init(&epi->rdllink);
    }
    epi->~epitem();
    kfree(epi);
}

int ep_insert(eventpoll* ep, u32 events, u64 data, file* tfile, int fd) {
    auto* epi = static_cast<epitem*>(kmalloc(sizeof(epitem), GFP_KERNEL));
    if (!epi) return -ENOMEM;
    new (epi) epitem();
    epi->ep = ep;
    epi->ffile = tfile;
    epi->ffd = fd;
    epi->events = events;
    epi->data = data;
    {
        Guard<NoIrqSave> guard(ep_files_lock);
        list_add_tail(&epi->fllink, &tfile->f_ep);
    }
    rb_add(&epi->rbn, &ep->rbr, [](rb_node* a, rb_node* b) {
        const epitem* ea = rb_entry(a, epitem, rbn);
        return ep_cmp(ea->ffile, ea->ffd, rb_entry(b, epitem, rbn)) < 0;
    });

    // Join the file's queues and look at its events once: a file already
    // ready gets no wake-up to tell us.
    ep_pqueue epq;
    epq.epi = epi;
    init_poll_funcptr(&epq.pt, ep_ptable_queue_proc);
    __poll_t revents = ep_item_poll(epi, &epq.pt, 1);
    if (epi->nwait < 0) {
        ep_remove(ep, epi);
        return -ENOMEM;
    }
    bool pwake = false;
    if (revents) {
        Guard<IrqSave> guard(ep->lock);
        if (!ep_is_linked(epi)) {
            list_add_tail(&epi->rdllink, &ep->rdllist);
            if (!list_empty(&ep->wq.head)) wake_up(&ep->wq);
            pwake = !list_empty(&ep->poll_wait.head);
        }
    }
    if (pwake) ep_poll_safewake(ep, nullptr, 0);
    return 0;
}

int ep_modify(eventpoll* ep, epitem* epi, u32 events, u64 data) {
    {
        // A callback reads events under ep->lock.
        Guard<IrqSave> guard(ep->lock);
        epi->events = events;
        epi->data = data;
    }
    poll_table pt;
    init_poll_funcptr(&pt, nullptr);
    bool pwake = false;
    if (ep_item_poll(epi, &pt, 1)) {
        Guard<IrqSave> guard(ep->lock);
        if (!ep_is_linked(epi)) {
            list_add_tail(&epi->rdllink, &ep->rdllist);
            if (!list_empty(&ep->wq.head)) wake_up(&ep->wq);
            pwake = !list_empty(&ep->poll_wait.head);
        }
    }
    if (pwake) ep_poll_safewake(ep, nullptr, 0);
    return 0;
}

// Adding an epoll to another must not close a cycle or nest deeper than
// EP_MAX_NESTS (epmutex held: no other set changes its epolls meanwhile).
bool ep_loop_check_proc(eventpoll* ep, eventpoll* target, int depth) {
    if (depth > EP_MAX_NESTS) return true;
    mutex_lock_nested(&ep->mtx, unsigned(depth) + 1);
    bool loop = false;
    for (rb_node* n = rb_first(&ep->rbr); n && !loop; n = rb_next(n)) {
        epitem* epi = rb_entry(n, epitem, rbn);
        if (!is_file_epoll(epi->ffile)) continue;
        auto* inner = static_cast<eventpoll*>(epi->ffile->private_data);
        loop = inner == target || ep_loop_check_proc(inner, target, depth + 1);
    }
    mutex_unlock(&ep->mtx);
    return loop;
}

// The ready items' events into the user's array: at most maxevents, the
// count (or -EFAULT if the first copy faulted).
int ep_send_events(eventpoll* ep, epoll_event __user* uevents, int maxevents) {
    poll_table pt;
    init_poll_funcptr(&pt, nullptr);
    list_head txlist;
    int res = 0;
    mutex_lock(&ep->mtx);
    ep_start_scan(ep, &txlist);
    for (list_head *pos = txlist.next, *n = pos->next; pos != &txlist; pos = n, n = pos->next) {
        if (res >= maxevents) break;
        epitem* epi = list_entry(pos, epitem, rdllink);
        list_del_init(&epi->rdllink);
        __poll_t revents = ep_item_poll(epi, &pt, 1);
        if (!revents) continue;  // a stale wake-up: nothing to report, off the list
        epoll_event ev{revents, epi->data};
        if (copy_to_user(&uevents[res], &ev, sizeof(ev))) {
            list_add(&epi->rdllink, &txlist);
            if (!res) res = -EFAULT;
            break;
        }
        res++;
        if (epi->events & EPOLLONESHOT) {
            Guard<IrqSave> guard(ep->lock);
            epi->events &= EP_PRIVATE_BITS;
        } else if (!(epi->events & EPOLLET)) {
            // Level-triggered: asked again next time (callbacks use ovflist now).
            Guard<IrqSave> guard(ep->lock);
            list_add_tail(&epi->rdllink, &ep->rdllist);
        }
    }
    ep_done_scan(ep, &txlist);
    mutex_unlock(&ep->mtx);
    return res;
}

// epoll_wait's core: events now, or sleep for them until the end time (a
// zero one: only look; none: for ever). A signal gives -EINTR: epoll_wait
// is never restarted, as in Linux.
int ep_poll(eventpoll* ep, epoll_event __user* events, int maxevents, const ktime_t* end) {
    bool timed_out = false;
    ktime_t expires = 0;
    ktime_t* to = nullptr;
    u64 slack = 0;
    if (end && *end) {
        expires = *end;
        to = &expires;
        s64 left = *end - ktime_get();
        slack = left > 0 ? u64(left) / 1000 : 0;
        if (slack > u64(100 * NSEC_PER_MSEC)) slack = 100 * NSEC_PER_MSEC;
        if (slack < 50000) slack = 50000;
        if (current->rt_priority) slack = 0;
    } else if (end) {
        timed_out = true;
    }
    bool eavail = ep_events_available(ep);
    for (;;) {
        if (eavail) {
            int res = ep_send_events(ep, events, maxevents);
            if (res) return res;
        }
        if (timed_out) return 0;
        if (signal_pending(current)) return -EINTR;

        wait_queue_entry wait;
        init_wait_entry(&wait, 0);
        {
            Guard<IrqSave> guard(ep->lock);
            __set_current_state(TASK_INTERRUPTIBLE);
            eavail = ep_events_available(ep);
            if (!eavail) add_wait_queue_exclusive(&ep->wq, &wait);
        }
        if (!eavail) timed_out = !schedule_hrtimeout_range(to, slack, HRTIMER_MODE_ABS);
        __set_current_state(TASK_RUNNING);
        eavail = true;
        // Still queued: not woken by an event. After a time-out, look once
        // more only if a wake-up took us off the queue meanwhile.
        if (!list_empty(&wait.entry)) {
            Guard<IrqSave> guard(ep->lock);
            if (timed_out) eavail = list_empty(&wait.entry);
            remove_wait_queue(&ep->wq, &wait);
        }
    }
}

void ep_free(eventpoll* ep) {
    if (!list_empty(&ep->poll_wait.head)) ep_poll_safewake(ep, nullptr, 0);
    mutex_lock(&epmutex);
    mutex_lock(&ep->mtx);
    while (rb_node* n = rb_first(&ep->rbr)) ep_remove(ep, rb_entry(n, epitem, rbn));
    mutex_unlock(&ep->mtx);
    mutex_unlock(&epmutex);
    ep->~eventpoll();
    kfree(ep);
}

int ep_eventpoll_release(inode*, file* f) {
    ep_free(static_cast<eventpoll*>(f->private_data));
    return 0;
}

const file_operations eventpoll_fops = {
    .llseek = noop_llseek,
    .read = nullptr,
    .write = nullptr,
    .read_iter = nullptr,
    .write_iter = nullptr,
    .iterate_shared = nullptr,
    .poll = ep_eventpoll_poll,
    .unlocked_ioctl = nullptr,
    .mmap = nullptr,
    .open = nullptr,
    .flush = nullptr,
    .release = ep_eventpoll_release,
    .fsync = nullptr,
    .get_unmapped_area = nullptr,
    .fallocate = nullptr,
};

long do_epoll_create(int flags) {
    if (flags & ~int(EPOLL_CLOEXEC)) return -EINVAL;
    void* mem = kmalloc(sizeof(eventpoll), GFP_KERNEL);
    if (!mem) return -ENOMEM;
    auto* ep = new (mem) eventpoll();
    Result<file*> f = anon_inode_getfile("[eventpoll]", &eventpoll_fops, ep, O_RDWR | (flags & O_CLOEXEC));
    if (f.is_error()) {
        ep->~eventpoll();
        kfree(ep);
        return -f.error();
    }
    ep->file = f.value();
    Result<int> fd = alloc_fd_install(0, f.value(), flags & O_CLOEXEC);
    if (fd.is_error()) {
        fput(f.value());
        return -fd.error();
    }
    return fd.value();
}

bool ep_op_has_event(int op) { return op != EPOLL_CTL_DEL; }

long do_epoll_ctl(int epfd, int op, int fd, epoll_event* epds) {
    fd_ref f{unsigned(epfd)};
    if (!f) return -EBADF;
    fd_ref tf{unsigned(fd)};
    if (!tf) return -EBADF;
    // The target must support poll (regular files and directories do not, in Linux's sense).
    if (!tf.f->f_op || !tf.f->f_op->poll) return -EPERM;
    u32 events = epds ? epds->events : 0;
    u64 data = epds ? epds->data : 0;
    if (ep_op_has_event(op) && !capable_of(current_cred())) events &= ~EPOLLWAKEUP;
    // An epoll cannot watch itself, and epoll_ctl needs an epoll.
    if (f.f == tf.f || !is_file_epoll(f.f)) return -EINVAL;
    if (ep_op_has_event(op) && (events & EPOLLEXCLUSIVE)) {
        if (op == EPOLL_CTL_MOD) return -EINVAL;
        if (op == EPOLL_CTL_ADD && (is_file_epoll(tf.f) || (events & ~EPOLLEXCLUSIVE_OK_BITS))) return -EINVAL;
    }
    auto* ep = static_cast<eventpoll*>(f.f->private_data);

    // Adding an epoll: check for cycles first, under epmutex, which stays
    // held so that no other epoll_ctl makes one meanwhile.
    bool nested = op == EPOLL_CTL_ADD && is_file_epoll(tf.f);
    if (nested) {
        mutex_lock(&epmutex);
        if (ep_loop_check_proc(static_cast<eventpoll*>(tf.f->private_data), ep, 0)) {
            mutex_unlock(&epmutex);
            return -ELOOP;
        }
    }
    long error = -EINVAL;
    mutex_lock(&ep->mtx);
    epitem* epi = ep_find(ep, tf.f, fd);
    switch (op) {
    case EPOLL_CTL_ADD:
        if (!epi)
            error = ep_insert(ep, events | EPOLLERR | EPOLLHUP, data, tf.f, fd);
        else
            error = -EEXIST;
        break;
    case EPOLL_CTL_DEL:
        if (epi) {
            ep_remove(ep, epi);
            error = 0;
        } else {
            error = -ENOENT;
        }
        break;
    case EPOLL_CTL_MOD:
        if (!epi)
            error = -ENOENT;
        else if (epi->events & EPOLLEXCLUSIVE)
            error = -EINVAL;
        else
            error = ep_modify(ep, epi, events | EPOLLERR | EPOLLHUP, data);
        break;
    }
    mutex_unlock(&ep->mtx);
    if (nested) mutex_unlock(&epmutex);
    return error;
}

long do_epoll_wait(int epfd, epoll_event __user* events, int maxevents, const ktime_t* end) {
    if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) return -EINVAL;
    if (!access_ok(events, size_t(maxevents) * sizeof(epoll_event))) return -EFAULT;
    fd_ref f{unsigned(epfd)};
    if (!f) return -EBADF;
    if (!is_file_epoll(f.f)) return -EINVAL;
    return ep_poll(static_cast<eventpoll*>(f.f->private_data), events, maxevents, end);
}

// A millisecond timeout as an end time: negative waits for ever (nullptr),
// 0 only looks (an end of 0).
const ktime_t* ep_timeout_to_end(int ms, ktime_t* end) {
    if (ms < 0) return nullptr;
    *end = ms ? ktime_add_safe(ktime_get(), ktime_t(ms) * NSEC_PER_MSEC) : 0;
    return end;
}

long do_epoll_pwait(int epfd, epoll_event __user* events, int maxevents, const ktime_t* end,
                    const sigset_t __user* sigmask, size_t sigsetsize) {
    int error = set_user_sigmask(sigmask, sigsetsize);
    if (error) return error;
    long ret = do_epoll_wait(epfd, events, maxevents, end);
    restore_saved_sigmask_unless(ret == -EINTR);
    return ret;
}

}  // namespace

void eventpoll_release(file* f) {
    // The last reference is gone, so no epoll_ctl can add an item now: a file
    // nobody watches (nearly every file) costs one read here.
    if (list_empty(&f->f_ep)) return;
    // epmutex keeps every epoll alive while we take items out of them.
    mutex_lock(&epmutex);
    for (;;) {
        epitem* found = nullptr;
        {
            Guard<NoIrqSave> guard(ep_files_lock);
            if (!list_empty(&f->f_ep)) found = list_entry(f->f_ep.next, epitem, fllink);
        }
        if (!found) break;
        eventpoll* ep = found->ep;
        mutex_lock(&ep->mtx);
        ep_remove(ep, found);
        mutex_unlock(&ep->mtx);
    }
    mutex_unlock(&epmutex);
}

long sys_epoll_create1(int flags) { return do_epoll_create(flags); }

long sys_epoll_create(int size) {
    if (size <= 0) return -EINVAL;
    return do_epoll_create(0);
}

long sys_epoll_ctl(int epfd, int op, int fd, epoll_event __user* event) {
    epoll_event epds{};
    if (ep_op_has_event(op) && copy_from_user(&epds, event, sizeof(epds))) return -EFAULT;
    return do_epoll_ctl(epfd, op, fd, ep_op_has_event(op) ? &epds : nullptr);
}

long sys_epoll_wait(int epfd, epoll_event __user* events, int maxevents, int timeout) {
    ktime_t end;
    return do_epoll_wait(epfd, events, maxevents, ep_timeout_to_end(timeout, &end));
}

long sys_epoll_pwait(int epfd, epoll_event __user* events, int maxevents, int timeout,
                     const sigset_t __user* sigmask, size_t sigsetsize) {
    ktime_t end;
    return do_epoll_pwait(epfd, events, maxevents, ep_timeout_to_end(timeout, &end), sigmask, sigsetsize);
}

long sys_epoll_pwait2(int epfd, epoll_event __user* events, int maxevents, const __kernel_timespec __user* timeout,
                      const sigset_t __user* sigmask, size_t sigsetsize) {
    ktime_t end;
    const ktime_t* to = nullptr;
    if (timeout) {
        __kernel_timespec ts;
        if (copy_from_user(&ts, timeout, sizeof(ts))) return -EFAULT;
        timespec64 t{ts.tv_sec, ts.tv_nsec};
        if (!timespec64_valid(t)) return -EINVAL;
        end = (!t.tv_sec && !t.tv_nsec) ? 0 : ktime_add_safe(ktime_get(), timespec64_to_ktime(t));
        to = &end;
    }
    return do_epoll_pwait(epfd, events, maxevents, to, sigmask, sigsetsize);
}
