// stat, lstat, fstat, newfstatat, statx, readlink, readlinkat (Linux's
// fs/stat.c): an inode's attributes as the file system reports them
// (i_op->getattr, or the inode's fields as they are), copied out in the
// layout each call promises.
#include <keel/file.h>
#include <keel/namei.h>
#include <keel/syscalls.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/stat.h>

void generic_fillattr(inode* i, kstat* stat) {
    stat->dev = i->i_sb->s_dev;
    stat->ino = i->i_ino;
    stat->mode = i->i_mode;
    stat->nlink = i->i_nlink;
    stat->uid = i->i_uid;
    stat->gid = i->i_gid;
    stat->rdev = i->i_rdev;
    stat->size = i_size_read(i);
    stat->atime = i->i_atime;
    stat->mtime = i->i_mtime;
    stat->ctime = i->i_ctime;
    stat->blksize = u32(i->i_sb->s_blocksize);
    stat->blocks = i->i_blocks;
}

int vfs_getattr(const path* p, kstat* stat, u32 request_mask, unsigned flags) {
    inode* i = d_inode(p->dentry);
    *stat = {};
    stat->result_mask = STATX_BASIC_STATS;
    // A file system mounted noatime keeps no real atime to report.
    if (i->i_sb->s_flags & SB_NOATIME) stat->result_mask &= ~STATX_ATIME;
    stat->attributes_mask = STATX_ATTR_AUTOMOUNT | STATX_ATTR_DAX;
    if (i->i_op && i->i_op->getattr) return i->i_op->getattr(p, stat, request_mask, flags & AT_STATX_SYNC_TYPE);
    generic_fillattr(i, stat);
    return 0;
}

namespace {

// The file behind an fd, O_PATH ones included (stat needs no access to the file).
int vfs_fstat(unsigned fd, kstat* stat) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    return vfs_getattr(&f->f_path, stat, STATX_BASIC_STATS, 0);
}

unsigned statx_lookup_flags(unsigned flags) {
    unsigned lookup = 0;
    if (!(flags & AT_SYMLINK_NOFOLLOW)) lookup |= LOOKUP_FOLLOW;
    if (!(flags & AT_NO_AUTOMOUNT)) lookup |= LOOKUP_AUTOMOUNT;
    if (flags & AT_EMPTY_PATH) lookup |= LOOKUP_EMPTY;
    return lookup;
}

// The attributes of dfd/filename. The flags are checked before the name is
// read, so a bad flag is EINVAL even with a bad pointer, as in Linux.
int vfs_statx(int dfd, const char __user* filename, unsigned flags, kstat* stat, u32 request_mask,
              u64* mnt_id = nullptr) {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return -EINVAL;
    path p;
    if (int err = user_path_at(dfd, filename, statx_lookup_flags(flags), &p)) return err;
    int err = vfs_getattr(&p, stat, request_mask, flags);
    if (!err) {
        if (mnt_id) {
            *mnt_id = u64(real_mount(p.mnt)->mnt_id);
            stat->result_mask |= STATX_MNT_ID;
        }
        if (p.mnt->mnt_root == p.dentry) stat->attributes |= STATX_ATTR_MOUNT_ROOT;
        stat->attributes_mask |= STATX_ATTR_MOUNT_ROOT;
    }
    path_put(&p);
    return err;
}

// stat(2)'s names: automounts are never triggered (Linux's vfs_fstatat).
int vfs_fstatat(int dfd, const char __user* filename, kstat* stat, unsigned flags) {
    return vfs_statx(dfd, filename, flags | AT_NO_AUTOMOUNT, stat, STATX_BASIC_STATS);
}

long cp_new_stat(const kstat& k, struct stat __user* statbuf) {
    struct stat st{};
    st.st_dev = new_encode_dev(k.dev);
    st.st_ino = k.ino;
    st.st_nlink = k.nlink;
    st.st_mode = k.mode;
    st.st_uid = k.uid;
    st.st_gid = k.gid;
    st.st_rdev = new_encode_dev(k.rdev);
    st.st_size = k.size;
    st.st_blksize = k.blksize;
    st.st_blocks = long(k.blocks);
    st.st_atime = k.atime.tv_sec;
    st.st_atime_nsec = k.atime.tv_nsec;
    st.st_mtime = k.mtime.tv_sec;
    st.st_mtime_nsec = k.mtime.tv_nsec;
    st.st_ctime = k.ctime.tv_sec;
    st.st_ctime_nsec = k.ctime.tv_nsec;
    return copy_to_user(statbuf, &st, sizeof(st)) ? -EFAULT : 0;
}

