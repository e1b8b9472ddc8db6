// Path name lookup (Linux's include/linux/namei.h, fs/namei.c): turning a
// string into a (mount, dentry) pair, one component at a time, following
// mounts, "..", and symlinks (at most MAX_NESTED_LINKS per walk).
#pragma once
#include <keel/mount.h>

enum : unsigned {
    LOOKUP_FOLLOW = 0x0001,     // follow a symlink in the last component
    LOOKUP_DIRECTORY = 0x0002,  // the last component must be a directory
    LOOKUP_AUTOMOUNT = 0x0004,
    LOOKUP_EMPTY = 0x4000,      // "" names dfd itself (AT_EMPTY_PATH)
    LOOKUP_PARENT = 0x0010,
    LOOKUP_REVAL = 0x0020,
    LOOKUP_OPEN = 0x0100, LOOKUP_CREATE = 0x0200, LOOKUP_EXCL = 0x0400, LOOKUP_RENAME_TARGET = 0x0800,
    LOOKUP_NO_SYMLINKS = 0x010000, LOOKUP_BENEATH = 0x080000, LOOKUP_IN_ROOT = 0x100000,
};

// A kernel copy of a user path name (Linux's struct filename).
struct filename {
    char* name;  // PATH_MAX bytes, NUL-terminated
    const char __user* uptr;
    Atomic<int> refcnt{1};
};
// ENAMETOOLONG for names of PATH_MAX bytes or more, ENOENT for "" unless
// LOOKUP_EMPTY, EFAULT for bad pointers.
Result<filename*> getname_flags(const char __user* name, unsigned flags);
Result<filename*> getname(const char __user* name);
filename* getname_kernel(const char* name);
void putname(filename* name);

// Walks name from dfd (AT_FDCWD: the cwd) and returns the final path with references.
int filename_lookup(int dfd, filename* name, unsigned flags, path* out);
int user_path_at(int dfd, const char __user* name, unsigned flags, path* out);
int kern_path(const char* name, unsigned flags, path* out);
// The parent directory of name and the last component: for creating or removing it.
enum last_type { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };
// trailing_slash (optional): the name ended in '/'.
int filename_parentat(int dfd, filename* name, unsigned flags, path* parent, qstr* last, last_type* type,
                      bool* trailing_slash = nullptr);
// The cached, still valid child `name` of dir with a reference, or nullptr.
dentry* lookup_dcache(const qstr* name, dentry* dir, unsigned flags);
// Looks last up under the parent (whose i_rwsem the caller holds); a negative
// dentry if absent. Returns a reference.
Result<dentry*> lookup_one_qstr(const qstr* name, dentry* base, unsigned flags);
Result<dentry*> lookup_one_len(const char* name, dentry* base, int len);
// For mkdir/mknod/symlink/link: walks to the parent, locks it, returns a
// negative dentry for the new name (EEXIST if it exists). done_path_create
// unlocks and drops.
Result<dentry*> filename_create(int dfd, filename* name, path* p, unsigned lookup_flags);
Result<dentry*> user_path_create(int dfd, const char __user* pathname, path* p, unsigned lookup_flags);
Result<dentry*> kern_path_create(int dfd, const char* pathname, path* p, unsigned lookup_flags);
void done_path_create(path* p, dentry* d);

// open(2)'s walk: follows O_CREAT/O_EXCL/O_TRUNC/O_NOFOLLOW/O_DIRECTORY rules.
struct open_flags {
    int open_flag;
    umode_t mode;
    int acc_mode;
    int intent;
    unsigned lookup_flags;
};
Result<file*> do_filp_open(int dfd, filename* name, const open_flags* op);
int build_open_flags(int flags, umode_t mode, open_flags* op);

// The vfs_* operations: permission checks and the inode operation, with the
// parent locked by the caller.
int vfs_create(inode* dir, dentry* d, umode_t mode, bool want_excl);
int vfs_mkdir(inode* dir, dentry* d, umode_t mode);
int vfs_mknod(inode* dir, dentry* d, umode_t mode, dev_t dev);
int vfs_symlink(inode* dir, dentry* d, const char* oldname);
int vfs_link(dentry* old_dentry, inode* dir, dentry* new_dentry);
int vfs_rmdir(inode* dir, dentry* d);
int vfs_unlink(inode* dir, dentry* d);
int vfs_rename(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry, unsigned flags);
int vfs_readlink(dentry* d, char __user* buf, int buflen);
// Locks two directories for rename in a deadlock-free order; returns the
// common ancestor trap (or nullptr).
dentry* lock_rename(dentry* p1, dentry* p2);
void unlock_rename(dentry* p1, dentry* p2);

// For a get_link that has no text (/proc/PID/exe, cwd, fd/N): the walk
// continues from p (a reference is taken).
void nd_jump_link(const path* p);
int may_open(const path* p, int acc_mode, int flag);
