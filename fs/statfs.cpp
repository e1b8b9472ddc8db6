// statfs and fstatfs (Linux's fs/statfs.c): the file system's own numbers
// (super_operations::statfs) plus the mount's flags in f_flags.
#include <keel/file.h>
#include <keel/namei.h>
#include <keel/statfs.h>
#include <keel/syscalls.h>
#include <uapi/asm/statfs.h>
#include <uapi/linux/fcntl.h>

namespace {

// ST_* from the mount's flags and the super block's.
long calculate_f_flags(const vfsmount* mnt) {
    long flags = ST_VALID;
    if (mnt->mnt_flags & MNT_READONLY) flags |= ST_RDONLY;
    if (mnt->mnt_flags & MNT_NOSUID) flags |= ST_NOSUID;
    if (mnt->mnt_flags & MNT_NODEV) flags |= ST_NODEV;
    if (mnt->mnt_flags & MNT_NOEXEC) flags |= ST_NOEXEC;
    if (mnt->mnt_flags & MNT_NOATIME) flags |= ST_NOATIME;
    if (mnt->mnt_flags & MNT_NODIRATIME) flags |= ST_NODIRATIME;
    if (mnt->mnt_flags & MNT_RELATIME) flags |= ST_RELATIME;
    if (mnt->mnt_sb->s_flags & SB_RDONLY) flags |= ST_RDONLY;
    if (mnt->mnt_sb->s_flags & SB_SYNCHRONOUS) flags |= ST_SYNCHRONOUS;
    return flags;
}

long copy_statfs(const kstatfs& k, statfs __user* buf) {
    statfs st{};
    st.f_type = k.f_type;
    st.f_bsize = k.f_bsize;
    st.f_blocks = long(k.f_blocks);
    st.f_bfree = long(k.f_bfree);
    st.f_bavail = long(k.f_bavail);
    st.f_files = long(k.f_files);
    st.f_ffree = long(k.f_ffree);
    st.f_fsid[0] = k.f_fsid[0];
    st.f_fsid[1] = k.f_fsid[1];
    st.f_namelen = k.f_namelen;
    st.f_frsize = k.f_frsize;
    st.f_flags = k.f_flags;
    return copy_to_user(buf, &st, sizeof(st)) ? -EFAULT : 0;
}

}  // namespace

int vfs_statfs(const path* p, kstatfs* buf) {
    super_block* sb = p->dentry->d_sb;
    if (!sb->s_op || !sb->s_op->statfs) return -ENOSYS;
    *buf = {};
    if (int err = sb->s_op->statfs(p->dentry, buf)) return err;
    if (!buf->f_frsize) buf->f_frsize = buf->f_bsize;
    buf->f_flags = calculate_f_flags(p->mnt);
    return 0;
}

long sys_statfs(const char __user* pathname, statfs __user* buf) {
    path p;
    if (int err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW | LOOKUP_AUTOMOUNT, &p)) return err;
    kstatfs k;
    int err = vfs_statfs(&p, &k);
    path_put(&p);
    return err ? err : copy_statfs(k, buf);
}

// O_PATH descriptors count: only the name is needed.
long sys_fstatfs(unsigned fd, statfs __user* buf) {
    fd_ref f(fd);
    if (!f) return -EBADF;
    kstatfs k;
    if (int err = vfs_statfs(&f->f_path, &k)) return err;
    return copy_statfs(k, buf);
}
