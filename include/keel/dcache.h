// The directory entry cache (Linux's include/linux/dcache.h): a dentry is one
// name in one directory, pointing at an inode (positive) or at nothing
// (negative: the name is known not to exist, so a second lookup need not ask
// the file system). Dentries form the tree of names; the hash table finds a
// child by (parent, name) without asking the file system.
//
// Keel walks paths with references held (Linux's ref-walk); there is no
// RCU-walk. One spinlock, dcache_lock, guards the hash table, every parent's
// d_subdirs list and the LRU of unused dentries; d_count is atomic.
#pragma once
#include <keel/fs.h>

constexpr unsigned DNAME_INLINE_LEN = 40;

struct qstr {
    const char* name;
    unsigned len;
    unsigned hash;
};
unsigned full_name_hash(const void* salt, const char* name, unsigned len);
static inline qstr QSTR_INIT(const char* name, unsigned len) { return {name, len, 0}; }

struct dentry_operations {
    // Is the cached dentry still right? 1 yes, 0 drop it and look up again (procfs: the task is gone).
    int (*d_revalidate)(dentry* d, unsigned flags);
    // Should the last dput free the dentry rather than cache it? (1: free)
    int (*d_delete)(const dentry* d);
    void (*d_release)(dentry* d);
    // The name /proc/PID/fd shows for a file with no path: "pipe:[1234]".
    char* (*d_dname)(dentry* d, char* buf, int buflen);
};

enum : unsigned {
    DCACHE_MOUNTED = 1u << 0,    // something is mounted here
    DCACHE_UNHASHED = 1u << 1,   // not findable by name (deleted or never hashed)
    DCACHE_LRU = 1u << 2,        // on the unused list
    DCACHE_PERSISTENT = 1u << 3, // pinned by the fs (tmpfs keeps its tree in the dcache)
    DCACHE_DIRECTORY_TYPE = 1u << 4,
    DCACHE_DENTRY_CURSOR = 1u << 5,  // a readdir position (libfs) on d_subdirs: not a name, skip it
};

struct dentry {
    Atomic<int> d_count{1};
    unsigned d_flags = 0;
    inode* d_inode = nullptr;  // nullptr: negative
    dentry* d_parent = nullptr;  // itself for a root
    qstr d_name{};
    super_block* d_sb = nullptr;
    const dentry_operations* d_op = nullptr;
    void* d_fsdata = nullptr;
    list_head d_child;    // on d_parent->d_subdirs
    list_head d_subdirs;  // our children
    list_head d_hash;     // hash chain
    list_head d_lru;      // unused-dentry list
    unsigned d_mounted_count = 0;  // mounts on this dentry (DCACHE_MOUNTED while > 0)
    char d_iname[DNAME_INLINE_LEN] = {};  // short names live here
};
static inline bool d_is_negative(const dentry* d) { return d->d_inode == nullptr; }
static inline bool d_really_is_positive(const dentry* d) { return d->d_inode != nullptr; }
static inline inode* d_inode(const dentry* d) { return d->d_inode; }
static inline bool d_is_dir(const dentry* d) { return d->d_inode && (d->d_inode->i_mode & 0170000) == 0040000; }
static inline bool d_is_symlink(const dentry* d) { return d->d_inode && (d->d_inode->i_mode & 0170000) == 0120000; }
static inline bool d_mountpoint(const dentry* d) { return d->d_flags & DCACHE_MOUNTED; }
static inline bool IS_ROOT(const dentry* d) { return d == d->d_parent; }
static inline bool d_unhashed(const dentry* d) { return d->d_flags & DCACHE_UNHASHED; }

extern spinlock_t dcache_lock;

static inline dentry* dget(dentry* d) {
    if (d) d->d_count.fetch_add(1, memory_order::relaxed);
    return d;
}
// Drops a reference; unused dentries stay cached on the LRU (negative ones
// too) unless unhashed or d_delete says otherwise.
void dput(dentry* d);
dentry* dget_parent(dentry* d);

// A new negative, unhashed child of parent named name (copied), or nullptr.
dentry* d_alloc(dentry* parent, const qstr* name);
// A root dentry for a new super block, holding root_inode's reference.
dentry* d_make_root(inode* root_inode);
// A dentry with no parent for pseudo files (pipes, anon inodes).
dentry* d_alloc_pseudo(super_block* sb, const qstr* name);
// Attaches an inode (its reference moves in) to a negative dentry.
void d_instantiate(dentry* d, inode* i);
// d_instantiate (i may be nullptr: negative) and hashes d.
void d_add(dentry* d, inode* i);
void d_rehash(dentry* d);
// The cached child of parent named name with a reference, or nullptr. A
// negative child is returned too: the caller checks d_is_negative.
dentry* d_lookup(const dentry* parent, const qstr* name);
// d_lookup after filling in name->hash.
dentry* d_hash_and_lookup(dentry* parent, qstr* name);
// unlink/rmdir: makes d negative (if unused) or unhashes it.
void d_delete(dentry* d);
void d_drop(dentry* d);
// Moves d under new_parent with target's name; target is unhashed. Caller
// holds s_vfs_rename_mutex.
void d_move(dentry* d, dentry* target);
void d_exchange(dentry* a, dentry* b);
// Drops every unused descendant of parent (procfs after processes exit).
void shrink_dcache_parent(dentry* parent);
void shrink_dcache_sb(super_block* sb);
// Depth-first search of the tree below root, with dcache_lock held by the
// caller: the first dentry match accepts (children before later siblings).
dentry* d_walk_find(dentry* root, bool (*match)(dentry* d));
// Whether d is below (or is) ancestor.
bool is_subdir(dentry* d, dentry* ancestor);
// Number of dentries, for /proc/sys/fs/dentry-state and memory accounting.
long nr_dentries();

// The path of p as seen from root (getcwd, /proc/PID/cwd, /proc/mounts):
// built at the end of buf; returns its start, or an error (ENAMETOOLONG).
// A path not under root is shown from its mount's root; a deleted one gets " (deleted)".
Result<char*> d_path(const path* p, char* buf, int buflen);
// The same from current's root.
Result<char*> d_absolute_path(const path* p, char* buf, int buflen);
// d_path for dentries with d_op->d_dname (pipe:[N]): formats into buf.
char* dynamic_dname(char* buf, int buflen, const char* fmt, ...);
