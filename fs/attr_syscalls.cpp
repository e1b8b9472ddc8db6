// chmod, chown, truncate and fallocate with their fd and *at forms (Linux
// keeps them in fs/open.c): each finds the inode, checks the mount is
// writable, and hands an iattr to notify_change under the inode's lock.
#include <keel/file.h>
#include <keel/namei.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/falloc.h>
#include <uapi/linux/fcntl.h>

namespace {

int change_attr(const path* p, iattr* attr) {
    if (__mnt_is_readonly(p->mnt)) return -EROFS;
    inode* i = d_inode(p->dentry);
    inode_lock(i);
    int err = notify_change(p->dentry, attr);
    inode_unlock(i);
    return err;
}

int chmod_common(const path* p, umode_t mode) {
    iattr attr{};
    attr.ia_mode = umode_t((mode & S_IALLUGO) | (d_inode(p->dentry)->i_mode & ~S_IALLUGO));
    attr.ia_valid = ATTR_MODE | ATTR_CTIME;
    return change_attr(p, &attr);
}

// -1 leaves an id as it is. A non-directory loses its set-id bits even when
// root changes it (notify_change turns the kill bits into a mode change).
int chown_common(const path* p, unsigned user, unsigned group) {
    iattr attr{};
    attr.ia_valid = ATTR_CTIME;
    if (user != unsigned(-1)) {
        attr.ia_valid |= ATTR_UID;
        attr.ia_uid = user;
    }
    if (group != unsigned(-1)) {
        attr.ia_valid |= ATTR_GID;
        attr.ia_gid = group;
    }
    if (!S_ISDIR(d_inode(p->dentry)->i_mode)) attr.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
    return change_attr(p, &attr);
}

// Truncation is a write: it clears set-user-id (and set-group-id with group
// execute) as write(2) does, unless root does it.
unsigned should_remove_suid(const inode* i) {
    unsigned kill = 0;
    if (i->i_mode & S_ISUID) kill = ATTR_KILL_SUID;
    if ((i->i_mode & S_ISGID) && (i->i_mode & 0010)) kill |= ATTR_KILL_SGID;
    return kill && !capable_of(current_cred()) && S_ISREG(i->i_mode) ? kill : 0;
}

int do_truncate(dentry* d, loff_t length, unsigned time_attrs) {
    if (length < 0) return -EINVAL;
    iattr attr{};
    attr.ia_size = length;
    attr.ia_valid = ATTR_SIZE | time_attrs;
    if (unsigned kill = should_remove_suid(d_inode(d))) attr.ia_valid |= kill | ATTR_FORCE;
    inode_lock(d_inode(d));
    int err = notify_change(d, &attr);
    inode_unlock(d_inode(d));
    return err;
}

// truncate(2) by name: a directory is EISDIR, any other non-regular file EINVAL;
// then the mount, write permission, and a file being executed (ETXTBSY).
int vfs_truncate(const path* p, loff_t length) {
    inode* i = d_inode(p->dentry);
    if (S_ISDIR(i->i_mode)) return -EISDIR;
    if (!S_ISREG(i->i_mode)) return -EINVAL;
    if (__mnt_is_readonly(p->mnt)) return -EROFS;
    if (int err = inode_permission(i, MAY_WRITE)) return err;
    // get_write_access: no writing a running executable.
    int w = i->i_writecount.load(memory_order::relaxed);
    do {
        if (w < 0) return -ETXTBSY;
    } while (!i->i_writecount.compare_exchange(w, w + 1, memory_order::acq_rel, memory_order::relaxed));
    int err = do_truncate(p->dentry, length, 0);
    i->i_writecount.fetch_sub(1, memory_order::release);
    return err;
}

int fchmodat_common(int dfd, const char __user* filename, umode_t mode) {
    path p;
    if (int err = user_path_at(dfd, filename, LOOKUP_FOLLOW, &p)) return err;
    int err = chmod_common(&p, mode);
    path_put(&p);
    return err;
}

constexpr unsigned FALLOC_FL_SUPPORTED_MASK = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE |
                                              FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE;

// The checks of Linux's vfs_fallocate, in its order; the file system does the rest.
long vfs_fallocate(file* f, int mode, loff_t offset, loff_t len) {
    inode* i = file_inode(f);
    unsigned m = unsigned(mode);
    if (offset < 0 || len <= 0) return -EINVAL;
    if (m & ~FALLOC_FL_SUPPORTED_MASK) return -EOPNOTSUPP;
    if ((m & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
        return -EOPNOTSUPP;
    if ((m & FALLOC_FL_PUNCH_HOLE) && !(m & FALLOC_FL_KEEP_SIZE)) return -EOPNOTSUPP;
    if ((m & FALLOC_FL_COLLAPSE_RANGE) && (m & ~FALLOC_FL_COLLAPSE_RANGE)) return -EINVAL;
    if ((m & FALLOC_FL_INSERT_RANGE) && (m & ~FALLOC_FL_INSERT_RANGE)) return -EINVAL;
    if ((m & FALLOC_FL_UNSHARE_RANGE) && (m & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE))) return -EINVAL;
    if (!(f->f_mode & FMODE_WRITE)) return -EBADF;
    if (S_ISFIFO(i->i_mode)) return -ESPIPE;
    if (S_ISDIR(i->i_mode)) return -EISDIR;
    if (!S_ISREG(i->i_mode) && !S_ISBLK(i->i_mode)) return -ENODEV;
    if (offset + len > i->i_sb->s_maxbytes || offset + len < 0) return -EFBIG;
    if (!f->f_op->fallocate) return -EOPNOTSUPP;
    return f->f_op->fallocate(f, mode, offset, len);
}

}  // namespace

long sys_fchmodat(int dfd, const char __user* filename, unsigned mode) {
    return fchmodat_common(dfd, filename, umode_t(mode));
}

long sys_chmod(const char __user* filename, unsigned mode) {
    return fchmodat_common(AT_FDCWD, filename, umode_t(mode));
}

long sys_fchmod(unsigned fd, unsigned mode) {
    fd_ref_nopath f(fd);
    if (!f) return -EBADF;
    return chmod_common(&f->f_path, umode_t(mode));
}

long sys_fchownat(int dfd, const char __user* filename, unsigned user, unsigned group, int flag) {
    if (flag & ~int(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    unsigned lookup = (flag & AT_SYMLINK_NOFOLLOW) ? 0u : unsigned(LOOKUP_FOLLOW);
    if (flag & AT_EMPTY_PATH) lookup |= LOOKUP_EMPTY;
    path p;
    if (int err = user_path_at(dfd, filename, lookup, &p)) return err;
    int err = chown_common(&p, user, group);
    path_put(&p);
    return err;
}

long sys_chown(const char __user* filename, unsigned user, unsigned group) {
    return sys_fchownat(AT_FDCWD, filename, user, group, 0);
}

long sys_lchown(const char __user* filename, unsigned user, unsigned group) {
    return sys_fchownat(AT_FDCWD, filename, user, group, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(unsigned fd, unsigned user, unsigned group) {
    fd_ref_nopath f(fd);
    if (!f) return -EBADF;
    return chown_common(&f->f_path, user, group);
}

long sys_truncate(const char __user* pathname, long length) {
    if (length < 0) return -EINVAL;
    path p;
    if (int err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &p)) return err;
    int err = vfs_truncate(&p, length);
    path_put(&p);
    return err;
}

// On x86_64 every open is O_LARGEFILE, so there is no 2 GiB limit to check.
long sys_ftruncate(unsigned fd, unsigned long length) {
    if (long(length) < 0) return -EINVAL;
    fd_ref_nopath f(fd);
    if (!f) return -EBADF;
    if (!S_ISREG(file_inode(f.f)->i_mode) || !(f->f_mode & FMODE_WRITE)) return -EINVAL;
    return do_truncate(f->f_path.dentry, loff_t(length), ATTR_MTIME | ATTR_CTIME);
}

long sys_fallocate(int fd, int mode, long offset, long len) {
    fd_ref_nopath f{unsigned(fd)};
    if (!f) return -EBADF;
    return vfs_fallocate(f.f, mode, offset, len);
}
