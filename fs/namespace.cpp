// The mount tree (Linux's fs/namespace.c): mount, bind mounts, move,
// remount, umount2, pivot_root, and the lookups path walks make when they
// cross a mount point.
//
// Keel has one mount namespace. Every mount is private: there is no mount
// propagation, so MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE are accepted and
// change nothing. namespace_sem serializes changes to the tree; mount_lock
// guards the hash that path walks read.
#include <keel/fs_struct.h>
#include <keel/namei.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <keel/shmem_fs.h>
#include <keel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>
#include <uapi/linux/fcntl.h>

spinlock_t mount_lock{"mount_lock"};

namespace {

DEFINE_MUTEX(namespace_sem);
constexpr unsigned MOUNT_HASH_SIZE = 256;
list_head mount_hashtable[MOUNT_HASH_SIZE];  // each bucket starts empty (list_head links to itself)
LIST_HEAD(ns_list);  // the namespace's mounts in mount order
mount* ns_root;
Atomic<int> last_mnt_id{0};

// mount(2) flags (include/uapi/linux/mount.h).
enum : unsigned long {
    MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16, MS_REMOUNT = 32,
    MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024, MS_NODIRATIME = 2048,
    MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768, MS_UNBINDABLE = 1 << 17,
    MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21,
    MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25,
    MS_MGC_MSK = 0xffff0000, MS_MGC_VAL = 0xC0ED0000,
};
enum : int { MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8 };

list_head* m_hash(const vfsmount* mnt, const dentry* d) {
    unsigned long h = (reinterpret_cast<unsigned long>(mnt) ^ reinterpret_cast<unsigned long>(d)) >> 5;
    return &mount_hashtable[(h * 0x9e3779b97f4a7c15ul) >> 56];
}

mount* alloc_vfsmnt(const char* name) {
    void* mem = kzalloc(sizeof(mount), GFP_KERNEL);
    if (!mem) return nullptr;
    mount* m = new (mem) mount;
    INIT_LIST_HEAD(&m->mnt_hash);
    INIT_LIST_HEAD(&m->mnt_mounts);
    INIT_LIST_HEAD(&m->mnt_child);
    INIT_LIST_HEAD(&m->mnt_list);
    m->mnt_parent = m;
    m->mnt_id = last_mnt_id.fetch_add(1, memory_order::relaxed) + 1;
    size_t len = strlen(name ? name : "none") + 1;
    char* copy = static_cast<char*>(kmalloc(len, GFP_KERNEL));
    if (!copy) {
        kfree(m);
        return nullptr;
    }
    memcpy(copy, name ? name : "none", len);
    m->mnt_devname = copy;
    return m;
}

void free_vfsmnt(mount* m) {
    dput(m->mnt.mnt_root);
    deactivate_super(m->mnt.mnt_sb);
    kfree(m->mnt_devname);
    m->~mount();
    kfree(m);
}

// Attaches m at mountpoint (in parent) and puts it on the namespace list.
// Called with namespace_sem held; takes a reference on the mountpoint.
void attach_mnt(mount* m, mount* parent, dentry* mountpoint) {
    Guard<NoIrqSave> guard(mount_lock);
    m->mnt_parent = parent;
    m->mnt_mountpoint = dget(mountpoint);
    mountpoint->d_mounted_count++;
    mountpoint->d_flags |= DCACHE_MOUNTED;
    list_add_tail(&m->mnt_hash, m_hash(&parent->mnt, mountpoint));
    list_add_tail(&m->mnt_child, &parent->mnt_mounts);
    list_add_tail(&m->mnt_list, &ns_list);
    mntget(&parent->mnt);
}

// Undoes attach_mnt; the caller drops the returned mountpoint and parent.
void detach_mnt(mount* m, path* old) {
    Guard<NoIrqSave> guard(mount_lock);
    old->mnt = &m->mnt_parent->mnt;
    old->dentry = m->mnt_mountpoint;
    dentry* mp = m->mnt_mountpoint;
    if (--mp->d_mounted_count == 0) mp->d_flags &= ~DCACHE_MOUNTED;
    list_del_init(&m->mnt_hash);
    list_del_init(&m->mnt_child);
    list_del_init(&m->mnt_list);
    m->mnt_parent = m;
    m->mnt_mountpoint = m->mnt.mnt_root;
}

int ms_to_mnt_flags(unsigned long ms) {
    int f = 0;
    if (ms & MS_RDONLY) f |= MNT_READONLY;
    if (ms & MS_NOSUID) f |= MNT_NOSUID;
    if (ms & MS_NODEV) f |= MNT_NODEV;
    if (ms & MS_NOEXEC) f |= MNT_NOEXEC;
    if (ms & MS_NOATIME) f |= MNT_NOATIME;
    if (ms & MS_NODIRATIME) f |= MNT_NODIRATIME;
    if (!(ms & (MS_NOATIME | MS_STRICTATIME))) f |= MNT_RELATIME;  // Linux's default
    return f;
}

// Copies m (sharing its super block) for a bind mount, rooted at root.
mount* clone_mnt(mount* old, dentry* root) {
    mount* m = alloc_vfsmnt(old->mnt_devname);
    if (!m) return nullptr;
    m->mnt.mnt_sb = old->mnt.mnt_sb;
    m->mnt.mnt_sb->s_active.fetch_add(1, memory_order::relaxed);
    m->mnt.mnt_root = dget(root);
    m->mnt.mnt_flags = old->mnt.mnt_flags;
    m->mnt_mountpoint = m->mnt.mnt_root;
    return m;
}

bool is_mount_root(const path* p) { return p->dentry == p->mnt->mnt_root; }
bool in_namespace(mount* m) { return !list_empty(&m->mnt_list); }

// mount --bind (and --rbind: MS_REC copies the mounts below as well).
long do_loopback(path* target, const char* old_name, bool recurse) {
    path old;
    int err = kern_path(old_name, LOOKUP_FOLLOW, &old);
    if (err) return err;
    MutexGuard guard(&namespace_sem);
    mount* src = real_mount(old.mnt);
    if (d_is_dir(old.dentry) != d_is_dir(target->dentry)) {  // a directory only on a directory, a file on a file
        path_put(&old);
        return -ENOTDIR;
    }
    mount* top = clone_mnt(src, old.dentry);
    long ret = top ? 0 : -ENOMEM;
    if (top) {
        attach_mnt(top, real_mount(target->mnt), target->dentry);
        if (recurse) {
            // Children of src that lie under the bound directory, cloned in
            // mount order onto the matching dentries of the copy. (One level
            // per pass over the list keeps parents attached before children.)
            list_head* pos;
            for (pos = src->mnt_mounts.next; pos != &src->mnt_mounts; pos = pos->next) {
                mount* child = container_of(pos, mount, mnt_child);
                if (!is_subdir(child->mnt_mountpoint, old.dentry)) continue;
                mount* copy = clone_mnt(child, child->mnt.mnt_root);
                if (!copy) break;
                attach_mnt(copy, top, child->mnt_mountpoint);
            }
        }
    }
    path_put(&old);
    return ret;
}

long do_move_mount(path* target, const char* old_name) {
    path old;
    int err = kern_path(old_name, LOOKUP_FOLLOW, &old);
    if (err) return err;
    long ret = 0;
    {
        MutexGuard guard(&namespace_sem);
        mount* m = real_mount(old.mnt);
        if (!is_mount_root(&old) || m == ns_root || !in_namespace(m)) ret = -EINVAL;
        else if (is_subdir(target->dentry, old.dentry) && target->mnt == old.mnt) ret = -ELOOP;
        if (!ret) {
            path parent;
            detach_mnt(m, &parent);
            attach_mnt(m, real_mount(target->mnt), target->dentry);
            dput(parent.dentry);
            mntput(parent.mnt);
        }
    }
    path_put(&old);
    return ret;
}

long do_remount(path* p, unsigned long ms_flags, void* data) {
    if (!is_mount_root(p)) return -EINVAL;
    MutexGuard guard(&namespace_sem);
    mount* m = real_mount(p->mnt);
    int mnt_flags = ms_to_mnt_flags(ms_flags);
    if (!(ms_flags & MS_BIND)) {
        super_block* sb = m->mnt.mnt_sb;
        int sb_flags = int(ms_flags & MS_RDONLY);
        if (sb->s_op && sb->s_op->remount_fs) {
            int err = sb->s_op->remount_fs(sb, &sb_flags, static_cast<char*>(data));
            if (err) return err;
        }
        sb->s_flags = (sb->s_flags & ~SB_RDONLY) | (unsigned long)(sb_flags & SB_RDONLY);
    }
    m->mnt.mnt_flags = mnt_flags;
    return 0;
}

long do_new_mount(path* target, const char* type, unsigned long ms_flags, const char* name, void* data) {
    if (!type || !*type) return -EINVAL;
    file_system_type* fs = get_fs_type(type);
    if (!fs) return -ENODEV;
    if (!d_is_dir(target->dentry)) return -ENOTDIR;  // file systems have directory roots
    Result<vfsmount*> mnt = vfs_kern_mount(fs, int(ms_flags & (MS_RDONLY | MS_SILENT)), name, data);
    if (mnt.is_error()) return -mnt.error();
    mnt.value()->mnt_flags = ms_to_mnt_flags(ms_flags);
    MutexGuard guard(&namespace_sem);
    attach_mnt(real_mount(mnt.value()), real_mount(target->mnt), target->dentry);
    return 0;
}

// pivot_root moves every process whose root or working directory is the old
// root to the new one (Linux's chroot_fs_refs).
void chroot_fs_refs(const path* old_root, const path* new_root) {
    Guard<IrqSave> tasks(tasklist_lock);
    for_each_process(p) for_each_thread(p, t) {
        fs_struct* fs = t->fs;
        if (!fs) continue;
        Guard<NoIrqSave> guard(fs->lock);
        // pivot_root's caller holds its own reference on the old root, so
        // these puts never free anything under the spinlocks.
        if (path_equal(&fs->root, old_root)) {
            path_get(new_root);
            path_put(&fs->root);
            fs->root = *new_root;
        }
        if (path_equal(&fs->pwd, old_root)) {
            path_get(new_root);
            path_put(&fs->pwd);
            fs->pwd = *new_root;
        }
    }
}

}  // namespace

