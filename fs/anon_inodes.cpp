// anon_inodefs (Linux's fs/anon_inodes.c): one inode shared by every
// anonymous file, on a file system mounted only inside the kernel. A file
// made here differs from its siblings only by f_op, private_data and the name
// of its dentry, which /proc/PID/fd shows as "anon_inode:[eventfd]".
#include <keel/anon_inodes.h>
#include <keel/dcache.h>
#include <keel/fdtable.h>
#include <keel/init.h>
#include <keel/mount.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

vfsmount* anon_inode_mnt;
inode* anon_inode_inode;

char* anon_inodefs_dname(dentry* d, char* buf, int buflen) {
    return dynamic_dname(buf, buflen, "anon_inode:%s", d->d_name.name);
}

const dentry_operations anon_inodefs_dentry_operations = {.d_dname = anon_inodefs_dname};

int anon_inodefs_fill_super(super_block* sb, void*, int) {
    return pseudo_fill_super(sb, ANON_INODE_FS_MAGIC, &anon_inodefs_dentry_operations);
}

Result<dentry*> anon_inodefs_mount(file_system_type* fs_type, int flags, const char*, void* data) {
    return mount_nodev(fs_type, flags, data, anon_inodefs_fill_super);
}

file_system_type anon_inode_fs_type = {
    .name = "anon_inodefs",
    .fs_flags = 0,
    .mount = anon_inodefs_mount,
    .kill_sb = kill_anon_super,
    .next = nullptr,
};

// Linux's alloc_anon_inode: mode 0600 with no file type, owned by whoever
// made it (root, at boot), S_PRIVATE (no permission checks on it).
int anon_inode_init() {
    Result<vfsmount*> mnt = kern_mount(&anon_inode_fs_type);
    if (mnt.is_error()) panic("anon_inode_init() kernel mount failed (%d)", mnt.error());
    anon_inode_mnt = mnt.value();
    anon_inode_inode = new_inode(anon_inode_mnt->mnt_sb);
    if (!anon_inode_inode) panic("anon_inode_init() inode allocation failed");
    anon_inode_inode->i_mode = 0600;
    anon_inode_inode->i_uid = current_cred()->fsuid;
    anon_inode_inode->i_gid = current_cred()->fsgid;
    anon_inode_inode->i_flags |= S_PRIVATE;
    anon_inode_inode->i_atime = anon_inode_inode->i_mtime = anon_inode_inode->i_ctime =
        current_time(anon_inode_inode);
    return 0;
}
core_initcall(anon_inode_init);

}  // namespace

int pseudo_fill_super(super_block* sb, unsigned long magic, const dentry_operations* dops) {
    static const super_operations pseudo_super_operations = {.statfs = simple_statfs};
    sb->s_blocksize = PAGE_SIZE;
    sb->s_blocksize_bits = PAGE_SHIFT;
    sb->s_magic = magic;
    sb->s_op = &pseudo_super_operations;
    sb->s_d_op = dops;
    sb->s_flags |= SB_NOEXEC | SB_NODEV | SB_NOSUID;
    inode* root = new_inode(sb);
    if (!root) return -ENOMEM;
    // The root is never looked up; Linux gives it inode number 1.
    root->i_ino = 1;
    root->i_mode = S_IFDIR | 0600;
    root->i_atime = root->i_mtime = root->i_ctime = current_time(root);
    sb->s_root = d_make_root(root);
    return sb->s_root ? 0 : -ENOMEM;
}

Result<file*> anon_inode_getfile(const char* name, const file_operations* fops, void* priv, int flags) {
    ihold(anon_inode_inode);
    Result<file*> f = alloc_file_pseudo(anon_inode_inode, anon_inode_mnt, name,
                                        flags & (O_ACCMODE | O_NONBLOCK), fops);
    if (f.is_error()) {
        iput(anon_inode_inode);
        return f;
    }
    // Seekable exactly when the operations can seek (Linux's alloc_file sets
    // FMODE_LSEEK so for every pseudo file): lseek on an eventfd is 0, not ESPIPE.
    if (fops->llseek) f.value()->f_mode |= FMODE_LSEEK;
    f.value()->f_mapping = anon_inode_inode->i_mapping;
    f.value()->private_data = priv;
    return f;
}

long anon_inode_getfd(const char* name, const file_operations* fops, void* priv, int flags) {
    Result<file*> f = anon_inode_getfile(name, fops, priv, flags);
    if (f.is_error()) return -f.error();
    Result<int> fd = alloc_fd_install(0, f.value(), flags & O_CLOEXEC);
    if (fd.is_error()) {
        fput(f.value());
        return -fd.error();
    }
    return fd.value();
}
