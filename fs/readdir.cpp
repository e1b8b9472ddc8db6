// Reading directories (Linux's fs/readdir.c): iterate_dir runs the file
// system's iterate_shared from f_pos with the directory locked, and
// getdents64/getdents pack what it emits into the user's buffer. Each record's
// d_off is the position after it, so lseek(d_off) resumes there.
#include <keel/file.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <lib/string.h>

namespace {

struct linux_dirent64 {
    u64 d_ino;
    s64 d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};
static_assert(__builtin_offsetof(linux_dirent64, d_name) == 19);

// The old layout: no d_type field; the type is the record's last byte, after the name's NUL.
struct linux_dirent {
    unsigned long d_ino;
    unsigned long d_off;
    unsigned short d_reclen;
    char d_name[];
};
static_assert(__builtin_offsetof(linux_dirent, d_name) == 18);

constexpr size_t align8(size_t n) { return (n + 7) & ~size_t(7); }

// What getdents fills: the records written so far and room left.
struct getdents_callback {
    dir_context ctx;
    char __user* current_dir;
    int prev_reclen;
    unsigned count;  // bytes left
    int error;
};

// A name a file system hands out must be a real component: non-empty, no '/'.
int verify_dirent_name(const char* name, int len) {
    if (len <= 0 || memchr(name, '/', size_t(len))) return -EIO;
    return 0;
}

// Records are built in a kernel buffer and copied in one go; the previous
// record's d_off is written now that the next position is known.
template <typename Dirent, bool kType>
bool fill_record(dir_context* ctx, const char* name, int namelen, loff_t offset, u64 ino, unsigned type) {
    auto* buf = reinterpret_cast<getdents_callback*>(ctx);
    // The old record has room for the NUL and the type byte after the name.
    size_t reclen = align8(offsetof(Dirent, d_name) + size_t(namelen) + (kType ? 1 : 2));
    buf->error = verify_dirent_name(name, namelen);
    if (buf->error) return false;
    buf->error = -EINVAL;  // reported only if nothing fits
    if (reclen > buf->count) return false;
    if (buf->prev_reclen && signal_pending(current)) return false;  // return what we have

    alignas(8) char rec[align8(sizeof(Dirent) + NAME_MAX + 2)] = {};
    auto* d = reinterpret_cast<Dirent*>(rec);
    d->d_ino = ino;
    d->d_reclen = static_cast<unsigned short>(reclen);
    memcpy(d->d_name, name, size_t(namelen));
    if constexpr (kType) d->d_type = static_cast<unsigned char>(type);
    else rec[reclen - 1] = static_cast<char>(type);

    char __user* prev = buf->current_dir - buf->prev_reclen;
    using off_type = decltype(Dirent::d_off);
    if (buf->prev_reclen && put_user(off_type(offset), reinterpret_cast<off_type __user*>(prev + offsetof(Dirent, d_off))))
        return buf->error = -EFAULT, false;
    if (copy_to_user(buf->current_dir, rec, reclen)) return buf->error = -EFAULT, false;
    buf->prev_reclen = int(reclen);
    buf->current_dir += reclen;
    buf->count -= unsigned(reclen);
    return true;
}

// Linux's iterate_dir: the entries from f_pos on, with the directory locked
// against changes, and f_pos moved past what was emitted.
int iterate_dir(file* f, dir_context* ctx) {
    inode* i = file_inode(f);
    if (!f->f_op->iterate_shared) return -ENOTDIR;
    inode_lock(i);
    int res = -ENOENT;  // a removed directory lists nothing, not even "."
    if (!(i->i_flags & S_DEAD)) {
        ctx->pos = f->f_pos;
        res = f->f_op->iterate_shared(f, ctx);
        f->f_pos = ctx->pos;
        file_accessed(f);
    }
    inode_unlock(i);
    return res;
}

template <typename Dirent, bool kType> long do_getdents(unsigned fd, char __user* dirent, unsigned count) {
    getdents_callback buf{{fill_record<Dirent, kType>, 0}, dirent, 0, count, 0};
    fd_ref_nopath f(fd);
    if (!f) return -EBADF;
    mutex_lock(&f->f_pos_lock);
    long error = iterate_dir(f.f, &buf.ctx);
    if (error >= 0) error = buf.error;
    if (buf.prev_reclen) {
        using off_type = decltype(Dirent::d_off);
        char __user* last = buf.current_dir - buf.prev_reclen;
        if (put_user(off_type(buf.ctx.pos), reinterpret_cast<off_type __user*>(last + offsetof(Dirent, d_off))))
            error = -EFAULT;
        else error = long(count - buf.count);
    }
    mutex_unlock(&f->f_pos_lock);
    return error;
}

}  // namespace

long sys_getdents64(unsigned fd, void __user* dirent, unsigned count) {
    return do_getdents<linux_dirent64, true>(fd, static_cast<char __user*>(dirent), count);
}

long sys_getdents(unsigned fd, void __user* dirent, unsigned count) {
    return do_getdents<linux_dirent, false>(fd, static_cast<char __user*>(dirent), count);
}