vfsmount* mntget(vfsmount* m) {
    if (m) real_mount(m)->mnt_count.fetch_add(1, memory_order::relaxed);
    return m;
}

void mntput(vfsmount* m) {
    if (!m) return;
    mount* r = real_mount(m);
    if (r->mnt_count.fetch_sub(1, memory_order::acq_rel) == 1) free_vfsmnt(r);
}

Result<vfsmount*> vfs_kern_mount(file_system_type* type, int flags, const char* name, void* data) {
    mount* m = alloc_vfsmnt(name);
    if (!m) return Error{ENOMEM};
    Result<dentry*> root = type->mount(type, flags, name, data);
    if (root.is_error()) {
        kfree(m->mnt_devname);
        kfree(m);
        return Error{root.error()};
    }
    m->mnt.mnt_root = root.value();
    m->mnt.mnt_sb = root.value()->d_sb;
    m->mnt_mountpoint = m->mnt.mnt_root;
    return &m->mnt;
}

Result<vfsmount*> kern_mount(file_system_type* fs_type) { return vfs_kern_mount(fs_type, SB_KERNMOUNT, fs_type->name, nullptr); }

vfsmount* lookup_mnt(const path* p) {
    Guard<NoIrqSave> guard(mount_lock);
    list_head* bucket = m_hash(p->mnt, p->dentry);
    // The last mount on a point is on top: walk from the tail.
    for (list_head* pos = bucket->prev; pos != bucket; pos = pos->prev) {
        mount* m = container_of(pos, mount, mnt_hash);
        if (&m->mnt_parent->mnt == p->mnt && m->mnt_mountpoint == p->dentry) return mntget(&m->mnt);
    }
    return nullptr;
}

