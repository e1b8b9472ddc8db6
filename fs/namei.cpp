// Path name lookup (Linux's fs/namei.c): from a string to a (mount, dentry).
//
// A walk starts at the root (absolute names), the working directory, or a
// directory fd, then takes one component at a time: "." stays, ".." climbs
// (crossing back out of mounts, never above the process's root), other names
// are found in the dcache or asked of the directory's lookup. Mount points are
// crossed downwards after each step. Symlinks met in the middle of a name are
// resolved completely before the walk goes on; a symlink as the last
// component is followed only with LOOKUP_FOLLOW. At most MAX_NESTED_LINKS
// (40) links are followed in one walk: more is ELOOP, as on Linux.
//
// Keel walks with references held (Linux's ref-walk; there is no RCU-walk).
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/namei.h>
#include <keel/sched.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

void path_get(const path* p) {
    mntget(p->mnt);
    dget(p->dentry);
}

void path_put(const path* p) {
    dput(p->dentry);
    mntput(p->mnt);
}

// ---- names copied from user space ----

Result<filename*> getname_flags(const char __user* uname, unsigned flags) {
    auto* f = static_cast<filename*>(kmalloc(sizeof(filename), GFP_KERNEL));
    char* buf = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
    if (!f || !buf) {
        kfree(f);
        kfree(buf);
        return Error{ENOMEM};
    }
    long len = strncpy_from_user(buf, uname, PATH_MAX);
    int err = len < 0 ? int(-len) : len == long(PATH_MAX) ? ENAMETOOLONG : (len == 0 && !(flags & LOOKUP_EMPTY)) ? ENOENT : 0;
    if (err) {
        kfree(f);
        kfree(buf);
        return Error{err};
    }
    new (f) filename;
    f->name = buf;
    f->uptr = uname;
    return f;
}

Result<filename*> getname(const char __user* name) { return getname_flags(name, 0); }

filename* getname_kernel(const char* name) {
    size_t len = strlen(name);
    if (len >= PATH_MAX) return nullptr;
    auto* f = static_cast<filename*>(kmalloc(sizeof(filename), GFP_KERNEL));
    char* buf = static_cast<char*>(kmalloc(len + 1, GFP_KERNEL));
    if (!f || !buf) {
        kfree(f);
        kfree(buf);
        return nullptr;
    }
    memcpy(buf, name, len + 1);
    new (f) filename;
    f->name = buf;
    f->uptr = nullptr;
    return f;
}

void putname(filename* name) {
    if (!name || name->refcnt.fetch_sub(1, memory_order::acq_rel) != 1) return;
    kfree(name->name);
    kfree(name);
}

// ---- the walk ----

struct nameidata {
    struct path path;  // where the walk is (references held)
    struct path root;  // the process's root: ".." stops here, "/" starts here
    qstr last;  // the final component, once link_path_walk is done with the rest
    last_type type;
    unsigned flags;
    unsigned total_links;
    char* link_bufs[MAX_NESTED_LINKS];  // symlink texts being walked
    nameidata* saved;  // the walk this one interrupted (a get_link may walk other paths)
};

// The cached child `name` of dir, if it is still valid (d_revalidate: procfs
// drops entries of tasks that are gone), with a reference; else nullptr.
dentry* lookup_dcache(const qstr* name, dentry* dir, unsigned flags) {
    dentry* d = d_lookup(dir, name);
    if (d && d->d_op && d->d_op->d_revalidate && !d->d_op->d_revalidate(d, flags)) {
        d_drop(d);
        dput(d);
        return nullptr;
    }
    return d;
}

