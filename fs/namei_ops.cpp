// The operations that add, remove and rename names (the second half of
// Linux's fs/namei.c): the vfs_* checks every file system shares, then the
// inode operation, and the system calls mknod, mkdir, rmdir, unlink,
// symlink, link and rename with their *at forms.
//
// The directory being changed is locked (i_rwsem) for the whole operation;
// rename locks both directories in an order that cannot deadlock.
#include <keel/fs_struct.h>
#include <keel/namei.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>
#include <lib/string.h>
#include <mm/slab.h>

namespace {

bool is_dead_dir(const inode* dir) { return dir->i_flags & S_DEAD; }

int may_create(inode* dir, dentry* child) {
    if (d_really_is_positive(child)) return -EEXIST;
    if (is_dead_dir(dir)) return -ENOENT;
    return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

// The sticky bit: in a directory like /tmp only the owner of a file (or of
// the directory, or root) may remove or rename it.
bool check_sticky(const inode* dir, const inode* victim) {
    if (!(dir->i_mode & S_ISVTX)) return false;
    const cred* c = current_cred();
    return c->fsuid != victim->i_uid && c->fsuid != dir->i_uid && !capable_of(c);
}

int may_delete(inode* dir, dentry* victim, bool isdir) {
    if (d_is_negative(victim)) return -ENOENT;
    int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
    if (err) return err;
    if (check_sticky(dir, victim->d_inode)) return -EPERM;
    if (isdir) {
        if (!d_is_dir(victim)) return -ENOTDIR;
        if (IS_ROOT(victim)) return -EBUSY;
    } else if (d_is_dir(victim)) {
        return -EISDIR;
    }
    if (is_dead_dir(dir)) return -ENOENT;
    return 0;
}

}  // namespace

int vfs_create(inode* dir, dentry* d, umode_t mode, bool want_excl) {
    int err = may_create(dir, d);
    if (err) return err;
    if (!dir->i_op->create) return -EACCES;
    return dir->i_op->create(dir, d, umode_t((mode & S_IALLUGO) | S_IFREG), want_excl);
}

int vfs_mkdir(inode* dir, dentry* d, umode_t mode) {
    int err = may_create(dir, d);
    if (err) return err;
    if (!dir->i_op->mkdir) return -EPERM;
    return dir->i_op->mkdir(dir, d, umode_t(mode & (S_IRWXUGO | S_ISVTX)));
}

int vfs_mknod(inode* dir, dentry* d, umode_t mode, dev_t dev) {
    int err = may_create(dir, d);
    if (err) return err;
    if ((S_ISCHR(mode) || S_ISBLK(mode)) && !capable_of(current_cred())) return -EPERM;
    if (!dir->i_op->mknod) return -EPERM;
    return dir->i_op->mknod(dir, d, mode, dev);
}

int vfs_symlink(inode* dir, dentry* d, const char* oldname) {
    int err = may_create(dir, d);
    if (err) return err;
    if (!dir->i_op->symlink) return -EPERM;
    return dir->i_op->symlink(dir, d, oldname);
}

int vfs_link(dentry* old_dentry, inode* dir, dentry* new_dentry) {
    inode* i = old_dentry->d_inode;
    if (!i) return -ENOENT;
    int err = may_create(dir, new_dentry);
    if (err) return err;
    if (dir->i_sb != i->i_sb) return -EXDEV;
    if (S_ISDIR(i->i_mode)) return -EPERM;
    if (!dir->i_op->link) return -EPERM;
    inode_lock_nested(i, I_MUTEX_CHILD);
    err = i->i_nlink == 0 ? -ENOENT : dir->i_op->link(old_dentry, dir, new_dentry);
    inode_unlock(i);
    return err;
}

int vfs_rmdir(inode* dir, dentry* d) {
    int err = may_delete(dir, d, true);
    if (err) return err;
    if (!dir->i_op->rmdir) return -EPERM;
    inode* i = d->d_inode;
    ihold(i);
    inode_lock_nested(i, I_MUTEX_CHILD);
    if (d_mountpoint(d)) err = -EBUSY;
    else err = dir->i_op->rmdir(dir, d);
    if (!err) {
        i->i_flags |= S_DEAD;  // no new names inside it
        i->i_ctime = current_time(i);
    }
    inode_unlock(i);
    iput(i);
    if (!err) d_delete(d);
    return err;
}

int vfs_unlink(inode* dir, dentry* d) {
    int err = may_delete(dir, d, false);
    if (err) return err;
    if (!dir->i_op->unlink) return -EPERM;
    inode* i = d->d_inode;
    ihold(i);
    inode_lock_nested(i, I_MUTEX_CHILD);
    err = d_mountpoint(d) ? -EBUSY : dir->i_op->unlink(dir, d);
    inode_unlock(i);
    iput(i);
    if (!err) d_delete(d);
    return err;
}

int vfs_rename(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry, unsigned flags) {
    if (old_dentry->d_inode == new_dentry->d_inode) return 0;  // the same file: nothing to do
    bool is_dir = d_is_dir(old_dentry);
    bool exchange = flags & RENAME_EXCHANGE;
    int err = may_delete(old_dir, old_dentry, is_dir);
    if (err) return err;
    if (d_is_negative(new_dentry)) err = may_create(new_dir, new_dentry);
    else err = may_delete(new_dir, new_dentry, exchange ? d_is_dir(new_dentry) : is_dir);
    if (err) return err;
    if (!old_dir->i_op->rename) return -EPERM;
    // Moving a directory changes its ".." entry: that needs write access to it.
    if (new_dir != old_dir) {
        if (is_dir && (err = inode_permission(old_dentry->d_inode, MAY_WRITE))) return err;
        if (exchange && d_is_dir(new_dentry) && (err = inode_permission(new_dentry->d_inode, MAY_WRITE)))
            return err;
    }
    if (d_mountpoint(old_dentry) || d_mountpoint(new_dentry)) return -EBUSY;
    inode* target = new_dentry->d_inode;
    if (target) {
        ihold(target);
        inode_lock_nested(target, I_MUTEX_CHILD);
    }
    err = old_dir->i_op->rename(old_dir, old_dentry, new_dir, new_dentry, flags);
    if (!err) {
        if (exchange) {
            d_exchange(old_dentry, new_dentry);
        } else {
            if (target && is_dir) target->i_flags |= S_DEAD;
            d_move(old_dentry, new_dentry);
        }
    }
    if (target) {
        inode_unlock(target);
        iput(target);
    }
    return err;
}

int vfs_readlink(dentry* d, char __user* buf, int buflen) {
    inode* i = d->d_inode;
    if (i->i_op && i->i_op->readlink) return i->i_op->readlink(d, buf, buflen);
    if (!S_ISLNK(i->i_mode) || !i->i_op || !i->i_op->get_link) return -EINVAL;
    char* kbuf = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
    if (!kbuf) return -ENOMEM;
    Result<const char*> text = i->i_op->get_link(d, i, kbuf);
    int ret;
    if (text.is_error()) {
        ret = -text.error();
    } else {
        size_t len = strlen(text.value());
        if (len > size_t(buflen)) len = size_t(buflen);  // truncated silently, as readlink(2) says
        ret = copy_to_user(buf, text.value(), len) ? -EFAULT : int(len);
    }
    kfree(kbuf);
    return ret;
}

namespace {

// The child of ancestor on the way down to d, or nullptr if d is not below it.
dentry* d_ancestor(dentry* ancestor, dentry* d) {
    Guard<NoIrqSave> guard(dcache_lock);
    for (; !IS_ROOT(d); d = d->d_parent)
        if (d->d_parent == ancestor) return d;
    return nullptr;
}

}  // namespace

dentry* lock_rename(dentry* p1, dentry* p2) {
    if (p1 == p2) {
        inode_lock_nested(p1->d_inode, I_MUTEX_PARENT);
        return nullptr;
    }
    // The ancestor first; between unrelated directories any fixed order works,
    // because s_vfs_rename_mutex lets only one such rename run at a time.
    // The result is the "trap": the entry under the ancestor that leads to the
    // other directory, which must be neither the source nor the target.
    mutex_lock(&p1->d_sb->s_vfs_rename_mutex);
    if (dentry* p = d_ancestor(p2, p1)) {
        inode_lock_nested(p2->d_inode, I_MUTEX_PARENT);
        inode_lock_nested(p1->d_inode, I_MUTEX_CHILD);
        return p;
    }
    if (dentry* p = d_ancestor(p1, p2)) {
        inode_lock_nested(p1->d_inode, I_MUTEX_PARENT);
        inode_lock_nested(p2->d_inode, I_MUTEX_CHILD);
        return p;
    }
    inode_lock_nested(p1->d_inode, I_MUTEX_PARENT);
    inode_lock_nested(p2->d_inode, I_MUTEX_PARENT2);
    return nullptr;
}

void unlock_rename(dentry* p1, dentry* p2) {
    inode_unlock(p1->d_inode);
    if (p1 != p2) {
        inode_unlock(p2->d_inode);
        mutex_unlock(&p1->d_sb->s_vfs_rename_mutex);
    }
}

// ---- creating names ----

Result<dentry*> filename_create(int dfd, filename* name, path* p, unsigned lookup_flags) {
    qstr last;
    last_type type;
    bool trailing;
    int err = filename_parentat(dfd, name, lookup_flags & ~LOOKUP_FOLLOW, p, &last, &type, &trailing);
    if (err) return Error{-err};
    if (type != LAST_NORM) {  // "/", "." or "..": they exist
        path_put(p);
        return Error{EEXIST};
    }
    if (__mnt_is_readonly(p->mnt)) {  // Linux's mnt_want_write
        path_put(p);
        return Error{EROFS};
    }
    inode_lock_nested(p->dentry->d_inode, I_MUTEX_PARENT);
    Result<dentry*> d = lookup_one_qstr(&last, p->dentry, lookup_flags | LOOKUP_CREATE | LOOKUP_EXCL);
    int e = d.is_error() ? d.error() : 0;
    if (!e && d_really_is_positive(d.value())) e = EEXIST;
    // "name/" may only create a directory.
    if (!e && trailing && !(lookup_flags & LOOKUP_DIRECTORY)) e = ENOENT;
    if (e) {
        if (!d.is_error()) dput(d.value());
        inode_unlock(p->dentry->d_inode);
        path_put(p);
        return Error{e};
    }
    return d;
}

Result<dentry*> user_path_create(int dfd, const char __user* pathname, path* p, unsigned lookup_flags) {
    filename* name = TRY(getname(pathname));
    Result<dentry*> d = filename_create(dfd, name, p, lookup_flags);
    putname(name);
    return d;
}

Result<dentry*> kern_path_create(int dfd, const char* pathname, path* p, unsigned lookup_flags) {
    filename* name = getname_kernel(pathname);
    if (!name) return Error{ENOMEM};
    Result<dentry*> d = filename_create(dfd, name, p, lookup_flags);
    putname(name);
    return d;
}

void done_path_create(path* p, dentry* d) {
    dput(d);
    inode_unlock(p->dentry->d_inode);
    path_put(p);
}

namespace {

umode_t apply_umask(umode_t mode) { return umode_t(mode & ~current->fs->umask); }

long do_mknodat(int dfd, const char __user* filename, umode_t mode, unsigned dev) {
    switch (mode & S_IFMT) {
    case 0:
        mode |= S_IFREG;  // mknod with no type makes a regular file
        break;
    case S_IFREG:
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
    case S_IFSOCK:
        break;
    case S_IFDIR:
        return -EPERM;
    default:
        return -EINVAL;
    }
    path p;
    Result<dentry*> d = user_path_create(dfd, filename, &p, 0);
    if (d.is_error()) return -d.error();
    umode_t m = umode_t((mode & S_IFMT) | apply_umask(mode & S_IALLUGO));
    inode* dir = p.dentry->d_inode;
    long err = S_ISREG(m) ? vfs_create(dir, d.value(), m, true) : vfs_mknod(dir, d.value(), m, new_decode_dev(dev));
    done_path_create(&p, d.value());
    return err;
}

long do_mkdirat(int dfd, const char __user* pathname, umode_t mode) {
    path p;
    Result<dentry*> d = user_path_create(dfd, pathname, &p, LOOKUP_DIRECTORY);
    if (d.is_error()) return -d.error();
    long err = vfs_mkdir(p.dentry->d_inode, d.value(), apply_umask(mode & (S_IRWXUGO | S_ISVTX)));
    done_path_create(&p, d.value());
    return err;
}

// rmdir and unlink: walk to the parent, lock it, look the victim up.
template <typename Op> long do_remove(int dfd, const char __user* pathname, bool isdir, Op op) {
    Result<filename*> name = getname(pathname);
    if (name.is_error()) return -name.error();
    path parent;
    qstr last;
    last_type type;
    bool trailing;
    long err = filename_parentat(dfd, name.value(), 0, &parent, &last, &type, &trailing);
    if (err) {
        putname(name.value());
        return err;
    }
    if (type != LAST_NORM) {
        // rmdir(".") is EINVAL, rmdir("..") ENOTEMPTY, rmdir("/") EBUSY; unlink of any of them EISDIR.
        err = !isdir ? -EISDIR : type == LAST_DOT ? -EINVAL : type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
    } else if (__mnt_is_readonly(parent.mnt)) {
        err = -EROFS;
    } else {
        inode* dir = parent.dentry->d_inode;
        inode_lock_nested(dir, I_MUTEX_PARENT);
        Result<dentry*> d = lookup_one_qstr(&last, parent.dentry, 0);
        if (d.is_error()) {
            err = -d.error();
        } else {
            if (d_is_negative(d.value())) err = -ENOENT;
            else if (!isdir && trailing) err = d_is_dir(d.value()) ? -EISDIR : -ENOTDIR;  // "file/"
            else err = op(dir, d.value());
            dput(d.value());
        }
        inode_unlock(dir);
    }
    path_put(&parent);
    putname(name.value());
    return err;
}

long do_rmdir(int dfd, const char __user* pathname) {
    return do_remove(dfd, pathname, true, [](inode* dir, dentry* d) { return long(vfs_rmdir(dir, d)); });
}

long do_unlinkat(int dfd, const char __user* pathname) {
    return do_remove(dfd, pathname, false, [](inode* dir, dentry* d) { return long(vfs_unlink(dir, d)); });
}

long do_symlinkat(const char __user* oldname, int newdfd, const char __user* newname) {
    Result<filename*> from = getname(oldname);
    if (from.is_error()) return -from.error();
    path p;
    Result<dentry*> d = user_path_create(newdfd, newname, &p, 0);
    long err = d.is_error() ? -d.error() : 0;
    if (!err) {
        err = vfs_symlink(p.dentry->d_inode, d.value(), from.value()->name);
        done_path_create(&p, d.value());
    }
    putname(from.value());
    return err;
}

long do_linkat(int olddfd, const char __user* oldname, int newdfd, const char __user* newname, int flags) {
    if (flags & ~int(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    unsigned how = (flags & AT_SYMLINK_FOLLOW) ? unsigned(LOOKUP_FOLLOW) : 0u;
    if (flags & AT_EMPTY_PATH) {
        if (!capable_of(current_cred())) return -ENOENT;  // Linux: CAP_DAC_READ_SEARCH, else as if absent
        how |= LOOKUP_EMPTY;
    }
    path old;
    long err = user_path_at(olddfd, oldname, how, &old);
    if (err) return err;
    path p;
    Result<dentry*> d = user_path_create(newdfd, newname, &p, 0);
    if (d.is_error()) {
        err = -d.error();
    } else {
        err = old.mnt != p.mnt ? -EXDEV : vfs_link(old.dentry, p.dentry->d_inode, d.value());
        done_path_create(&p, d.value());
    }
    path_put(&old);
    return err;
}

long do_renameat2(int olddfd, const char __user* oldname, int newdfd, const char __user* newname, unsigned flags) {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -EINVAL;
    if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) return -EINVAL;
    if (flags & RENAME_WHITEOUT) return -EINVAL;  // overlay whiteouts: tmpfs supports them on Linux; not Keel
    Result<filename*> from = getname(oldname);
    if (from.is_error()) return -from.error();
    Result<filename*> to = getname(newname);
    if (to.is_error()) {
        putname(from.value());
        return -to.error();
    }
    path old_parent, new_parent;
    qstr old_last, new_last;
    last_type old_type, new_type;
    bool old_slash, new_slash;
    long err = filename_parentat(olddfd, from.value(), 0, &old_parent, &old_last, &old_type, &old_slash);
    if (!err) {
        err = filename_parentat(newdfd, to.value(), 0, &new_parent, &new_last, &new_type, &new_slash);
        if (err) path_put(&old_parent);
    }
    if (err) {
        putname(to.value());
        putname(from.value());
        return err;
    }
    if (old_parent.mnt != new_parent.mnt) err = -EXDEV;
    else if (__mnt_is_readonly(old_parent.mnt)) err = -EROFS;
    else if (old_type != LAST_NORM) err = -EBUSY;  // renaming "/", "." or ".."
    else if (new_type != LAST_NORM) err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
    if (!err) {
        dentry* trap = lock_rename(new_parent.dentry, old_parent.dentry);
        Result<dentry*> od = lookup_one_qstr(&old_last, old_parent.dentry, 0);
        Result<dentry*> nd = lookup_one_qstr(&new_last, new_parent.dentry, LOOKUP_RENAME_TARGET);
        err = od.is_error() ? -od.error() : nd.is_error() ? -nd.error() : 0;
        if (!err) {
            dentry* o = od.value();
            dentry* n = nd.value();
            if (d_is_negative(o)) err = -ENOENT;
            else if ((flags & RENAME_EXCHANGE) && d_is_negative(n)) err = -ENOENT;
            else if ((flags & RENAME_NOREPLACE) && d_really_is_positive(n)) err = -EEXIST;
            // "a/" names a directory: a trailing slash on a non-directory is ENOTDIR.
            else if (!d_is_dir(o) && (old_slash || (new_slash && !(flags & RENAME_EXCHANGE)))) err = -ENOTDIR;
            else if (o == trap) err = -EINVAL;  // moving a directory under itself
            else if (n == trap) err = (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
            else err = vfs_rename(old_parent.dentry->d_inode, o, new_parent.dentry->d_inode, n, flags);
        }
        if (!nd.is_error()) dput(nd.value());
        if (!od.is_error()) dput(od.value());
        unlock_rename(new_parent.dentry, old_parent.dentry);
    }
    path_put(&new_parent);
    path_put(&old_parent);
    putname(to.value());
    putname(from.value());
    return err;
}

}  // namespace

long sys_mknodat(int dfd, const char __user* filename, umode_t mode, unsigned dev) {
    return do_mknodat(dfd, filename, mode, dev);
}
long sys_mknod(const char __user* filename, umode_t mode, unsigned dev) {
    return do_mknodat(AT_FDCWD, filename, mode, dev);
}
long sys_mkdirat(int dfd, const char __user* pathname, umode_t mode) { return do_mkdirat(dfd, pathname, mode); }
long sys_mkdir(const char __user* pathname, umode_t mode) { return do_mkdirat(AT_FDCWD, pathname, mode); }
long sys_rmdir(const char __user* pathname) { return do_rmdir(AT_FDCWD, pathname); }
long sys_unlinkat(int dfd, const char __user* pathname, int flag) {
    if (flag & ~int(AT_REMOVEDIR)) return -EINVAL;
    return (flag & AT_REMOVEDIR) ? do_rmdir(dfd, pathname) : do_unlinkat(dfd, pathname);
}
long sys_unlink(const char __user* pathname) { return do_unlinkat(AT_FDCWD, pathname); }
long sys_symlinkat(const char __user* oldname, int newdfd, const char __user* newname) {
    return do_symlinkat(oldname, newdfd, newname);
}
long sys_symlink(const char __user* oldname, const char __user* newname) {
    return do_symlinkat(oldname, AT_FDCWD, newname);
}
long sys_linkat(int olddfd, const char __user* oldname, int newdfd, const char __user* newname, int flags) {
    return do_linkat(olddfd, oldname, newdfd, newname, flags);
}
long sys_link(const char __user* oldname, const char __user* newname) {
    return do_linkat(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}
long sys_renameat2(int olddfd, const char __user* oldname, int newdfd, const char __user* newname, unsigned flags) {
    return do_renameat2(olddfd, oldname, newdfd, newname, flags);
}
long sys_renameat(int olddfd, const char __user* oldname, int newdfd, const char __user* newname) {
    return do_renameat2(olddfd, oldname, newdfd, newname, 0);
}
long sys_rename(const char __user* oldname, const char __user* newname) {
    return do_renameat2(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}