bool follow_down(path* p) {
    bool moved = false;
    while (d_mountpoint(p->dentry)) {
        vfsmount* m = lookup_mnt(p);
        if (!m) break;
        dput(p->dentry);
        mntput(p->mnt);
        p->mnt = m;
        p->dentry = dget(m->mnt_root);
        moved = true;
    }
    return moved;
}

bool follow_up(path* p) {
    mount* m = real_mount(p->mnt);
    dentry* mountpoint;
    mount* parent;
    {
        Guard<NoIrqSave> guard(mount_lock);
        parent = m->mnt_parent;
        if (parent == m) return false;
        mntget(&parent->mnt);
        mountpoint = dget(m->mnt_mountpoint);
    }
    dput(p->dentry);
    mntput(p->mnt);
    p->mnt = &parent->mnt;
    p->dentry = mountpoint;
    return true;
}

bool path_is_mountpoint(const path* p) {
    vfsmount* m = lookup_mnt(p);
    mntput(m);
    return m != nullptr;
}

long do_mount(const char* dev_name, const char __user* dir_name, const char* type, unsigned long flags, void* data) {
    if (!capable_of(current_cred())) return -EPERM;
    if ((flags & MS_MGC_MSK) == MS_MGC_VAL) flags &= ~MS_MGC_MSK;
    path p;
    int err = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &p);
    if (err) return err;
    follow_down(&p);  // mount on top of whatever is mounted there already
    long ret;
    if (flags & MS_REMOUNT) ret = do_remount(&p, flags, data);
    else if (flags & MS_BIND) ret = dev_name ? do_loopback(&p, dev_name, flags & MS_REC) : -EINVAL;
    else if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) ret = 0;  // no propagation: all private
    else if (flags & MS_MOVE) ret = dev_name ? do_move_mount(&p, dev_name) : -EINVAL;
    else ret = do_new_mount(&p, type, flags, dev_name, data);
    path_put(&p);
    return ret;
}

