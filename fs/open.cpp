// open, openat, creat and close (Linux's fs/open.c); the walk itself is
// do_filp_open in fs/namei.cpp, and opening a found file is dentry_open in
// fs/file_table.cpp.
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/namei.h>
#include <keel/syscalls.h>
#include <uapi/linux/fcntl.h>

Result<file*> filp_open(const char* pathname, int flags, umode_t mode) {
    struct filename* name = getname_kernel(pathname);
    if (!name) return Error{ENOMEM};
    open_flags op;
    if (int err = build_open_flags(flags, mode, &op)) {
        putname(name);
        return Error{-err};
    }
    Result<file*> f = do_filp_open(AT_FDCWD, name, &op);
    putname(name);
    return f;
}

int filp_close(file* f) {
    int ret = f->f_op && f->f_op->flush ? f->f_op->flush(f) : 0;
    fput(f);
    return ret;
}

namespace {

long do_sys_open(int dfd, const char __user* pathname, int flags, umode_t mode) {
    flags |= O_LARGEFILE;  // 64-bit: every file may be large (Linux's force_o_largefile)
    open_flags op;
    if (int err = build_open_flags(flags, mode, &op)) return err;
    Result<filename*> name = getname(pathname);
    if (name.is_error()) return -name.error();
    Result<file*> f = do_filp_open(dfd, name.value(), &op);
    putname(name.value());
    if (f.is_error()) return -f.error();
    Result<int> fd = alloc_fd_install(0, f.value(), flags & O_CLOEXEC);
    if (fd.is_error()) {
        fput(f.value());
        return -fd.error();
    }
    return fd.value();
}

}  // namespace

long sys_openat(int dfd, const char __user* filename, int flags, umode_t mode) {
    return do_sys_open(dfd, filename, flags, mode);
}

long sys_open(const char __user* filename, int flags, umode_t mode) {
    return do_sys_open(AT_FDCWD, filename, flags, mode);
}

long sys_creat(const char __user* pathname, umode_t mode) {
    return do_sys_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_close(unsigned fd) {
    file* f = pick_file(fd);
    if (!f) return -EBADF;
    long ret = filp_close(f);
    // A close interrupted by a signal still closed the fd (Linux never restarts close).
    return ret == -ERESTARTSYS ? -EINTR : ret;
}
