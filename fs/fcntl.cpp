// dup, dup2, dup3 and fcntl (Linux's fs/file.c and fs/fcntl.c).
#include <keel/fdtable.h>
#include <keel/memfd.h>
#include <keel/pipe_fs_i.h>
#include <keel/resource.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <uapi/linux/fcntl.h>

namespace {

long do_dup_from(unsigned oldfd, unsigned start, bool cloexec) {
    file* f = fget(oldfd);
    if (!f) return -EBADF;
    Result<int> fd = alloc_fd_install(start, f, cloexec);
    if (fd.is_error()) {
        fput(f);
        return -fd.error();
    }
    return fd.value();
}

}  // namespace

long sys_dup(unsigned fildes) { return do_dup_from(fildes, 0, false); }

long sys_dup3(unsigned oldfd, unsigned newfd, int flags) {
    if (flags & ~int(O_CLOEXEC)) return -EINVAL;
    if (oldfd == newfd) return -EINVAL;
    if (newfd >= task_rlimit(current, RLIMIT_NOFILE)) return -EBADF;
    file* f = fget(oldfd);
    if (!f) return -EBADF;
    Result<int> fd = replace_fd(newfd, f, flags & O_CLOEXEC);
    if (fd.is_error()) {
        fput(f);
        return -fd.error();
    }
    return fd.value();
}

long sys_dup2(unsigned oldfd, unsigned newfd) {
    if (oldfd == newfd) {  // dup2 checks oldfd and returns it (dup3 refuses)
        file* f = fget(oldfd);
        if (!f) return -EBADF;
        fput(f);
        return newfd;
    }
    return sys_dup3(oldfd, newfd, 0);
}

long sys_fcntl(unsigned fd, unsigned cmd, unsigned long arg) {
    file* f = fget(fd);
    if (!f) return -EBADF;
    long ret;
    // An O_PATH file only names something: no status changes, locks or the like.
    bool path_only = f->f_mode & FMODE_PATH;
    if (path_only && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL) {
        fput(f);
        return -EBADF;
    }
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        ret = arg >= task_rlimit(current, RLIMIT_NOFILE) ? -EINVAL : do_dup_from(fd, unsigned(arg), cmd == F_DUPFD_CLOEXEC);
        break;
    case F_GETFD:
        ret = get_close_on_exec(fd) ? FD_CLOEXEC : 0;
        break;
    case F_SETFD:
        set_close_on_exec(fd, arg & FD_CLOEXEC);
        ret = 0;
        break;
    case F_GETFL:
        ret = f->f_flags;
        break;
    case F_SETFL: {
        // Only these status flags may change after open (Linux's SETFL_MASK).
        constexpr unsigned settable = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT | FASYNC;
        if ((arg & O_NOATIME) && !(f->f_flags & O_NOATIME) && !inode_owner_or_capable(file_inode(f))) {
            ret = -EPERM;
            break;
        }
        f->f_flags = (f->f_flags & ~settable) | (unsigned(arg) & settable);
        ret = 0;
        break;
    }
    case F_GETOWN:  // no SIGIO delivery yet: nobody owns the file
        ret = 0;
        break;
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
        ret = pipe_fcntl(f, cmd, arg);
        break;
    case F_ADD_SEALS:
    case F_GET_SEALS:
        ret = memfd_fcntl(f, cmd, arg);
        break;
    default:
        ret = -EINVAL;
    }
    fput(f);
    return ret;
}