long path_umount(path* p, int flags) {
    if (!capable_of(current_cred())) return -EPERM;
    if (!is_mount_root(p)) return -EINVAL;
    mount* m = real_mount(p->mnt);
    MutexGuard guard(&namespace_sem);
    if (m == ns_root || !in_namespace(m)) return -EINVAL;
    // Busy: a mount on top of it, or users beyond its attachment and our walk.
    if (!(flags & MNT_DETACH) && (!list_empty(&m->mnt_mounts) || m->mnt_count.load(memory_order::relaxed) > 2))
        return -EBUSY;
    // MNT_DETACH (lazy): the tree goes at once; each mount is freed by its last user.
    while (!list_empty(&m->mnt_mounts)) {
        mount* child = container_of(m->mnt_mounts.next, mount, mnt_child);
        list_head* pos = &child->mnt_mounts;
        while (!list_empty(pos)) {  // descend to a leaf
            child = container_of(pos->next, mount, mnt_child);
            pos = &child->mnt_mounts;
        }
        path old;
        detach_mnt(child, &old);
        dput(old.dentry);
        mntput(old.mnt);
        mntput(&child->mnt);  // the attachment's reference
    }
    path old;
    detach_mnt(m, &old);
    dput(old.dentry);
    mntput(old.mnt);
    mntput(&m->mnt);
    return 0;
}

long sys_mount(char __user* dev_name, char __user* dir_name, char __user* type, unsigned long flags,
               void __user* data) {
    // Strings are copied in; data is a page of options (NUL-terminated by us).
    auto copy_string = [](const char __user* u, char** out) -> long {
        *out = nullptr;
        if (!u) return 0;
        char* k = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
        if (!k) return -ENOMEM;
        long len = strncpy_from_user(k, u, PATH_MAX);
        if (len < 0 || len == PATH_MAX) {
            kfree(k);
            return len < 0 ? len : -ENAMETOOLONG;
        }
        *out = k;
        return 0;
    };
    char *kdev, *ktype, *kdata;
    long err = copy_string(dev_name, &kdev);
    if (err) return err;
    err = copy_string(type, &ktype);
    if (!err) err = copy_string(static_cast<const char __user*>(data), &kdata);
    if (!err) {
        err = do_mount(kdev, dir_name, ktype, flags, kdata);
        kfree(kdata);
    }
    kfree(ktype);
    kfree(kdev);
    return err;
}

