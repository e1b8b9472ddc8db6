// Mounts (Linux's include/linux/mount.h and fs/mount.h): a vfsmount attaches
// one file system's tree (mnt_root, in mnt_sb) at a dentry of another mount.
// A path is (mount, dentry): the same dentry can be seen through several mounts
// (bind mounts). Keel has one mount namespace; its tree is guarded by
// namespace_sem (changes) and mount_lock (lookups during path walks).
#pragma once
#include <keel/dcache.h>

enum : int {
    MNT_NOSUID = 0x01, MNT_NODEV = 0x02, MNT_NOEXEC = 0x04, MNT_NOATIME = 0x08, MNT_NODIRATIME = 0x10,
    MNT_RELATIME = 0x20, MNT_READONLY = 0x40,
};

struct vfsmount {
    dentry* mnt_root;
    super_block* mnt_sb;
    int mnt_flags;
};

struct mount {
    mount* mnt_parent;        // itself for the namespace root
    dentry* mnt_mountpoint;   // where we sit in the parent
    vfsmount mnt;
    Atomic<int> mnt_count{1};
    list_head mnt_hash;     // hashed by (parent, mountpoint)
    list_head mnt_mounts;   // our children
    list_head mnt_child;    // on mnt_parent->mnt_mounts
    list_head mnt_list;     // on the namespace's list, in mount order (/proc/mounts)
    const char* mnt_devname;  // "proc", "tmpfs", "/dev/vda"
    int mnt_id;
};
static inline mount* real_mount(vfsmount* m) { return reinterpret_cast<mount*>(reinterpret_cast<char*>(m) - __builtin_offsetof(mount, mnt)); }

// Guards the mount hash and each mount's parent and mountpoint (taken before dcache_lock).
extern spinlock_t mount_lock;

vfsmount* mntget(vfsmount* m);
// Whether writes through m must fail with EROFS: the mount or its super block
// is read-only (Linux's __mnt_is_readonly; Keel keeps no per-mount writer count).
static inline bool __mnt_is_readonly(const vfsmount* m) {
    return (m->mnt_flags & MNT_READONLY) || (m->mnt_sb->s_flags & SB_RDONLY);
}
void mntput(vfsmount* m);
// Mounts a fresh instance of fs_type for the kernel's own use, attached nowhere (pipefs, anon_inodefs).
Result<vfsmount*> kern_mount(file_system_type* fs_type);
Result<vfsmount*> vfs_kern_mount(file_system_type* type, int flags, const char* name, void* data);

// Path-walk helpers: if p is a mount point, moves p to the root of what is
// mounted there (repeatedly); to the mountpoint in the parent for "..".
// They return true when p changed; references are swapped.
bool follow_down(path* p);
bool follow_up(path* p);
// The mount attached at (mnt, dentry), with a reference, or nullptr.
vfsmount* lookup_mnt(const path* p);

// Syscall back ends (fs/namespace.c).
long do_mount(const char* dev_name, const char __user* dir_name, const char* type, unsigned long flags, void* data);
long path_umount(path* p, int flags);
long do_pivot_root(const path* new_root, const path* put_old);

// Iterates the namespace's mounts in mount order (for /proc/mounts and
// /proc/PID/mountinfo), calling fn(mount, arg) under namespace_sem.
void iterate_mounts(void (*fn)(mount* m, void* arg), void* arg);
// Fills root with the namespace root (with references): init's fs_struct.
void init_mount_tree();
void get_fs_root_of_namespace(path* root);
bool path_is_mountpoint(const path* p);
