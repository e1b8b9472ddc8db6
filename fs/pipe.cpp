// Pipes and FIFOs (Linux's fs/pipe.c): the ring of page buffers described in
// keel/pipe_fs_i.h, the file operations pipes and FIFOs share, pipefs (where
// pipe(2)'s inodes live), fifo_open's blocking rules, and pipe/pipe2.
//
// What pipe(7) promises and where it is kept:
//   - a write of at most PIPE_BUF bytes is atomic: it either fits into the
//     last buffer or takes one new buffer, all under pipe->mutex, so it never
//     sleeps half done (pipe_write);
//   - read returns 0 once every writer is gone and the ring is empty;
//   - write with no reader raises SIGPIPE and fails with EPIPE;
//   - O_NONBLOCK turns every sleep into EAGAIN (after a partial transfer:
//     the bytes done);
//   - a signal ends a sleep with -ERESTARTSYS (restarted under SA_RESTART).
#include <asm/uaccess.h>
#include <keel/anon_inodes.h>
#include <keel/cred.h>
#include <keel/dcache.h>
#include <keel/fdtable.h>
#include <keel/init.h>
#include <keel/mount.h>
#include <keel/pipe_fs_i.h>
#include <keel/poll.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <mm/gfp.h>
#include <mm/slab.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

#include <new>

