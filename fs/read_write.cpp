// read, write and their vector and positioned forms, lseek and sendfile
// (Linux's fs/read_write.c). A file system may implement plain read/write on
// user buffers or read_iter/write_iter on an iov_iter; the iter forms also
// serve readv, kernel_read (exec) and sendfile.
#include <keel/fdtable.h>
#include <keel/syscalls.h>
#include <mm/slab.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/uio.h>

namespace {

// Linux caps one transfer so the result always fits an int (MAX_RW_COUNT).
constexpr size_t MAX_RW_COUNT = 0x7ffff000;

int iocb_flags(const file* f) {
    int flags = 0;
    if (f->f_flags & O_APPEND) flags |= IOCB_APPEND;
    if (f->f_flags & O_NONBLOCK) flags |= IOCB_NOWAIT;
    if (f->f_flags & (O_DSYNC | __O_SYNC)) flags |= IOCB_DSYNC;
    return flags;
}

ssize_t call_read_iter(file* f, iov_iter* iter, loff_t* pos) {
    kiocb kio = {f, *pos, iocb_flags(f)};
    ssize_t ret = f->f_op->read_iter(&kio, iter);
    *pos = kio.ki_pos;
    return ret;
}

ssize_t call_write_iter(file* f, iov_iter* iter, loff_t* pos) {
    kiocb kio = {f, *pos, iocb_flags(f)};
    ssize_t ret = f->f_op->write_iter(&kio, iter);
    *pos = kio.ki_pos;
    return ret;
}

// Holds f_pos_lock for files whose position read/write update (regular
// files and directories), so two threads sharing an fd do not both read at
// the same offset (Linux's fdget_pos).
struct pos_guard {
    file* f;
    explicit pos_guard(file* file) : f(file->f_mode & FMODE_ATOMIC_POS ? file : nullptr) {
        if (f) mutex_lock(&f->f_pos_lock);
    }
    ~pos_guard() {
        if (f) mutex_unlock(&f->f_pos_lock);
    }
};

bool can_pread(const file* f) { return (f->f_mode & FMODE_PREAD) && f->f_op->llseek; }

}  // namespace

ssize_t vfs_read(file* f, char __user* buf, size_t count, loff_t* pos) {
    if (!(f->f_mode & FMODE_READ)) return -EBADF;
    if (!f->f_op->read && !f->f_op->read_iter) return -EINVAL;
    if (!access_ok(buf, count)) return -EFAULT;
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    if (f->f_op->read) return f->f_op->read(f, buf, count, pos);
    iovec iov = {buf, count};
    iov_iter iter;
    iov_iter_init(&iter, READ, &iov, 1, count);
    return call_read_iter(f, &iter, pos);
}

ssize_t vfs_write(file* f, const char __user* buf, size_t count, loff_t* pos) {
    if (!(f->f_mode & FMODE_WRITE)) return -EBADF;
    if (!f->f_op->write && !f->f_op->write_iter) return -EINVAL;
    if (!access_ok(buf, count)) return -EFAULT;
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    if (f->f_op->write) return f->f_op->write(f, buf, count, pos);
    iovec iov = {const_cast<char*>(buf), count};
    iov_iter iter;
    iov_iter_init(&iter, WRITE, &iov, 1, count);
    return call_write_iter(f, &iter, pos);
}

namespace {

// A vector on a file with only plain read/write: one call per segment,
// stopping at the first short one (Linux's do_loop_readv_writev).
template <typename Op> ssize_t loop_iovec(const iov_iter* iter, Op op) {
    if (iter->type != ITER_IOVEC) return -EINVAL;
    ssize_t total = 0;
    for (unsigned long s = 0; s < iter->nr_segs; s++) {
        const iovec& v = iter->iov[s];
        if (!v.iov_len) continue;
        ssize_t n = op(static_cast<char __user*>(v.iov_base), v.iov_len);
        if (n < 0) return total ? total : n;
        total += n;
        if (size_t(n) < v.iov_len) break;
    }
    return total;
}

}  // namespace

// Vectors: one iter over every segment when the file has read_iter/write_iter.
ssize_t vfs_iter_read(file* f, iov_iter* iter, loff_t* pos) {
    if (!(f->f_mode & FMODE_READ)) return -EBADF;
    if (f->f_op->read_iter) return call_read_iter(f, iter, pos);
    if (!f->f_op->read) return -EINVAL;
    return loop_iovec(iter, [&](char __user* b, size_t n) { return f->f_op->read(f, b, n, pos); });
}

ssize_t vfs_iter_write(file* f, iov_iter* iter, loff_t* pos) {
    if (!(f->f_mode & FMODE_WRITE)) return -EBADF;
    if (f->f_op->write_iter) return call_write_iter(f, iter, pos);
    if (!f->f_op->write) return -EINVAL;
    return loop_iovec(iter, [&](char __user* b, size_t n) { return f->f_op->write(f, b, n, pos); });
}

