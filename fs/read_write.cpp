// read, write, readv, writev, lseek (Linux's fs/read_write.c).
#include <keel/fdtable.h>
#include <keel/syscalls.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/uio.h>

namespace {

// Linux caps one transfer so the result always fits an int (MAX_RW_COUNT).
constexpr size_t MAX_RW_COUNT = 0x7ffff000;

// Holds a reference to an fd's file for the length of a system call.
struct fd_ref {
    file* f;
    explicit fd_ref(unsigned fd) : f(fget(fd)) {}
    ~fd_ref() {
        if (f) fput(f);
    }
};

bool readable(const file* f) { return (f->f_flags & O_ACCMODE) != O_WRONLY; }
bool writable(const file* f) { return (f->f_flags & O_ACCMODE) != O_RDONLY; }

ssize_t vfs_read(file* f, char __user* buf, size_t count) {
    if (!readable(f) || !f->f_op->read) return -EBADF;
    if (!access_ok(buf, count)) return -EFAULT;
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    return f->f_op->read(f, buf, count, &f->f_pos);
}

ssize_t vfs_write(file* f, const char __user* buf, size_t count) {
    if (!writable(f) || !f->f_op->write) return -EBADF;
    if (!access_ok(buf, count)) return -EFAULT;
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    return f->f_op->write(f, buf, count, &f->f_pos);
}

// readv/writev: one segment after another, stopping at the first short
// transfer; an error after some bytes moved reports the bytes (as Linux).
template <typename Op> ssize_t do_iter(unsigned long fd, const iovec __user* uvec, unsigned long vlen, Op op) {
    if (vlen > UIO_MAXIOV) return -EINVAL;
    fd_ref ref{unsigned(fd)};
    if (!ref.f) return -EBADF;
    ssize_t total = 0;
    for (unsigned long i = 0; i < vlen; i++) {
        iovec v;
        if (copy_from_user(&v, uvec + i, sizeof(v))) return total ? total : -EFAULT;
        if (ssize_t(v.iov_len) < 0) return -EINVAL;
        if (v.iov_len == 0) continue;
        ssize_t n = op(ref.f, static_cast<char*>(v.iov_base), v.iov_len);
        if (n < 0) return total ? total : n;
        total += n;
        if (size_t(n) < v.iov_len) break;
    }
    return total;
}

}  // namespace

long sys_read(unsigned fd, char __user* buf, size_t count) {
    fd_ref ref(fd);
    if (!ref.f) return -EBADF;
    return vfs_read(ref.f, buf, count);
}

long sys_write(unsigned fd, const char __user* buf, size_t count) {
    fd_ref ref(fd);
    if (!ref.f) return -EBADF;
    return vfs_write(ref.f, buf, count);
}

long sys_readv(unsigned long fd, const iovec __user* vec, unsigned long vlen) {
    return do_iter(fd, vec, vlen, [](file* f, char* b, size_t n) { return vfs_read(f, b, n); });
}

long sys_writev(unsigned long fd, const iovec __user* vec, unsigned long vlen) {
    return do_iter(fd, vec, vlen, [](file* f, char* b, size_t n) { return vfs_write(f, b, n); });
}

long sys_lseek(unsigned fd, long offset, unsigned whence) {
    fd_ref ref(fd);
    if (!ref.f) return -EBADF;
    if (!ref.f->f_op->llseek) return -ESPIPE;
    if (whence > SEEK_END) return -EINVAL;
    return ref.f->f_op->llseek(ref.f, offset, int(whence));
}