namespace {

// FIONREAD (asm-generic/ioctls.h): the bytes waiting to be read.
constexpr unsigned FIONREAD = 0x541B;
// O_NOTIFICATION_PIPE (pipe2) is O_EXCL: a watch queue, which Keel lacks;
// Linux built without CONFIG_WATCH_QUEUE answers ENOPKG (not in uapi/asm/errno.h yet).
constexpr unsigned O_NOTIFICATION_PIPE = O_EXCL;
constexpr int ENOPKG = 65;

vfsmount* pipe_mnt;

// The pipe of a file of pipefifo_fops: the inode's, which lives as long as
// any file refers to it.
pipe_inode_info* file_pipe(const file* f) { return file_inode(f)->i_pipe; }

// Linux's f_version for pipe files: a FIFO reader opened without blocking
// before any writer existed keeps the writer count it saw, so poll does not
// report EPOLLHUP until a writer has come and gone. Kept in private_data,
// which pipe files do not otherwise use (the pipe is found through the inode).
unsigned long file_version(const file* f) { return reinterpret_cast<unsigned long>(f->private_data); }

bool pipe_readable(const pipe_inode_info* pipe) {
    unsigned head = __atomic_load_n(&pipe->head, __ATOMIC_ACQUIRE);
    unsigned tail = __atomic_load_n(&pipe->tail, __ATOMIC_ACQUIRE);
    return !pipe_empty(head, tail) || !__atomic_load_n(&pipe->writers, __ATOMIC_RELAXED);
}

bool pipe_writable(const pipe_inode_info* pipe) {
    unsigned head = __atomic_load_n(&pipe->head, __ATOMIC_ACQUIRE);
    unsigned tail = __atomic_load_n(&pipe->tail, __ATOMIC_ACQUIRE);
    unsigned max_usage = __atomic_load_n(&pipe->max_usage, __ATOMIC_RELAXED);
    return !pipe_full(head, tail, max_usage) || !__atomic_load_n(&pipe->readers, __ATOMIC_RELAXED);
}

// Linux's wait_event_interruptible_exclusive: one waiter is woken per
// wake-up, so a write does not wake every reader to fight over one buffer.
// 0 when cond holds, -ERESTARTSYS when a signal came first.
template <typename Cond> int wait_event_interruptible_exclusive(wait_queue_head* wq, Cond cond) {
    wait_queue_entry wait;
    init_wait_entry(&wait, 0);
    int ret = 0;
    for (;;) {
        prepare_to_wait_exclusive(wq, &wait, TASK_INTERRUPTIBLE);
        if (cond()) break;
        if (signal_pending(current)) {
            ret = -ERESTARTSYS;
            break;
        }
        schedule();
    }
    finish_wait(wq, &wait);
    return ret;
}

void wake_up_interruptible_all(wait_queue_head* wq) { __wake_up(wq, TASK_INTERRUPTIBLE, 0, nullptr); }

// A drained buffer's page is kept for the next write if none is kept yet
// (Linux's anon_pipe_buf_release): a steady stream then allocates nothing.
void pipe_buf_release(pipe_inode_info* pipe, pipe_buffer* buf) {
    page* p = buf->page;
    buf->page = nullptr;
    if (!pipe->tmp_page)
        pipe->tmp_page = p;
    else
        put_page(p);
}

bool is_nonblocking(const kiocb* iocb) {
    return (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
}

ssize_t pipe_read(kiocb* iocb, iov_iter* to) {
    size_t total_len = iov_iter_count(to);
    file* filp = iocb->ki_filp;
    pipe_inode_info* pipe = file_pipe(filp);
    if (!total_len) return 0;

    ssize_t ret = 0;
    bool wake_next_reader = false;
    mutex_lock(&pipe->mutex);
    // Only a read that empties a full pipe need wake writers.
    bool was_full = pipe_full(pipe->head, pipe->tail, pipe->max_usage);
    for (;;) {
        unsigned head = pipe->head, tail = pipe->tail, mask = pipe->ring_size - 1;
        if (!pipe_empty(head, tail)) {
            pipe_buffer* buf = &pipe->bufs[tail & mask];
            size_t chars = buf->len < total_len ? buf->len : total_len;
            if (copy_page_to_iter(buf->page, buf->offset, chars, to) < chars) {
                if (!ret) ret = -EFAULT;
                break;
            }
            ret += chars;
            buf->offset += chars;
            buf->len -= chars;
            // Packet mode: a read takes one write's bytes and drops what it leaves.
            if (buf->flags & PIPE_BUF_FLAG_PACKET) {
                total_len = chars;
                buf->len = 0;
            }
            if (!buf->len) {
                pipe_buf_release(pipe, buf);
                __atomic_store_n(&pipe->tail, ++tail, __ATOMIC_RELEASE);
            }
            total_len -= chars;
            if (!total_len) break;
            if (!pipe_empty(head, tail)) continue;
        }
        if (!pipe->writers) break;  // EOF (or the bytes read so far)
        if (ret) break;
        if (is_nonblocking(iocb)) {
            ret = -EAGAIN;
            break;
        }
        mutex_unlock(&pipe->mutex);
        if (was_full) wake_up_interruptible_sync_poll(&pipe->wr_wait, EPOLLOUT | EPOLLWRNORM);
        if (wait_event_interruptible_exclusive(&pipe->rd_wait, [pipe] { return pipe_readable(pipe); }) < 0)
            return -ERESTARTSYS;
        mutex_lock(&pipe->mutex);
        was_full = pipe_full(pipe->head, pipe->tail, pipe->max_usage);
        // We took the one exclusive wake-up: pass it on if data is left.
        wake_next_reader = true;
    }
    if (pipe_empty(pipe->head, pipe->tail)) wake_next_reader = false;
    mutex_unlock(&pipe->mutex);

    if (was_full) wake_up_interruptible_sync_poll(&pipe->wr_wait, EPOLLOUT | EPOLLWRNORM);
    if (wake_next_reader) wake_up_interruptible_sync_poll(&pipe->rd_wait, EPOLLIN | EPOLLRDNORM);
    if (ret > 0) file_accessed(filp);
    return ret;
}

void send_sigpipe() { send_sig_info(SIGPIPE, SEND_SIG_NOINFO, current); }

ssize_t pipe_write(kiocb* iocb, iov_iter* from) {
    file* filp = iocb->ki_filp;
    pipe_inode_info* pipe = file_pipe(filp);
    size_t total_len = iov_iter_count(from);
    ssize_t ret = 0;
    bool was_empty = false, wake_next_writer = false;
    // A write of nothing succeeds, readers or not (POSIX leaves it open; Linux does this).
    if (!total_len) return 0;

    mutex_lock(&pipe->mutex);
    if (!pipe->readers) {
        send_sigpipe();
        ret = -EPIPE;
        goto out;
    }
    {
        // The tail of a write that is not a whole number of pages may go into
        // the last buffer if it fits entirely: a small write stays in one
        // buffer (atomic) and small writes do not use a page each.
        unsigned head = pipe->head;
        was_empty = pipe_empty(head, pipe->tail);
        size_t chars = total_len & (PAGE_SIZE - 1);
        if (chars && !was_empty) {
            pipe_buffer* buf = &pipe->bufs[(head - 1) & (pipe->ring_size - 1)];
            size_t offset = buf->offset + buf->len;
            if ((buf->flags & PIPE_BUF_FLAG_CAN_MERGE) && offset + chars <= PAGE_SIZE) {
                size_t copied = copy_page_from_iter(buf->page, offset, chars, from);
                if (copied < chars) {
                    ret = -EFAULT;
                    goto out;
                }
                buf->len += copied;
                ret = copied;
                if (!iov_iter_count(from)) goto out;
            }
        }
    }
    for (;;) {
        if (!pipe->readers) {
            send_sigpipe();
            if (!ret) ret = -EPIPE;
            break;
        }
        unsigned head = pipe->head;
        if (!pipe_full(head, pipe->tail, pipe->max_usage)) {
            page* p = pipe->tmp_page;
            if (!p) {
                p = alloc_page(GFP_KERNEL);
                if (!p) {
                    if (!ret) ret = -ENOMEM;
                    break;
                }
                pipe->tmp_page = p;
            }
            // The buffer is in the ring before the copy, as Linux does: a
            // fault leaves it (maybe empty) for readers to skip.
            pipe_buffer* buf = &pipe->bufs[head & (pipe->ring_size - 1)];
            buf->page = p;
            buf->offset = 0;
            buf->len = 0;
            buf->flags = (filp->f_flags & O_DIRECT) ? PIPE_BUF_FLAG_PACKET : PIPE_BUF_FLAG_CAN_MERGE;
            pipe->tmp_page = nullptr;
            __atomic_store_n(&pipe->head, head + 1, __ATOMIC_RELEASE);
            size_t copied = copy_page_from_iter(p, 0, PAGE_SIZE, from);
            buf->len = unsigned(copied);
            if (copied < PAGE_SIZE && iov_iter_count(from)) {
                if (!ret) ret = -EFAULT;
                break;
            }
            ret += copied;
            if (!iov_iter_count(from)) break;
        }
        if (!pipe_full(pipe->head, pipe->tail, pipe->max_usage)) continue;

        // Full: wait for a reader to make room.
        if (filp->f_flags & O_NONBLOCK || (iocb->ki_flags & IOCB_NOWAIT)) {
            if (!ret) ret = -EAGAIN;
            break;
        }
        if (signal_pending(current)) {
            if (!ret) ret = -ERESTARTSYS;
            break;
        }
        mutex_unlock(&pipe->mutex);
        if (was_empty) wake_up_interruptible_sync_poll(&pipe->rd_wait, EPOLLIN | EPOLLRDNORM);
        // A signal is seen at the top of the loop (with the bytes written so far).
        (void)wait_event_interruptible_exclusive(&pipe->wr_wait, [pipe] { return pipe_writable(pipe); });
        mutex_lock(&pipe->mutex);
        was_empty = pipe_empty(pipe->head, pipe->tail);
        wake_next_writer = true;
    }
out:
    if (pipe_full(pipe->head, pipe->tail, pipe->max_usage)) wake_next_writer = false;
    mutex_unlock(&pipe->mutex);

    // A reader that polled (epoll edge-triggered especially) wants every
    // write, not only the one that made the pipe non-empty.
    if (was_empty || __atomic_load_n(&pipe->poll_usage, __ATOMIC_RELAXED))
        wake_up_interruptible_sync_poll(&pipe->rd_wait, EPOLLIN | EPOLLRDNORM);
    if (wake_next_writer) wake_up_interruptible_sync_poll(&pipe->wr_wait, EPOLLOUT | EPOLLWRNORM);
    if (ret > 0) file_update_time(filp);
    return ret;
}

long pipe_ioctl(file* filp, unsigned cmd, unsigned long arg) {
    if (cmd != FIONREAD) return -ENOTTY;
    pipe_inode_info* pipe = file_pipe(filp);
    int count = 0;
    mutex_lock(&pipe->mutex);
    for (unsigned i = pipe->tail; i != pipe->head; i++) count += pipe->bufs[i & (pipe->ring_size - 1)].len;
    mutex_unlock(&pipe->mutex);
    return put_user(count, reinterpret_cast<int __user*>(arg));
}

__poll_t pipe_poll(file* filp, poll_table* wait) {
    pipe_inode_info* pipe = file_pipe(filp);
    __atomic_store_n(&pipe->poll_usage, true, __ATOMIC_RELAXED);
    // Register first, then look: a change after the look wakes us.
    if (filp->f_mode & FMODE_READ) poll_wait(filp, &pipe->rd_wait, wait);
    if (filp->f_mode & FMODE_WRITE) poll_wait(filp, &pipe->wr_wait, wait);

    unsigned head = __atomic_load_n(&pipe->head, __ATOMIC_ACQUIRE);
    unsigned tail = __atomic_load_n(&pipe->tail, __ATOMIC_ACQUIRE);
    __poll_t mask = 0;
    if (filp->f_mode & FMODE_READ) {
        if (!pipe_empty(head, tail)) mask |= EPOLLIN | EPOLLRDNORM;
        if (!pipe->writers && file_version(filp) != pipe->w_counter) mask |= EPOLLHUP;
    }
    if (filp->f_mode & FMODE_WRITE) {
        if (!pipe_full(head, tail, pipe->max_usage)) mask |= EPOLLOUT | EPOLLWRNORM;
        // Linux reports a reader-less pipe as an error to the writer (not as EPOLLHUP).
        if (!pipe->readers) mask |= EPOLLERR;
    }
    return mask;
}

// Drops f's share of the pipe; the last file frees it and detaches it from
// a FIFO's inode (the next open of the FIFO makes a new pipe).
void put_pipe_info(inode* inode, pipe_inode_info* pipe) {
    bool kill = false;
    {
        Guard<NoIrqSave> guard(inode->i_lock);
        if (!--pipe->files) {
            inode->i_pipe = nullptr;
            kill = true;
        }
    }
    if (kill) free_pipe_info(pipe);
}

int pipe_release(inode* inode, file* filp) {
    pipe_inode_info* pipe = inode->i_pipe;
    mutex_lock(&pipe->mutex);
    if (filp->f_mode & FMODE_READ) pipe->readers--;
    if (filp->f_mode & FMODE_WRITE) pipe->writers--;
    // The last reader or writer gone: the other side sees EOF / EPIPE.
    if (!pipe->readers != !pipe->writers) {
        wake_up_interruptible_all(&pipe->rd_wait);
        wake_up_interruptible_all(&pipe->wr_wait);
    }
    mutex_unlock(&pipe->mutex);
    put_pipe_info(inode, pipe);
    return 0;
}

// Pipes and FIFOs are streams: no position, so lseek/pread/pwrite get ESPIPE.
void stream_open(file* f) { f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE | FMODE_ATOMIC_POS); }

// An opener of a FIFO waits until the counter of the other side moves (a
// partner opened), with the pipe's mutex dropped while it sleeps.
int wait_for_partner(pipe_inode_info* pipe, unsigned* cnt) {
    unsigned cur = *cnt;
    while (cur == __atomic_load_n(cnt, __ATOMIC_RELAXED)) {
        wait_queue_entry wait;
        init_wait_entry(&wait, 0);
        prepare_to_wait(&pipe->rd_wait, &wait, TASK_INTERRUPTIBLE);
        mutex_unlock(&pipe->mutex);
        schedule();
        finish_wait(&pipe->rd_wait, &wait);
        mutex_lock(&pipe->mutex);
        if (signal_pending(current)) break;
    }
    return cur == *cnt ? -ERESTARTSYS : 0;
}

void wake_up_partner(pipe_inode_info* pipe) { wake_up_interruptible_all(&pipe->rd_wait); }

// FIFO open (Linux's fifo_open), also reached when a pipe is reopened
// through /proc/PID/fd. POSIX's rules for a FIFO:
//   O_RDONLY waits for a writer (O_NONBLOCK: opens at once);
//   O_WRONLY waits for a reader (O_NONBLOCK: ENXIO when there is none);
//   O_RDWR never waits (Linux's choice; POSIX leaves it undefined).
int fifo_open(inode* inode, file* filp) {
    bool is_pipe = inode->i_sb->s_magic == PIPEFS_MAGIC;
    pipe_inode_info* pipe;
    {
        Guard<NoIrqSave> guard(inode->i_lock);
        pipe = inode->i_pipe;
        if (pipe) pipe->files++;
    }
    if (!pipe) {
        pipe_inode_info* fresh = alloc_pipe_info();
        if (!fresh) return -ENOMEM;
        fresh->files = 1;
        {
            Guard<NoIrqSave> guard(inode->i_lock);
            pipe = inode->i_pipe;
            if (pipe) {
                pipe->files++;  // another opener was quicker
            } else {
                inode->i_pipe = pipe = fresh;
                fresh = nullptr;
            }
        }
        if (fresh) free_pipe_info(fresh);
    }
    filp->private_data = nullptr;
    stream_open(filp);

    int ret = 0;
    mutex_lock(&pipe->mutex);
    switch (filp->f_mode & (FMODE_READ | FMODE_WRITE)) {
    case FMODE_READ:
        pipe->r_counter++;
        if (pipe->readers++ == 0) wake_up_partner(pipe);
        if (!is_pipe && !pipe->writers) {
            if (filp->f_flags & O_NONBLOCK) {
                // No EPOLLHUP before a writer has been seen.
                filp->private_data = reinterpret_cast<void*>(static_cast<unsigned long>(pipe->w_counter));
            } else if (wait_for_partner(pipe, &pipe->w_counter)) {
                if (!--pipe->readers) wake_up_interruptible(&pipe->wr_wait);
                ret = -ERESTARTSYS;
            }
        }
        break;
    case FMODE_WRITE:
        if (!is_pipe && (filp->f_flags & O_NONBLOCK) && !pipe->readers) {
            ret = -ENXIO;
            break;
        }
        pipe->w_counter++;
        if (!pipe->writers++) wake_up_partner(pipe);
        if (!is_pipe && !pipe->readers && wait_for_partner(pipe, &pipe->r_counter)) {
            if (!--pipe->writers) wake_up_interruptible_all(&pipe->rd_wait);
            ret = -ERESTARTSYS;
        }
        break;
    case FMODE_READ | FMODE_WRITE:
        pipe->readers++;
        pipe->writers++;
        pipe->r_counter++;
        pipe->w_counter++;
        if (pipe->readers == 1 || pipe->writers == 1) wake_up_partner(pipe);
        break;
    default:
        ret = -EINVAL;
        break;
    }
    mutex_unlock(&pipe->mutex);
    if (ret) put_pipe_info(inode, pipe);
    return ret;
}

// ---- pipefs ----

char* pipefs_dname(dentry* d, char* buf, int buflen) {
    return dynamic_dname(buf, buflen, "pipe:[%lu]", d_inode(d)->i_ino);
}

const dentry_operations pipefs_dentry_operations = {.d_dname = pipefs_dname};

int pipefs_fill_super(super_block* sb, void*, int) {
    return pseudo_fill_super(sb, PIPEFS_MAGIC, &pipefs_dentry_operations);
}

Result<dentry*> pipefs_mount(file_system_type* fs_type, int flags, const char*, void* data) {
    return mount_nodev(fs_type, flags, data, pipefs_fill_super);
}

file_system_type pipe_fs_type = {
    .name = "pipefs",
    .fs_flags = 0,
    .mount = pipefs_mount,
    .kill_sb = kill_anon_super,
    .next = nullptr,
};

int init_pipe_fs() {
    int err = register_filesystem(&pipe_fs_type);
    if (err) return err;
    Result<vfsmount*> mnt = kern_mount(&pipe_fs_type);
    if (mnt.is_error()) panic("init_pipe_fs: kern_mount failed (%d)", mnt.error());
    pipe_mnt = mnt.value();
    return 0;
}
core_initcall(init_pipe_fs);

// The inode of a new pipe(2): a FIFO owned by the caller, mode 0600, with
// one reader and one writer to come.
inode* get_pipe_inode() {
    inode* inode = new_inode(pipe_mnt->mnt_sb);
    if (!inode) return nullptr;
    pipe_inode_info* pipe = alloc_pipe_info();
    if (!pipe) {
        iput(inode);
        return nullptr;
    }
    inode->i_pipe = pipe;
    pipe->files = 2;
    pipe->readers = pipe->writers = 1;
    inode->i_fop = &pipefifo_fops;
    inode->i_mode = S_IFIFO | 0600;
    inode->i_uid = current_cred()->fsuid;
    inode->i_gid = current_cred()->fsgid;
    inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
    return inode;
}

}  // namespace

