// eventfd (Linux's fs/eventfd.c): the counter of keel/eventfd.h, on an
// anonymous inode ("anon_inode:[eventfd]").
//
// The counter never reaches ULLONG_MAX through write (that value would make
// "readable" and "overflowed" the same): a write that would get there
// blocks (or fails with EAGAIN) until a read makes room, and writing
// ULLONG_MAX itself is EINVAL. The counter is guarded by the wait queue's
// lock, as in Linux, so a waiter checks it and sleeps without missing a change.
#include <asm/uaccess.h>
#include <keel/anon_inodes.h>
#include <keel/eventfd.h>
#include <keel/poll.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <mm/slab.h>

#include <new>

struct eventfd_ctx {
    Atomic<int> kref{1};
    wait_queue_head wqh;
    u64 count = 0;
    unsigned flags = 0;  // EFD_SEMAPHORE
};

namespace {

constexpr u64 ULLONG_MAX = ~0ull;

// Sleeps until ready() (called under the queue's lock) returns true; then
// returns 0, or -ERESTARTSYS when a signal comes first. ready() does the
// update itself so that check and change are one step under the lock.
template <typename Ready> int eventfd_wait(eventfd_ctx* ctx, Ready ready) {
    wait_queue_entry wait;
    init_wait_entry(&wait, 0);
    int ret = 0;
    for (;;) {
        prepare_to_wait(&ctx->wqh, &wait, TASK_INTERRUPTIBLE);
        {
            Guard<IrqSave> guard(ctx->wqh.lock);
            if (ready()) break;
        }
        if (signal_pending(current)) {
            ret = -ERESTARTSYS;
            break;
        }
        schedule();
    }
    finish_wait(&ctx->wqh, &wait);
    return ret;
}

ssize_t eventfd_read(kiocb* iocb, iov_iter* to) {
    eventfd_ctx* ctx = static_cast<eventfd_ctx*>(iocb->ki_filp->private_data);
    if (iov_iter_count(to) < sizeof(u64)) return -EINVAL;
    bool nonblock = (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
    u64 ucnt = 0;
    auto take = [ctx, &ucnt] {
        if (!ctx->count) return false;
        ucnt = (ctx->flags & EFD_SEMAPHORE) ? 1 : ctx->count;
        ctx->count -= ucnt;
        return true;
    };
    bool taken;
    {
        Guard<IrqSave> guard(ctx->wqh.lock);
        taken = take();
    }
    if (!taken) {
        if (nonblock) return -EAGAIN;
        int err = eventfd_wait(ctx, take);
        if (err) return err;
    }
    // Room for writers that waited for the counter to go down.
    wake_up_poll(&ctx->wqh, EPOLLOUT);
    if (copy_to_iter(&ucnt, sizeof(ucnt), to) != sizeof(ucnt)) return -EFAULT;
    return sizeof(ucnt);
}

ssize_t eventfd_write(kiocb* iocb, iov_iter* from) {
    file* f = iocb->ki_filp;
    eventfd_ctx* ctx = static_cast<eventfd_ctx*>(f->private_data);
    if (iov_iter_count(from) < sizeof(u64)) return -EINVAL;
    u64 ucnt;
    if (copy_from_iter(&ucnt, sizeof(ucnt), from) != sizeof(ucnt)) return -EFAULT;
    if (ucnt == ULLONG_MAX) return -EINVAL;
    auto add = [ctx, ucnt] {
        if (ULLONG_MAX - ctx->count <= ucnt) return false;
        ctx->count += ucnt;
        return true;
    };
    bool added;
    {
        Guard<IrqSave> guard(ctx->wqh.lock);
        added = add();
    }
    if (!added) {
        if ((f->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT)) return -EAGAIN;
        int err = eventfd_wait(ctx, add);
        if (err) return err;
    }
    wake_up_poll(&ctx->wqh, EPOLLIN);
    return sizeof(ucnt);
}

__poll_t eventfd_poll(file* f, poll_table* wait) {
    eventfd_ctx* ctx = static_cast<eventfd_ctx*>(f->private_data);
    poll_wait(f, &ctx->wqh, wait);
    u64 count = __atomic_load_n(&ctx->count, __ATOMIC_ACQUIRE);
    __poll_t events = 0;
    if (count > 0) events |= EPOLLIN;
    if (count == ULLONG_MAX) events |= EPOLLERR;  // only eventfd_signal can get it there
    if (ULLONG_MAX - 1 > count) events |= EPOLLOUT;
    return events;
}

int eventfd_release(inode*, file* f) {
    eventfd_ctx* ctx = static_cast<eventfd_ctx*>(f->private_data);
    wake_up_poll(&ctx->wqh, EPOLLHUP);
    eventfd_ctx_put(ctx);
    return 0;
}

const file_operations eventfd_fops = {
    .llseek = noop_llseek,
    .read = nullptr,
    .write = nullptr,
    .read_iter = eventfd_read,
    .write_iter = eventfd_write,
    .iterate_shared = nullptr,
    .poll = eventfd_poll,
    .unlocked_ioctl = nullptr,
    .mmap = nullptr,
    .open = nullptr,
    .flush = nullptr,
    .release = eventfd_release,
    .fsync = nullptr,
    .get_unmapped_area = nullptr,
    .fallocate = nullptr,
};

long do_eventfd(unsigned count, int flags) {
    if (flags & ~EFD_FLAGS_SET) return -EINVAL;
    void* mem = kmalloc(sizeof(eventfd_ctx), GFP_KERNEL);
    if (!mem) return -ENOMEM;
    auto* ctx = new (mem) eventfd_ctx();
    ctx->count = count;
    ctx->flags = flags & EFD_SEMAPHORE;
    long fd = anon_inode_getfd("[eventfd]", &eventfd_fops, ctx, O_RDWR | (flags & EFD_SHARED_FCNTL_FLAGS));
    if (fd < 0) eventfd_ctx_put(ctx);
    return fd;
}

}  // namespace

Result<eventfd_ctx*> eventfd_ctx_fileget(file* f) {
    if (f->f_op != &eventfd_fops) return Error{EINVAL};
    auto* ctx = static_cast<eventfd_ctx*>(f->private_data);
    ctx->kref.fetch_add(1, memory_order::relaxed);
    return ctx;
}

void eventfd_ctx_put(eventfd_ctx* ctx) {
    if (ctx->kref.fetch_sub(1, memory_order::acq_rel) != 1) return;
    ctx->~eventfd_ctx();
    kfree(ctx);
}

u64 eventfd_signal(eventfd_ctx* ctx, u64 n) {
    {
        Guard<IrqSave> guard(ctx->wqh.lock);
        if (ULLONG_MAX - ctx->count < n) n = ULLONG_MAX - ctx->count;
        ctx->count += n;
    }
    wake_up_poll(&ctx->wqh, EPOLLIN);
    return n;
}

long sys_eventfd2(unsigned count, int flags) { return do_eventfd(count, flags); }
long sys_eventfd(unsigned count) { return do_eventfd(count, 0); }