ssize_t kernel_read(file* f, void* buf, size_t count, loff_t* pos) {
    if (!(f->f_mode & FMODE_READ)) return -EBADF;
    if (!f->f_op->read_iter) return -EINVAL;
    kvec v = {buf, count};
    iov_iter iter;
    iov_iter_kvec(&iter, READ, &v, 1, count);
    return call_read_iter(f, &iter, pos);
}

ssize_t kernel_write(file* f, const void* buf, size_t count, loff_t* pos) {
    if (!(f->f_mode & FMODE_WRITE)) return -EBADF;
    if (!f->f_op->write_iter) return -EINVAL;
    kvec v = {const_cast<void*>(buf), count};
    iov_iter iter;
    iov_iter_kvec(&iter, WRITE, &v, 1, count);
    return call_write_iter(f, &iter, pos);
}

// ---- seeking ----

loff_t generic_file_llseek(file* f, loff_t offset, int whence) {
    loff_t size = i_size_read(file_inode(f));
    switch (whence) {
    case SEEK_DATA:  // a file with no holes tracked: data everywhere below the size
        if (offset < 0 || offset >= size) return -ENXIO;
        f->f_pos = offset;
        return offset;
    case SEEK_HOLE:
        if (offset < 0 || offset >= size) return -ENXIO;
        f->f_pos = size;
        return size;
    default:
        return fixed_size_llseek(f, offset, whence, size);
    }
}

loff_t default_llseek(file* f, loff_t offset, int whence) {
    return fixed_size_llseek(f, offset, whence, i_size_read(file_inode(f)));
}

loff_t no_seek_end_llseek(file* f, loff_t offset, int whence) {
    if (whence == SEEK_END) return -EINVAL;
    return fixed_size_llseek(f, offset, whence, 0);
}

loff_t noop_llseek(file* f, loff_t, int) { return f->f_pos; }

// ---- the system calls ----

namespace {

// Copies a user iovec array in and makes an iter over it; EINVAL for too many
// segments or a total that does not fit ssize_t, EFAULT for bad arrays.
template <typename Body>
ssize_t with_user_iovec(const iovec __user* uvec, unsigned long vlen, int dir, Body body) {
    if (vlen > UIO_MAXIOV) return -EINVAL;
    iovec fast[8];
    iovec* vec = fast;
    if (vlen > 8) {
        vec = static_cast<iovec*>(kmalloc_array(vlen, sizeof(iovec), GFP_KERNEL));
        if (!vec) return -ENOMEM;
    }
    ssize_t ret = 0;
    size_t total = 0;
    if (vlen && copy_from_user(vec, uvec, vlen * sizeof(iovec))) ret = -EFAULT;
    for (unsigned long i = 0; !ret && i < vlen; i++) {
        if (ssize_t(vec[i].iov_len) < 0) ret = -EINVAL;
        else if (!access_ok(vec[i].iov_base, vec[i].iov_len)) ret = -EFAULT;
        else if (__builtin_add_overflow(total, vec[i].iov_len, &total) || total > MAX_RW_COUNT) {
            vec[i].iov_len -= total - MAX_RW_COUNT;  // Linux truncates the transfer here
            total = MAX_RW_COUNT;
            vlen = i + 1;
        }
    }
    if (!ret) {
        iov_iter iter;
        iov_iter_init(&iter, dir, vec, vlen, total);
        ret = body(&iter);
    }
    if (vec != fast) kfree(vec);
    return ret;
}

// readv, writev and their positioned forms: `dir` READ or WRITE.
ssize_t do_iovec(unsigned long fd, const iovec __user* vec, unsigned long vlen, loff_t* ppos, int dir) {
    fd_ref f{unsigned(fd)};
    if (!f) return -EBADF;
    if (!(f->f_mode & (dir == READ ? FMODE_READ : FMODE_WRITE))) return -EBADF;
    if (ppos && !can_pread(f.f)) return -ESPIPE;
    pos_guard guard(f.f);
    loff_t pos = ppos ? *ppos : f->f_pos;
    ssize_t ret = with_user_iovec(vec, vlen, dir, [&](iov_iter* it) {
        return dir == READ ? vfs_iter_read(f.f, it, &pos) : vfs_iter_write(f.f, it, &pos);
    });
    if (ret >= 0 && !ppos) f->f_pos = pos;
    return ret;
}

}  // namespace

long sys_read(unsigned fd, char __user* buf, size_t count) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    pos_guard guard(f.f);
    loff_t pos = f->f_pos;
    ssize_t ret = vfs_read(f.f, buf, count, &pos);
    if (ret >= 0) f->f_pos = pos;
    return ret;
}

