// ioctl (Linux's fs/ioctl.c): the few requests the VFS answers for every
// file (close-on-exec, non-blocking mode, bytes left in a regular file), then
// the file's own operation; files without one are not terminals (ENOTTY),
// which is what isatty() asks.
#include <asm/uaccess.h>
#include <keel/fdtable.h>
#include <keel/syscalls.h>
#include <uapi/asm/ioctls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

long sys_ioctl(unsigned fd, unsigned cmd, unsigned long arg) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    if (f->f_mode & FMODE_PATH) return -EBADF;
    int __user* argp = reinterpret_cast<int __user*>(arg);
    switch (cmd) {
    case FIOCLEX:
        set_close_on_exec(fd, true);
        return 0;
    case FIONCLEX:
        set_close_on_exec(fd, false);
        return 0;
    case FIONBIO:
    case FIOASYNC: {
        int on;
        if (get_user(on, argp)) return -EFAULT;
        unsigned flag = cmd == FIONBIO ? O_NONBLOCK : FASYNC;
        if (on) f->f_flags |= flag;
        else f->f_flags &= ~flag;
        return 0;
    }
    case FIONREAD:
        if (S_ISREG(file_inode(f.f)->i_mode)) {
            loff_t left = i_size_read(file_inode(f.f)) - f->f_pos;
            int n = left < 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : int(left);
            return put_user(n, argp) ? -EFAULT : 0;
        }
        break;
    default:
        break;
    }
    return f->f_op->unlocked_ioctl ? f->f_op->unlocked_ioctl(f.f, cmd, arg) : -ENOTTY;
}