const file_operations pipefifo_fops = {
    .llseek = nullptr,
    .read = nullptr,
    .write = nullptr,
    .read_iter = pipe_read,
    .write_iter = pipe_write,
    .iterate_shared = nullptr,
    .poll = pipe_poll,
    .unlocked_ioctl = pipe_ioctl,
    .mmap = nullptr,
    .open = fifo_open,
    .flush = nullptr,
    .release = pipe_release,
    .fsync = nullptr,
    .get_unmapped_area = nullptr,
    .fallocate = nullptr,
};

pipe_inode_info* alloc_pipe_info() {
    void* mem = kmalloc(sizeof(pipe_inode_info), GFP_KERNEL);
    if (!mem) return nullptr;
    auto* pipe = new (mem) pipe_inode_info();
    pipe->bufs = static_cast<pipe_buffer*>(kcalloc(PIPE_DEF_BUFFERS, sizeof(pipe_buffer), GFP_KERNEL));
    if (!pipe->bufs) {
        pipe->~pipe_inode_info();
        kfree(mem);
        return nullptr;
    }
    pipe->r_counter = pipe->w_counter = 1;
    pipe->max_usage = pipe->ring_size = PIPE_DEF_BUFFERS;
    return pipe;
}

void free_pipe_info(pipe_inode_info* pipe) {
    for (unsigned i = pipe->tail; i != pipe->head; i++) {
        pipe_buffer* buf = &pipe->bufs[i & (pipe->ring_size - 1)];
        if (buf->page) put_page(buf->page);
    }
    if (pipe->tmp_page) put_page(pipe->tmp_page);
    kfree(pipe->bufs);
    pipe->~pipe_inode_info();
    kfree(pipe);
}