long sys_write(unsigned fd, const char __user* buf, size_t count) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    pos_guard guard(f.f);
    loff_t pos = f->f_pos;
    ssize_t ret = vfs_write(f.f, buf, count, &pos);
    if (ret >= 0) f->f_pos = pos;
    return ret;
}

long sys_pread64(unsigned fd, char __user* buf, size_t count, loff_t pos) {
    if (pos < 0) return -EINVAL;
    fd_ref f(fd);
    if (!f) return -EBADF;
    if (!(f->f_mode & FMODE_READ)) return -EBADF;
    if (!can_pread(f.f)) return -ESPIPE;
    return vfs_read(f.f, buf, count, &pos);
}

long sys_pwrite64(unsigned fd, const char __user* buf, size_t count, loff_t pos) {
    if (pos < 0) return -EINVAL;
    fd_ref f(fd);
    if (!f) return -EBADF;
    if (!(f->f_mode & FMODE_WRITE)) return -EBADF;
    if (!can_pread(f.f)) return -ESPIPE;
    return vfs_write(f.f, buf, count, &pos);
}

long sys_readv(unsigned long fd, const iovec __user* vec, unsigned long vlen) { return do_iovec(fd, vec, vlen, nullptr, READ); }
long sys_writev(unsigned long fd, const iovec __user* vec, unsigned long vlen) { return do_iovec(fd, vec, vlen, nullptr, WRITE); }

long sys_preadv(unsigned long fd, const iovec __user* vec, unsigned long vlen, unsigned long pos_l, unsigned long) {
    loff_t pos = loff_t(pos_l);
    if (pos < 0) return -EINVAL;
    return do_iovec(fd, vec, vlen, &pos, READ);
}

long sys_pwritev(unsigned long fd, const iovec __user* vec, unsigned long vlen, unsigned long pos_l, unsigned long) {
    loff_t pos = loff_t(pos_l);
    if (pos < 0) return -EINVAL;
    return do_iovec(fd, vec, vlen, &pos, WRITE);
}

long sys_lseek(unsigned fd, long offset, unsigned whence) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    if (whence > SEEK_HOLE) return -EINVAL;
    if (!(f->f_mode & FMODE_LSEEK) || !f->f_op->llseek) return -ESPIPE;
    pos_guard guard(f.f);
    return f->f_op->llseek(f.f, offset, int(whence));
}

namespace {

// sendfile: in_fd's bytes through a kernel buffer to out_fd (Linux splices
// through a pipe; the effect on both files is the same).
long do_sendfile(int out_fd, int in_fd, loff_t* ppos, size_t count) {
    fd_ref in{unsigned(in_fd)};
    if (!in || !(in->f_mode & FMODE_READ)) return -EBADF;
    fd_ref out{unsigned(out_fd)};
    if (!out || !(out->f_mode & FMODE_WRITE)) return -EBADF;
    if (!in->f_op->read_iter) return -EINVAL;
    if (!out->f_op->write_iter) return -EINVAL;
    if (out->f_flags & O_APPEND) return -EINVAL;
    if (ppos && !can_pread(in.f)) return -ESPIPE;
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    constexpr size_t CHUNK = 64 * 1024;
    void* buf = kmalloc(CHUNK, GFP_KERNEL);
    if (!buf) return -ENOMEM;
    loff_t pos = ppos ? *ppos : in->f_pos;
    loff_t out_pos = out->f_pos;
    size_t done = 0;
    long err = 0;
    while (done < count) {
        size_t n = count - done < CHUNK ? count - done : CHUNK;
        loff_t read_at = pos;
        ssize_t got = kernel_read(in.f, buf, n, &read_at);
        if (got <= 0) {
            err = got;
            break;
        }
        ssize_t put = kernel_write(out.f, buf, size_t(got), &out_pos);
        if (put <= 0) {
            err = put;
            break;
        }
        pos += put;
        done += size_t(put);
        if (put < got) break;
    }
    kfree(buf);
    out->f_pos = out_pos;
    if (ppos) *ppos = pos;
    else in->f_pos = pos;
    return done ? long(done) : err;
}

}  // namespace

long sys_sendfile64(int out_fd, int in_fd, loff_t __user* offset, size_t count) {
    if (!offset) return do_sendfile(out_fd, in_fd, nullptr, count);
    loff_t pos;
    if (copy_from_user(&pos, offset, sizeof(pos))) return -EFAULT;
    if (pos < 0) return -EINVAL;
    long ret = do_sendfile(out_fd, in_fd, &pos, count);
    if (copy_to_user(offset, &pos, sizeof(pos))) return -EFAULT;
    return ret;
}