namespace {

void nd_init(nameidata* nd, unsigned flags) {
    nd->path = {};
    nd->flags = flags;
    nd->total_links = 0;
    nd->type = LAST_ROOT;
    nd->last = {};
    get_fs_root(current->fs, &nd->root);
    nd->saved = current->nameidata;
    current->nameidata = nd;
}

void terminate_walk(nameidata* nd) {
    if (nd->path.dentry) path_put(&nd->path);
    nd->path = {};
    path_put(&nd->root);
    for (unsigned i = 0; i < nd->total_links && i < MAX_NESTED_LINKS; i++) kfree(nd->link_bufs[i]);
    nd->total_links = 0;
    current->nameidata = nd->saved;
}

// Where a walk of `name` from dfd starts.
int path_init(nameidata* nd, int dfd, const char* name) {
    if (*name == '/') {
        nd->path = nd->root;
        path_get(&nd->path);
        return 0;
    }
    if (dfd == AT_FDCWD) {
        get_fs_pwd(current->fs, &nd->path);
        return 0;
    }
    file* f = fget(unsigned(dfd));
    if (!f) return -EBADF;
    if (*name && !d_is_dir(f->f_path.dentry)) {
        fput(f);
        return -ENOTDIR;
    }
    nd->path = f->f_path;
    path_get(&nd->path);
    fput(f);
    return 0;
}

void set_path(nameidata* nd, const path* next) {
    path_put(&nd->path);
    nd->path = *next;
}

int follow_dotdot(nameidata* nd) {
    for (;;) {
        if (path_equal(&nd->path, &nd->root)) break;
        if (nd->path.dentry != nd->path.mnt->mnt_root) {
            dentry* parent = dget_parent(nd->path.dentry);
            dput(nd->path.dentry);
            nd->path.dentry = parent;
            break;
        }
        if (!follow_up(&nd->path)) break;  // the namespace root: ".." is itself
    }
    follow_down(&nd->path);
    return 0;
}

// The child `name` of dir, revalidated if cached, else asked of the file
// system under the directory's lock. A reference, possibly to a negative dentry.
Result<dentry*> lookup_child(dentry* dir, const qstr* name, unsigned flags) {
    if (dentry* d = lookup_dcache(name, dir, flags)) return d;
    inode* di = dir->d_inode;
    inode_lock_nested(di, I_MUTEX_PARENT);
    Result<dentry*> r = lookup_one_qstr(name, dir, flags);
    inode_unlock(di);
    return r;
}

// "Too many links" once 40 have been followed in this walk; otherwise a
// buffer for the next link's text.
Result<char*> link_buffer(nameidata* nd) {
    if (nd->total_links >= MAX_NESTED_LINKS || (nd->flags & LOOKUP_NO_SYMLINKS)) return Error{ELOOP};
    char* buf = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
    if (!buf) return Error{ENOMEM};
    nd->link_bufs[nd->total_links++] = buf;
    return buf;
}

// Reads the symlink at `link` (whose parent is nd->path). Returns the text
// to walk next from nd->path, or nullptr when get_link moved nd->path itself.
Result<const char*> get_link(nameidata* nd, const path* link) {
    char* buf = TRY(link_buffer(nd));
    inode* i = link->dentry->d_inode;
    if (!i->i_op->get_link) return Error{EINVAL};
    Result<const char*> text = i->i_op->get_link(link->dentry, i, buf);
    if (text.is_error()) return text;
    if (!text.value()) return text;  // nd_jump_link
    if (!*text.value()) return Error{ENOENT};
    if (*text.value() == '/') {
        path_put(&nd->path);
        nd->path = nd->root;
        path_get(&nd->path);
    }
    return text;
}

int link_path_walk(const char* name, nameidata* nd);
int walk_last(nameidata* nd, bool follow, const char** link);

// A symlink met before the last component: resolve it completely, following
// its own last component too, so the walk continues from where it points.
int walk_link_fully(nameidata* nd, const path* link) {
    Result<const char*> text = get_link(nd, link);
    if (text.is_error()) return -text.error();
    const char* s = text.value();
    while (s) {
        int err = link_path_walk(s, nd);
        if (err) return err;
        err = walk_last(nd, true, &s);
        if (err) return err;
    }
    return 0;
}

// One component that is not the last: the walk moves onto it.
int walk_component(nameidata* nd, const qstr* name, last_type type) {
    if (type == LAST_DOT) return 0;
    if (type == LAST_DOTDOT) return follow_dotdot(nd);
    Result<dentry*> d = lookup_child(nd->path.dentry, name, nd->flags);
    if (d.is_error()) return -d.error();
    if (d_is_negative(d.value())) {
        dput(d.value());
        return -ENOENT;
    }
    path next = {mntget(nd->path.mnt), d.value()};
    follow_down(&next);
    if (d_is_symlink(next.dentry)) {
        int err = walk_link_fully(nd, &next);
        path_put(&next);
        return err;
    }
    set_path(nd, &next);
    return 0;
}

// Splits name into components and walks all but the last, which is left in
// nd->last / nd->type. A trailing slash makes the last one a directory that
// is followed if it is a link.
int link_path_walk(const char* name, nameidata* nd) {
    while (*name == '/') name++;
    if (!*name) {
        nd->type = LAST_ROOT;
        return 0;
    }
    for (;;) {
        inode* dir = nd->path.dentry->d_inode;
        if (!S_ISDIR(dir->i_mode)) return -ENOTDIR;
        int err = inode_permission(dir, MAY_EXEC);
        if (err) return err;
        unsigned len = 0;
        while (name[len] && name[len] != '/') len++;
        if (len > NAME_MAX) return -ENAMETOOLONG;
        qstr this_name = {name, len, 0};
        last_type type = LAST_NORM;
        if (name[0] == '.' && len == 1) type = LAST_DOT;
        else if (name[0] == '.' && name[1] == '.' && len == 2) type = LAST_DOTDOT;
        name += len;
        if (*name == '/') {
            while (*name == '/') name++;
            if (!*name) nd->flags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY;  // "name/"
        }
        if (!*name) {
            nd->last = this_name;
            nd->type = type;
            return 0;
        }
        err = walk_component(nd, &this_name, type);
        if (err) return err;
    }
}

// The last component: the walk moves onto it; if it is a symlink to follow,
// *link gets the text to walk next (from nd->path) instead.
int walk_last(nameidata* nd, bool follow, const char** link) {
    *link = nullptr;
    if (nd->type != LAST_NORM) {
        if (nd->type == LAST_DOTDOT) follow_dotdot(nd);
        nd->type = LAST_ROOT;  // a later round (after a link) starts afresh
        return 0;
    }
    inode* dir = nd->path.dentry->d_inode;
    if (!S_ISDIR(dir->i_mode)) return -ENOTDIR;
    int err = inode_permission(dir, MAY_EXEC);
    if (err) return err;
    Result<dentry*> d = lookup_child(nd->path.dentry, &nd->last, nd->flags);
    if (d.is_error()) return -d.error();
    if (d_is_negative(d.value())) {
        dput(d.value());
        return -ENOENT;
    }
    path next = {mntget(nd->path.mnt), d.value()};
    follow_down(&next);
    if (follow && d_is_symlink(next.dentry)) {
        Result<const char*> text = get_link(nd, &next);
        path_put(&next);
        if (text.is_error()) return -text.error();
        *link = text.value();
        if (!*link) return 0;  // nd_jump_link put the walk where the link points
        nd->type = LAST_ROOT;
        return 0;
    }
    set_path(nd, &next);
    return 0;
}

// A whole walk to the final dentry (Linux's path_lookupat).
int path_lookupat(nameidata* nd, int dfd, const char* name, path* out) {
    int err = path_init(nd, dfd, name);
    const char* s = name;
    while (!err) {
        err = link_path_walk(s, nd);
        if (err) break;
        err = walk_last(nd, nd->flags & LOOKUP_FOLLOW, &s);
        if (err || !s) break;
    }
    if (!err && (nd->flags & LOOKUP_DIRECTORY) && !d_is_dir(nd->path.dentry)) err = -ENOTDIR;
    if (!err) {
        *out = nd->path;
        nd->path = {};
    }
    return err;
}

}  // namespace