statx_timestamp to_statx_timestamp(const timespec64& ts) { return {ts.tv_sec, u32(ts.tv_nsec), 0}; }

long cp_statx(const kstat& k, u64 mnt_id, statx __user* buffer) {
    statx sx{};
    sx.stx_mask = k.result_mask;
    sx.stx_blksize = k.blksize;
    sx.stx_attributes = k.attributes;
    sx.stx_nlink = k.nlink;
    sx.stx_uid = k.uid;
    sx.stx_gid = k.gid;
    sx.stx_mode = k.mode;
    sx.stx_ino = k.ino;
    sx.stx_size = u64(k.size);
    sx.stx_blocks = k.blocks;
    sx.stx_attributes_mask = k.attributes_mask;
    sx.stx_atime = to_statx_timestamp(k.atime);
    sx.stx_btime = to_statx_timestamp(k.btime);
    sx.stx_ctime = to_statx_timestamp(k.ctime);
    sx.stx_mtime = to_statx_timestamp(k.mtime);
    sx.stx_rdev_major = MAJOR(k.rdev);
    sx.stx_rdev_minor = MINOR(k.rdev);
    sx.stx_dev_major = MAJOR(k.dev);
    sx.stx_dev_minor = MINOR(k.dev);
    sx.stx_mnt_id = mnt_id;
    return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}

}  // namespace

long sys_stat(const char __user* filename, struct stat __user* statbuf) {
    kstat k;
    if (int err = vfs_fstatat(AT_FDCWD, filename, &k, 0)) return err;
    return cp_new_stat(k, statbuf);
}

long sys_lstat(const char __user* filename, struct stat __user* statbuf) {
    kstat k;
    if (int err = vfs_fstatat(AT_FDCWD, filename, &k, AT_SYMLINK_NOFOLLOW)) return err;
    return cp_new_stat(k, statbuf);
}

long sys_fstat(unsigned fd, struct stat __user* statbuf) {
    kstat k;
    if (int err = vfs_fstat(fd, &k)) return err;
    return cp_new_stat(k, statbuf);
}

long sys_newfstatat(int dfd, const char __user* filename, struct stat __user* statbuf, int flag) {
    kstat k;
    if (int err = vfs_fstatat(dfd, filename, &k, unsigned(flag))) return err;
    return cp_new_stat(k, statbuf);
}

long sys_statx(int dfd, const char __user* filename, unsigned flags, unsigned mask, statx __user* buffer) {
    if (mask & STATX__RESERVED) return -EINVAL;
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) return -EINVAL;
    kstat k;
    u64 mnt_id = 0;
    if (int err = vfs_statx(dfd, filename, flags, &k, mask, &mnt_id)) return err;
    return cp_statx(k, mnt_id, buffer);
}

// readlink on "" with AT_EMPTY_PATH semantics (Linux always allows it here):
// the fd's own symlink, or ENOENT when the fd is not one.
long sys_readlinkat(int dfd, const char __user* pathname, char __user* buf, int bufsiz) {
    if (bufsiz <= 0) return -EINVAL;
    Result<filename*> got = getname_flags(pathname, LOOKUP_EMPTY);
    if (got.is_error()) return -got.error();
    filename* name = got.value();
    bool empty = name->name[0] == '\0';
    path p;
    int err = filename_lookup(dfd, name, LOOKUP_EMPTY, &p);
    putname(name);
    if (err) return err;
    // A file system may answer readlink for what is not a symlink (Linux's AFS mount points).
    const inode_operations* iop = d_inode(p.dentry)->i_op;
    err = empty ? -ENOENT : -EINVAL;
    if (d_is_symlink(p.dentry) || (iop && iop->readlink)) err = vfs_readlink(p.dentry, buf, bufsiz);
    path_put(&p);
    return err;
}

long sys_readlink(const char __user* pathname, char __user* buf, int bufsiz) {
    return sys_readlinkat(AT_FDCWD, pathname, buf, bufsiz);
}
