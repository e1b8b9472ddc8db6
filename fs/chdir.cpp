// chdir, fchdir, chroot and umask (Linux keeps them in fs/open.c and
// kernel/sys.c): the calls that change current's fs_struct.
#include <keel/file.h>
#include <keel/fs_struct.h>
#include <keel/namei.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

// A directory the caller may search, by name.
int lookup_dir(const char __user* filename, path* p) {
    if (int err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, p)) return err;
    if (int err = inode_permission(d_inode(p->dentry), MAY_EXEC | MAY_CHDIR)) {
        path_put(p);
        return err;
    }
    return 0;
}

}  // namespace

long sys_chdir(const char __user* filename) {
    path p;
    if (int err = lookup_dir(filename, &p)) return err;
    set_fs_pwd(current->fs, &p);
    path_put(&p);
    return 0;
}

// An O_PATH descriptor of a directory will do: only its name is used.
long sys_fchdir(unsigned fd) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    if (!d_is_dir(f->f_path.dentry)) return -ENOTDIR;
    if (int err = inode_permission(file_inode(f.f), MAY_EXEC | MAY_CHDIR)) return err;
    set_fs_pwd(current->fs, &f->f_path);
    return 0;
}

// The search permission is checked before the privilege, as in Linux.
long sys_chroot(const char __user* filename) {
    path p;
    if (int err = lookup_dir(filename, &p)) return err;
    int err = -EPERM;
    if (capable_of(current_cred())) {
        set_fs_root(current->fs, &p);
        err = 0;
    }
    path_put(&p);
    return err;
}

// Shared by the threads of a CLONE_FS group, so swapped atomically.
long sys_umask(int mask) {
    return __atomic_exchange_n(&current->fs->umask, unsigned(mask) & S_IRWXUGO, __ATOMIC_RELAXED);
}