void nd_jump_link(const path* p) {
    nameidata* nd = current->nameidata;
    path_get(p);
    path_put(&nd->path);
    nd->path = *p;
}

int filename_lookup(int dfd, filename* name, unsigned flags, path* out) {
    nameidata nd;
    nd_init(&nd, flags);
    int err = path_lookupat(&nd, dfd, name->name, out);
    terminate_walk(&nd);
    return err;
}

int user_path_at(int dfd, const char __user* name, unsigned flags, path* out) {
    Result<filename*> r = getname_flags(name, flags);
    if (r.is_error()) return -r.error();
    filename* f = r.value();
    int err = filename_lookup(dfd, f, flags, out);
    putname(f);
    return err;
}

int kern_path(const char* name, unsigned flags, path* out) {
    filename* f = getname_kernel(name);
    if (!f) return -ENOMEM;
    int err = filename_lookup(AT_FDCWD, f, flags, out);
    putname(f);
    return err;
}

int filename_parentat(int dfd, filename* name, unsigned flags, path* parent, qstr* last, last_type* type,
                      bool* trailing_slash) {
    nameidata nd;
    nd_init(&nd, flags);
    int err = path_init(&nd, dfd, name->name);
    if (!err) err = link_path_walk(name->name, &nd);
    if (!err) {
        *parent = nd.path;
        nd.path = {};
        *last = nd.last;  // points into name, which the caller keeps
        *type = nd.type;
        if (trailing_slash) *trailing_slash = nd.flags & LOOKUP_DIRECTORY;
    }
    terminate_walk(&nd);
    return err;
}