long sys_umount(char __user* name, int flags) {
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -EINVAL;
    if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH))) return -EINVAL;
    path p;
    int err = user_path_at(AT_FDCWD, name, (flags & UMOUNT_NOFOLLOW) ? 0u : unsigned(LOOKUP_FOLLOW), &p);
    if (err) return err;
    long ret = path_umount(&p, flags);
    path_put(&p);
    return ret;
}

long do_pivot_root(const path* new_root, const path* put_old) {
    if (!capable_of(current_cred())) return -EPERM;
    path root;
    get_fs_root(current->fs, &root);
    long ret = 0;
    {
        MutexGuard guard(&namespace_sem);
        mount* new_mnt = real_mount(new_root->mnt);
        mount* root_mnt = real_mount(root.mnt);
        if (!d_is_dir(new_root->dentry) || !d_is_dir(put_old->dentry)) ret = -ENOTDIR;
        else if (!is_mount_root(new_root) || new_mnt == root_mnt || !is_mount_root(&root) || !in_namespace(new_mnt))
            ret = -EINVAL;
        // put_old must be at or under new_root, and neither may be the current root.
        else if (!is_subdir(put_old->dentry, new_root->dentry) || path_equal(put_old, &root)) ret = -EINVAL;
        if (!ret) {
            path parent;
            detach_mnt(new_mnt, &parent);
            // The old root goes to put_old (inside the new root); the new one
            // becomes the namespace root.
            if (root_mnt == ns_root) {
                list_del_init(&root_mnt->mnt_list);
                ns_root = new_mnt;
                list_add(&new_mnt->mnt_list, &ns_list);
            } else {
                path old_parent;
                detach_mnt(root_mnt, &old_parent);
                attach_mnt(new_mnt, real_mount(old_parent.mnt), old_parent.dentry);
                dput(old_parent.dentry);
                mntput(old_parent.mnt);
            }
            attach_mnt(root_mnt, real_mount(put_old->mnt), put_old->dentry);
            dput(parent.dentry);
            mntput(parent.mnt);
        }
    }
    if (!ret) {
        // Every process rooted or sitting in the old root moves (chroot_fs_refs).
        path new_path = {new_root->mnt, new_root->dentry};
        chroot_fs_refs(&root, &new_path);
    }
    path_put(&root);
    return ret;
}

long sys_pivot_root(const char __user* new_root, const char __user* put_old) {
    path n, o;
    int err = user_path_at(AT_FDCWD, new_root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &n);
    if (err) return err;
    err = user_path_at(AT_FDCWD, put_old, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &o);
    if (err) {
        path_put(&n);
        return err;
    }
    long ret = do_pivot_root(&n, &o);
    path_put(&o);
    path_put(&n);
    return ret;
}

void iterate_mounts(void (*fn)(mount* m, void* arg), void* arg) {
    MutexGuard guard(&namespace_sem);
    list_head* pos;
    for (pos = ns_list.next; pos != &ns_list; pos = pos->next) fn(container_of(pos, mount, mnt_list), arg);
}

void get_fs_root_of_namespace(path* root) {
    root->mnt = mntget(&ns_root->mnt);
    root->dentry = dget(ns_root->mnt.mnt_root);
}

void init_mount_tree() {
    file_system_type* rootfs = get_fs_type("rootfs");
    if (!rootfs) panic("VFS: rootfs is not registered");
    Result<vfsmount*> m = vfs_kern_mount(rootfs, 0, "rootfs", nullptr);
    if (m.is_error()) panic("VFS: cannot mount rootfs (error %d)", m.error());
    m.value()->mnt_flags = MNT_RELATIME;
    ns_root = real_mount(m.value());
    list_add(&ns_root->mnt_list, &ns_list);
    path root;
    get_fs_root_of_namespace(&root);
    set_fs_root(current->fs, &root);
    set_fs_pwd(current->fs, &root);
    path_put(&root);
}

void vfs_caches_init() {
    init_rootfs();
    init_mount_tree();
}
