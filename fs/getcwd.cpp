// getcwd(2) (Linux keeps it in fs/d_path.c): the working directory's path from
// current's root. A deleted cwd is ENOENT; one outside the root (after chroot
// or a moved mount) is reported with Linux's "(unreachable)" prefix.
#include <keel/dcache.h>
#include <keel/fs_struct.h>
#include <keel/mount.h>
#include <keel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>

namespace {

bool d_unlinked(const dentry* d) { return d_unhashed(d) && !IS_ROOT(d); }

// Whether walking up from p (through the mounts it sits on) meets root.
// mount_lock keeps the mounts' parents still, dcache_lock the dentries'.
bool reaches_root(const path* p, const path* root) {
    Guard<NoIrqSave> mounts(mount_lock);
    Guard<NoIrqSave> names(dcache_lock);
    vfsmount* mnt = p->mnt;
    dentry* d = p->dentry;
    for (;;) {
        if (d == root->dentry && mnt == root->mnt) return true;
        if (d == mnt->mnt_root) {
            mount* m = real_mount(mnt);
            if (m->mnt_parent == m) return false;  // the top of the namespace
            d = m->mnt_mountpoint;
            mnt = &m->mnt_parent->mnt;
        } else if (IS_ROOT(d)) {
            return false;  // a tree attached nowhere
        } else {
            d = d->d_parent;
        }
    }
}

long getcwd_into(const path* pwd, const path* root, char __user* buf, unsigned long size) {
    if (d_unlinked(pwd->dentry)) return -ENOENT;
    auto* page = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
    if (!page) return -ENOMEM;
    long ret;
    Result<char*> built = d_path(pwd, page, PATH_MAX);
    if (built.is_error()) {
        ret = -built.error();
    } else {
        char* start = built.value();
        static const char unreachable[] = "(unreachable)";
        constexpr size_t prefix = sizeof(unreachable) - 1;
        if (!reaches_root(pwd, root)) {
            if (size_t(start - page) < prefix) {
                kfree(page);
                return -ENAMETOOLONG;
            }
            start -= prefix;
            memcpy(start, unreachable, prefix);
        }
        size_t len = strlen(start) + 1;
        if (len > size) ret = -ERANGE;
        else ret = copy_to_user(buf, start, len) ? -EFAULT : long(len);
    }
    kfree(page);
    return ret;
}

}  // namespace

// Returns the length including the NUL, as the system call (not libc) does.
long sys_getcwd(char __user* buf, unsigned long size) {
    path root, pwd;
    get_fs_root(current->fs, &root);
    get_fs_pwd(current->fs, &pwd);
    long ret = getcwd_into(&pwd, &root, buf, size);
    path_put(&pwd);
    path_put(&root);
    return ret;
}