Result<dentry*> lookup_one_qstr(const qstr* name, dentry* base, unsigned flags) {
    if (dentry* d = lookup_dcache(name, base, flags)) return d;
    inode* dir = base->d_inode;
    if (dir->i_flags & S_DEAD) return Error{ENOENT};  // a removed directory gets no new names
    if (!dir->i_op->lookup) return Error{ENOTDIR};
    dentry* d = d_alloc(base, name);
    if (!d) return Error{ENOMEM};
    Result<dentry*> r = dir->i_op->lookup(dir, d, flags);
    if (r.is_error()) {
        dput(d);
        return r;
    }
    if (r.value()) {
        dput(d);
        return r.value();
    }
    return d;
}

Result<dentry*> lookup_one_len(const char* name, dentry* base, int len) {
    if (len <= 0 || unsigned(len) > NAME_MAX) return Error{len <= 0 ? EACCES : ENAMETOOLONG};
    for (int i = 0; i < len; i++)
        if (name[i] == '/' || !name[i]) return Error{EACCES};
    qstr q = {name, unsigned(len), 0};
    return lookup_one_qstr(&q, base, 0);
}

// ---- open(2)'s walk (Linux's path_openat) ----

int build_open_flags(int flags, umode_t mode, open_flags* op) {
    int acc = flags & O_ACCMODE;
    // Creating a directory through open is meaningless: Linux refuses the pair.
    if ((flags & O_CREAT) && (flags & O_DIRECTORY) && !(flags & __O_TMPFILE)) return -EINVAL;
    op->open_flag = flags;
    op->mode = (flags & (O_CREAT | __O_TMPFILE)) ? umode_t((mode & S_IALLUGO) | S_IFREG) : 0;
    if (flags & O_PATH) {
        // A handle on the name: no access, no permission checks, no creation.
        op->open_flag = flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        op->acc_mode = 0;
    } else {
        op->acc_mode = (acc == O_RDONLY ? MAY_READ : acc == O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE);
        if (flags & O_TRUNC) op->acc_mode |= MAY_WRITE;
        if (flags & O_APPEND) op->acc_mode |= MAY_APPEND;
    }
    op->lookup_flags = (op->open_flag & O_NOFOLLOW) ? 0u : unsigned(LOOKUP_FOLLOW);
    if (op->open_flag & O_DIRECTORY) op->lookup_flags |= LOOKUP_DIRECTORY;
    if ((op->open_flag & O_CREAT) && (op->open_flag & O_EXCL)) op->lookup_flags &= ~LOOKUP_FOLLOW;
    op->intent = int(LOOKUP_OPEN | ((op->open_flag & O_CREAT) ? unsigned(LOOKUP_CREATE) : 0u));
    return 0;
}

int may_open(const path* p, int acc_mode, int flag) {
    inode* i = p->dentry->d_inode;
    if (!i) return -ENOENT;
    switch (i->i_mode & S_IFMT) {
    case S_IFLNK:
        return -ELOOP;
    case S_IFDIR:
        if (acc_mode & MAY_WRITE) return -EISDIR;
        break;
    case S_IFBLK:
    case S_IFCHR:
        if (p->mnt->mnt_flags & MNT_NODEV) return -EACCES;
        break;
    case S_IFIFO:
    case S_IFSOCK:
        acc_mode &= ~MAY_EXEC;
        break;
    default:
        break;
    }
    // Writing to a file or directory needs a writable mount (devices and FIFOs do not).
    if ((acc_mode & MAY_WRITE) && (S_ISREG(i->i_mode) || S_ISDIR(i->i_mode)) && __mnt_is_readonly(p->mnt))
        return -EROFS;
    int err = inode_permission(i, MAY_OPEN | acc_mode);
    if (err) return err;
    if ((flag & O_NOATIME) && !inode_owner_or_capable(i)) return -EPERM;
    return 0;
}

