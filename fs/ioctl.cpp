// ioctl (Linux's fs/ioctl.c): handed to the file; files without an ioctl
// operation are not terminals (ENOTTY), which is what isatty() asks.
#include <keel/fdtable.h>
#include <keel/syscalls.h>

long sys_ioctl(unsigned fd, unsigned cmd, unsigned long arg) {
    file* f = fget(fd);
    if (!f) return -EBADF;
    long ret = f->f_op->unlocked_ioctl ? f->f_op->unlocked_ioctl(f, cmd, arg) : -ENOTTY;
    fput(f);
    return ret;
}
