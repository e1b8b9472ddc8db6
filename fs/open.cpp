// open, openat and close (Linux's fs/open.c) over the only file system Keel has
// before the VFS: the initramfs image, read-only, plus the console.
#include <init/initramfs.h>
#include <keel/fdtable.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>


int user_path_lookup(int dfd, const char __user* filename, bool follow, initramfs_entry* out) {
    char path[512];
    long len = strncpy_from_user(path, filename, sizeof(path));
    if (len < 0) return int(len);
    if (len == long(sizeof(path))) return -ENAMETOOLONG;  // longer than any name Keel can look up
    if (len == 0) return -ENOENT;
    if (path[0] != '/' && dfd != AT_FDCWD) return -ENOTDIR;  // directory fds need the VFS
    return initramfs_lookup(initramfs_rootfs(), path, follow, out);
}

long sys_openat(int dfd, const char __user* filename, int flags, unsigned mode) {
    initramfs_entry e;
    int err = user_path_lookup(dfd, filename, !(flags & O_NOFOLLOW), &e);
    if (err == -ENOENT && (flags & O_CREAT)) return -EROFS;
    if (err) return err;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) return S_ISDIR(e.mode) ? -EISDIR : -EROFS;
    if ((flags & O_DIRECTORY) && !S_ISDIR(e.mode)) return -ENOTDIR;
    if (S_ISLNK(e.mode)) return -ELOOP;  // O_NOFOLLOW on a symlink
    Result<file*> f = initramfs_open(e, unsigned(flags) & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC));
    if (f.is_error()) return -f.error();
    Result<int> fd = alloc_fd_install(0, f.value(), flags & O_CLOEXEC);
    if (fd.is_error()) {
        fput(f.value());
        return -fd.error();
    }
    return fd.value();
}

long sys_open(const char __user* filename, int flags, unsigned mode) {
    return sys_openat(AT_FDCWD, filename, flags, mode);
}

long sys_close(unsigned fd) {
    Result<void> r = close_fd(fd);
    return r.is_error() ? -r.error() : 0;
}