namespace {

// Creates the regular file nd->last in nd->path (locked by the caller).
int open_create(nameidata* nd, dentry* d, const open_flags* op) {
    umode_t mode = umode_t(op->mode & ~current->fs->umask);
    return vfs_create(nd->path.dentry->d_inode, d, mode, op->open_flag & O_EXCL);
}

// The last component for open: looks it up, creating it for O_CREAT. Sets
// *link to a symlink's text to walk next, like walk_last.
int open_last_lookups(nameidata* nd, const open_flags* op, bool* created, const char** link) {
    *link = nullptr;
    int flag = op->open_flag;
    if (!(flag & O_CREAT)) return walk_last(nd, nd->flags & LOOKUP_FOLLOW, link);
    if (nd->type != LAST_NORM || (nd->flags & LOOKUP_DIRECTORY)) return -EISDIR;  // O_CREAT on "/", "..", "dir/"
    inode* dir = nd->path.dentry->d_inode;
    inode_lock_nested(dir, I_MUTEX_PARENT);
    Result<dentry*> r = lookup_one_qstr(&nd->last, nd->path.dentry, nd->flags);
    if (r.is_error()) {
        inode_unlock(dir);
        return -r.error();
    }
    dentry* d = r.value();
    if (d_is_negative(d)) {
        int err = __mnt_is_readonly(nd->path.mnt) ? -EROFS : open_create(nd, d, op);
        inode_unlock(dir);
        if (err) {
            dput(d);
            return err;
        }
        *created = true;
        path next = {mntget(nd->path.mnt), d};
        set_path(nd, &next);
        return 0;
    }
    inode_unlock(dir);
    if (flag & O_EXCL) {
        dput(d);
        return -EEXIST;
    }
    path next = {mntget(nd->path.mnt), d};
    follow_down(&next);
    if (d_is_symlink(next.dentry) && (nd->flags & LOOKUP_FOLLOW)) {
        Result<const char*> text = get_link(nd, &next);
        path_put(&next);
        if (text.is_error()) return -text.error();
        *link = text.value();
        if (*link) nd->type = LAST_ROOT;
        return 0;
    }
    set_path(nd, &next);
    return 0;
}

Result<file*> path_openat(nameidata* nd, int dfd, const char* name, const open_flags* op) {
    if (op->open_flag & __O_TMPFILE) return Error{EOPNOTSUPP};  // unnamed files: not yet (docs/vfs.md)
    int err = path_init(nd, dfd, name);
    const char* s = name;
    bool created = false;
    while (!err) {
        err = link_path_walk(s, nd);
        if (err) break;
        err = open_last_lookups(nd, op, &created, &s);
        if (err || !s) break;
    }
    if (err) return Error{-err};
    dentry* d = nd->path.dentry;
    if ((nd->flags & LOOKUP_DIRECTORY) && !d_is_dir(d)) return Error{ENOTDIR};
    if (op->open_flag & O_PATH) return dentry_open(&nd->path, op->open_flag, current_cred());
    if ((op->open_flag & O_CREAT) && d_is_dir(d)) return Error{EISDIR};
    int acc = op->acc_mode;
    if (created) acc &= ~(MAY_READ | MAY_WRITE);  // the creator may open what it made, whatever the mode
    err = may_open(&nd->path, acc, op->open_flag);
    if (err) return Error{-err};
    if ((op->open_flag & O_TRUNC) && !created && S_ISREG(d->d_inode->i_mode)) {
        iattr attr{};
        attr.ia_valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME;
        attr.ia_size = 0;
        inode_lock(d->d_inode);
        err = notify_change(d, &attr);
        inode_unlock(d->d_inode);
        if (err) return Error{-err};
    }
    return dentry_open(&nd->path, op->open_flag, current_cred());
}

}  // namespace

Result<file*> do_filp_open(int dfd, filename* name, const open_flags* op) {
    nameidata nd;
    nd_init(&nd, op->lookup_flags);
    Result<file*> f = path_openat(&nd, dfd, name->name, op);
    terminate_walk(&nd);
    return f;
}
