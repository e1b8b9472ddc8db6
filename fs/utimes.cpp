// utimensat, futimesat, utimes, utime (Linux's fs/utimes.c): set a file's
// access and modification times. Explicit times need ownership; "now" (no
// times, or UTIME_NOW for both) needs only write permission.
#include <keel/file.h>
#include <keel/namei.h>
#include <keel/syscalls.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/stat.h>
#include <uapi/linux/time_types.h>

namespace {

struct utimbuf {
    long actime;
    long modtime;
};

bool nsec_valid(long nsec) { return nsec == UTIME_OMIT || nsec == UTIME_NOW || (nsec >= 0 && nsec <= 999999999); }

int vfs_utimes(const path* p, timespec64* times) {
    if (times) {
        if (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)) return -EINVAL;
        if (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW) times = nullptr;
    }
    if (__mnt_is_readonly(p->mnt)) return -EROFS;
    iattr attr{};
    attr.ia_valid = ATTR_CTIME | ATTR_MTIME | ATTR_ATIME;
    if (times) {
        if (times[0].tv_nsec == UTIME_OMIT) attr.ia_valid &= ~ATTR_ATIME;
        else if (times[0].tv_nsec != UTIME_NOW) {
            attr.ia_atime = times[0];
            attr.ia_valid |= ATTR_ATIME_SET;
        }
        if (times[1].tv_nsec == UTIME_OMIT) attr.ia_valid &= ~ATTR_MTIME;
        else if (times[1].tv_nsec != UTIME_NOW) {
            attr.ia_mtime = times[1];
            attr.ia_valid |= ATTR_MTIME_SET;
        }
        attr.ia_valid |= ATTR_TIMES_SET;  // explicit, even if only UTIME_NOW/OMIT: owner only
    } else {
        attr.ia_valid |= ATTR_TOUCH;
    }
    inode* i = d_inode(p->dentry);
    inode_lock(i);
    int err = notify_change(p->dentry, &attr);
    inode_unlock(i);
    return err;
}

// A NULL name with a real fd means the fd itself (futimens); with AT_FDCWD it
// is a bad pointer like any other.
long do_utimes(int dfd, const char __user* filename, timespec64* times, int flags) {
    if (!filename && dfd != AT_FDCWD) {
        if (flags) return -EINVAL;
        fd_ref_nopath f{unsigned(dfd)};
        if (!f) return -EBADF;
        return vfs_utimes(&f->f_path, times);
    }
    if (flags & ~int(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    unsigned lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0u : unsigned(LOOKUP_FOLLOW);
    if (flags & AT_EMPTY_PATH) lookup |= LOOKUP_EMPTY;
    path p;
    if (int err = user_path_at(dfd, filename, lookup, &p)) return err;
    int err = vfs_utimes(&p, times);
    path_put(&p);
    return err;
}

// Microseconds are checked before they are scaled, so UTIME_NOW and UTIME_OMIT
// (utimensat's alone) are out of range here too.
long do_futimesat(int dfd, const char __user* filename, const __kernel_old_timeval __user* utimes) {
    if (!utimes) return do_utimes(dfd, filename, nullptr, 0);
    __kernel_old_timeval tv[2];
    if (copy_from_user(tv, utimes, sizeof(tv))) return -EFAULT;
    timespec64 ts[2];
    for (int k = 0; k < 2; k++) {
        if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000) return -EINVAL;
        ts[k] = {tv[k].tv_sec, tv[k].tv_usec * 1000};
    }
    return do_utimes(dfd, filename, ts, 0);
}

}  // namespace

long sys_utimensat(int dfd, const char __user* filename, const __kernel_timespec __user* utimes, int flags) {
    if (!utimes) return do_utimes(dfd, filename, nullptr, flags);
    __kernel_timespec kts[2];
    if (copy_from_user(kts, utimes, sizeof(kts))) return -EFAULT;
    // Nothing to change: not even the name is looked at.
    if (kts[0].tv_nsec == UTIME_OMIT && kts[1].tv_nsec == UTIME_OMIT) return 0;
    timespec64 ts[2] = {{kts[0].tv_sec, kts[0].tv_nsec}, {kts[1].tv_sec, kts[1].tv_nsec}};
    return do_utimes(dfd, filename, ts, flags);
}

long sys_futimesat(int dfd, const char __user* filename, const __kernel_old_timeval __user* utimes) {
    return do_futimesat(dfd, filename, utimes);
}

long sys_utimes(const char __user* filename, const __kernel_old_timeval __user* utimes) {
    return do_futimesat(AT_FDCWD, filename, utimes);
}

long sys_utime(const char __user* filename, const void __user* times) {
    if (!times) return do_utimes(AT_FDCWD, filename, nullptr, 0);
    utimbuf buf;
    if (copy_from_user(&buf, times, sizeof(buf))) return -EFAULT;
    timespec64 ts[2] = {{buf.actime, 0}, {buf.modtime, 0}};
    return do_utimes(AT_FDCWD, filename, ts, 0);
}