Result<void> create_pipe_files(file** res, int flags) {
    inode* inode = get_pipe_inode();
    if (!inode) return Error{ENFILE};
    Result<file*> w = alloc_file_pseudo(inode, pipe_mnt, "", O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)),
                                        &pipefifo_fops);
    if (w.is_error()) {
        free_pipe_info(inode->i_pipe);
        inode->i_pipe = nullptr;
        iput(inode);
        return Error{w.error()};
    }
    ihold(inode);
    Result<file*> r = alloc_file_pseudo(inode, pipe_mnt, "", O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops);
    if (r.is_error()) {
        iput(inode);
        // The reader never existed: its share goes first, so the writer's
        // release below is the last and frees the pipe.
        put_pipe_info(inode, inode->i_pipe);
        fput(w.value());
        return Error{r.error()};
    }
    stream_open(w.value());
    stream_open(r.value());
    res[0] = r.value();
    res[1] = w.value();
    return {};
}

pipe_inode_info* get_pipe_info(file* f) { return f->f_op == &pipefifo_fops ? file_pipe(f) : nullptr; }

long pipe_fcntl(file* f, unsigned cmd, unsigned long arg) {
    pipe_inode_info* pipe = get_pipe_info(f);
    if (!pipe) return -EBADF;
    mutex_lock(&pipe->mutex);
    long ret;
    switch (cmd) {
    case F_GETPIPE_SZ:
        ret = long(pipe->max_usage) * PAGE_SIZE;
        break;
    case F_SETPIPE_SZ: {
        // Linux takes the size as an unsigned int.
        unsigned long size = round_pipe_size(unsigned(arg));
        unsigned nr_slots = unsigned(size >> PAGE_SHIFT);
        if (!nr_slots) {
            ret = -EINVAL;
            break;
        }
        if (nr_slots > pipe->max_usage && size > PIPE_MAX_SIZE && !capable_of(current_cred())) {
            ret = -EPERM;
            break;
        }
        unsigned n = pipe_occupancy(pipe->head, pipe->tail);
        if (nr_slots < n) {
            ret = -EBUSY;
            break;
        }
        auto* bufs = static_cast<pipe_buffer*>(kcalloc(nr_slots, sizeof(pipe_buffer), GFP_KERNEL));
        if (!bufs) {
            ret = -ENOMEM;
            break;
        }
        // The buffers in use move to the start of the new ring, in order.
        for (unsigned i = 0; i < n; i++) bufs[i] = pipe->bufs[(pipe->tail + i) & (pipe->ring_size - 1)];
        kfree(pipe->bufs);
        pipe->bufs = bufs;
        pipe->ring_size = pipe->max_usage = nr_slots;
        __atomic_store_n(&pipe->tail, 0u, __ATOMIC_RELEASE);
        __atomic_store_n(&pipe->head, n, __ATOMIC_RELEASE);
        ret = long(nr_slots) * PAGE_SIZE;
        // More room: writers may go on.
        wake_up_interruptible_all(&pipe->wr_wait);
        break;
    }
    default:
        ret = -EINVAL;
        break;
    }
    mutex_unlock(&pipe->mutex);
    return ret;
}

long sys_pipe2(int __user* fildes, int flags) {
    if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) return -EINVAL;
    if (flags & O_NOTIFICATION_PIPE) return -ENOPKG;
    file* files[2];
    Result<void> made = create_pipe_files(files, flags);
    if (made.is_error()) return -made.error();
    int fd[2];
    Result<int> r = alloc_fd_install(0, files[0], flags & O_CLOEXEC);
    if (r.is_error()) {
        fput(files[0]);
        fput(files[1]);
        return -r.error();
    }
    fd[0] = r.value();
    Result<int> w = alloc_fd_install(0, files[1], flags & O_CLOEXEC);
    if (w.is_error()) {
        (void)close_fd(fd[0]);
        fput(files[1]);
        return -w.error();
    }
    fd[1] = w.value();
    if (copy_to_user(fildes, fd, sizeof(fd))) {
        (void)close_fd(fd[0]);
        (void)close_fd(fd[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_pipe(int __user* fildes) { return sys_pipe2(fildes, 0); }
