// fstat, stat, lstat, newfstatat (Linux's fs/stat.c), filled from the file's
// getattr or the initramfs entry until inodes exist.
#include <init/initramfs.h>
#include <keel/fdtable.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

long copy_stat(const struct stat& st, struct stat __user* statbuf) {
    return copy_to_user(statbuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long stat_fd(unsigned fd, struct stat __user* statbuf) {
    file* f = fget(fd);
    if (!f) return -EBADF;
    struct stat st{};
    long ret = f->f_op->getattr ? f->f_op->getattr(f, &st) : 0;
    fput(f);
    return ret ? ret : copy_stat(st, statbuf);
}

}  // namespace

long sys_fstat(unsigned fd, struct stat __user* statbuf) { return stat_fd(fd, statbuf); }

long sys_newfstatat(int dfd, const char __user* filename, struct stat __user* statbuf, int flag) {
    if (flag & ~int(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    if (flag & AT_EMPTY_PATH) {
        char c;
        if (get_user(c, filename)) return -EFAULT;
        if (c == '\0') return stat_fd(unsigned(dfd), statbuf);
    }
    initramfs_entry e;
    int err = user_path_lookup(dfd, filename, !(flag & AT_SYMLINK_NOFOLLOW), &e);
    if (err) return err;
    struct stat st{};
    initramfs_fill_stat(e, &st);
    return copy_stat(st, statbuf);
}

long sys_stat(const char __user* filename, struct stat __user* statbuf) {
    return sys_newfstatat(AT_FDCWD, filename, statbuf, 0);
}

long sys_lstat(const char __user* filename, struct stat __user* statbuf) {
    return sys_newfstatat(AT_FDCWD, filename, statbuf, AT_SYMLINK_NOFOLLOW);
}
