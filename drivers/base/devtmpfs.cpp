// devtmpfs (Linux's drivers/base/devtmpfs.c): one tmpfs instance that the
// kernel fills with a node for every device a driver registers, so /dev is
// right before user space has run anything. Every mount of "devtmpfs" shows
// that same instance.
#include <keel/dcache.h>
#include <keel/init.h>
#include <keel/mount.h>
#include <keel/namei.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <lib/string.h>
#include <uapi/asm/stat.h>

namespace {

vfsmount* devtmpfs_mnt;

Result<dentry*> devtmpfs_mount(file_system_type*, int, const char*, void*) {
    if (!devtmpfs_mnt) return Error{ENODEV};
    devtmpfs_mnt->mnt_sb->s_active.fetch_add(1, memory_order::relaxed);
    return dget(devtmpfs_mnt->mnt_root);
}

// The internal mount keeps the super block alive; other mounts only come and go.
void devtmpfs_kill_sb(super_block*) {}

file_system_type dev_fs_type = {.name = "devtmpfs", .mount = devtmpfs_mount, .kill_sb = devtmpfs_kill_sb};

// Finds or makes the child `name` of dir: a directory, or the device node
// when `last`. Returns a reference to it.
Result<dentry*> make_entry(dentry* dir, const char* name, int len, bool last, umode_t mode, dev_t dev) {
    inode* di = dir->d_inode;
    inode_lock_nested(di, I_MUTEX_PARENT);
    Result<dentry*> d = lookup_one_len(name, dir, len);
    if (!d.is_error() && d_is_negative(d.value())) {
        int err = last ? vfs_mknod(di, d.value(), mode, dev) : vfs_mkdir(di, d.value(), 0755);
        if (err) {
            dput(d.value());
            d = Error{-err};
        }
    } else if (!d.is_error() && last) {
        dput(d.value());
        d = Error{EEXIST};
    }
    inode_unlock(di);
    return d;
}

}  // namespace

int devtmpfs_create_node(const char* name, umode_t mode, dev_t dev, kuid_t uid, kgid_t gid) {
    if (!devtmpfs_mnt) return -ENODEV;
    dentry* dir = dget(devtmpfs_mnt->mnt_root);
    const char* p = name;
    for (;;) {
        const char* slash = strchr(p, '/');
        int len = slash ? int(slash - p) : int(strlen(p));
        Result<dentry*> d = make_entry(dir, p, len, !slash, mode, dev);
        dput(dir);
        if (d.is_error()) return -d.error();
        dir = d.value();
        if (!slash) break;
        p = slash + 1;
    }
    dir->d_inode->i_uid = uid;
    dir->d_inode->i_gid = gid;
    dput(dir);
    return 0;
}

// Called from vfs_caches_init, before any driver registers a device.
void devtmpfs_init() {
    file_system_type* tmpfs = get_fs_type("tmpfs");
    char options[] = "mode=0755";
    Result<vfsmount*> m = tmpfs ? vfs_kern_mount(tmpfs, SB_KERNMOUNT, "devtmpfs", options) : Result<vfsmount*>(Error{ENODEV});
    if (m.is_error()) panic("devtmpfs: unable to create devtmpfs (error %d)", m.error());
    devtmpfs_mnt = m.value();
    register_filesystem(&dev_fs_type);
    printk(KERN_INFO "devtmpfs: initialized\n");
}
