// The virtual file system's objects (Linux's include/linux/fs.h): the super
// block of a mounted file system, the inode (a file's identity and attributes),
// and the open file with its operation tables. Names (dentries) are in
// keel/dcache.h, mounts in keel/mount.h, path walking in keel/namei.h.
//
// Every object is reference-counted. Locking, outermost first:
//   s_vfs_rename_mutex (rename only) > parent i_rwsem > child i_rwsem >
//   dcache_lock (keel/dcache.h) > inode->i_lock
// i_rwsem is a mutex here (Linux's is a rw_semaphore taken shared by lookups).
#pragma once
#include <asm/uaccess.h>
#include <keel/atomic.h>
#include <keel/cred.h>
#include <keel/ktime.h>
#include <keel/mutex.h>
#include <keel/result.h>
#include <keel/spinlock.h>
#include <keel/types.h>
#include <keel/wait.h>
#include <lib/list.h>
#include <lib/xarray.h>

using loff_t = long long;
using umode_t = unsigned short;
using fmode_t = unsigned;
using __poll_t = unsigned;
// A device number inside the kernel: major in the top 12 bits, minor in the
// low 20 (Linux's kdev_t.h); stat() reports it in the "new" encoding.
using dev_t = u32;
constexpr unsigned MINORBITS = 20;
constexpr dev_t MKDEV(unsigned ma, unsigned mi) { return dev_t(ma) << MINORBITS | mi; }
constexpr unsigned MAJOR(dev_t dev) { return dev >> MINORBITS; }
constexpr unsigned MINOR(dev_t dev) { return dev & ((1u << MINORBITS) - 1); }
constexpr u32 new_encode_dev(dev_t dev) { return (MINOR(dev) & 0xff) | MAJOR(dev) << 8 | (MINOR(dev) & ~0xffu) << 12; }
constexpr dev_t new_decode_dev(u32 dev) { return MKDEV((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00)); }

constexpr unsigned PATH_MAX = 4096;  // including the NUL
constexpr unsigned NAME_MAX = 255;
constexpr unsigned MAX_NESTED_LINKS = 40;  // symlinks followed in one walk before ELOOP

enum : int { SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4 };

// f_mode: what an open file may do (derived from O_ACCMODE at open).
enum : fmode_t {
    FMODE_READ = 0x1, FMODE_WRITE = 0x2,
    FMODE_LSEEK = 0x4, FMODE_PREAD = 0x8, FMODE_PWRITE = 0x10,  // the file has positions
    FMODE_EXEC = 0x20,
    FMODE_PATH = 0x4000,  // O_PATH: a handle on the name only
    FMODE_ATOMIC_POS = 0x8000,  // read/write take f_pos_lock (regular files, dirs)
};

// Permission requests (inode_permission's mask).
enum : int { MAY_EXEC = 0x1, MAY_WRITE = 0x2, MAY_READ = 0x4, MAY_APPEND = 0x8, MAY_ACCESS = 0x10,
             MAY_OPEN = 0x20, MAY_CHDIR = 0x40, MAY_NOT_BLOCK = 0x80 };

struct dentry;
struct file;
struct file_operations;
struct inode;
struct super_block;
struct vfsmount;
struct vm_area_struct;
struct poll_table_struct;
struct kstatfs;
struct page;

struct path {
    vfsmount* mnt = nullptr;
    struct dentry* dentry = nullptr;
};
void path_get(const path* p);
void path_put(const path* p);
static inline bool path_equal(const path* a, const path* b) { return a->mnt == b->mnt && a->dentry == b->dentry; }

// ---- I/O descriptors (Linux's uio.h and kiocb) ----
// An iov_iter describes where a read's bytes go or a write's come from: user
// segments (read(2), readv(2)) or kernel ones (exec, sendfile, kernel_read), so
// one read_iter serves every caller.
struct iovec;
struct kvec {
    void* iov_base;
    size_t iov_len;
};
enum iter_type : unsigned char { ITER_IOVEC, ITER_KVEC };
enum : int { READ = 0, WRITE = 1 };  // iov_iter direction: data into the iter (READ) or out of it
struct iov_iter {
    iter_type type;
    unsigned char data_source;  // WRITE: the iter supplies data
    size_t iov_offset;          // into the current segment
    size_t count;               // bytes left in all segments
    union {
        const iovec* iov;
        const struct kvec* kvec;
    };
    unsigned long nr_segs;
};
void iov_iter_init(iov_iter* i, int direction, const iovec* iov, unsigned long nr_segs, size_t count);
void iov_iter_kvec(iov_iter* i, int direction, const kvec* kvec, unsigned long nr_segs, size_t count);
// Copy into/out of the iter, advancing it; they return the bytes moved, which
// is short when a user page faults.
size_t copy_to_iter(const void* addr, size_t bytes, iov_iter* i);
size_t copy_from_iter(void* addr, size_t bytes, iov_iter* i);
size_t copy_page_to_iter(page* p, size_t offset, size_t bytes, iov_iter* i);
size_t copy_page_from_iter(page* p, size_t offset, size_t bytes, iov_iter* i);
size_t iov_iter_zero(size_t bytes, iov_iter* i);
void iov_iter_advance(iov_iter* i, size_t bytes);
static inline size_t iov_iter_count(const iov_iter* i) { return i->count; }

enum : int { IOCB_APPEND = 0x1, IOCB_NOWAIT = 0x2, IOCB_DSYNC = 0x4 };
struct kiocb {
    file* ki_filp;
    loff_t ki_pos;
    int ki_flags;
};

// ---- the page store of an inode (Linux's address_space, without writeback) ----
// Pages by index in a radix tree (lib/xarray.h). tmpfs, ramfs, memfd and
// pipes-to-be-spliced keep their data here; MAP_SHARED maps these pages.
struct address_space {
    inode* host = nullptr;
    xarray i_pages;  // page index -> struct page*
    spinlock_t i_pages_lock{"address_space.i_pages_lock"};
    unsigned long nrpages = 0;
    // The VMAs mapping these pages (vm_area_struct::shared), so truncation can
    // unmap what lies past the new end (mm/truncate.cpp). Linux keeps an
    // interval tree; a list is walked whole.
    list_head i_mmap;
    spinlock_t i_mmap_lock{"address_space.i_mmap_lock"};
};
// The page at index with a reference, or nullptr.
page* find_get_page(address_space* mapping, unsigned long index);
// The page at index with a reference, allocated zeroed if absent; nullptr on
// OOM or when the file system is full (page_cache_full tells which).
page* find_or_create_page(address_space* mapping, unsigned long index);
bool page_cache_full(const address_space* mapping);
// Drops every page from index `start` on (truncate).
void truncate_inode_pages(address_space* mapping, loff_t lstart);

// ---- inodes ----
struct iattr {
    unsigned ia_valid;  // ATTR_*
    umode_t ia_mode;
    kuid_t ia_uid;
    kgid_t ia_gid;
    loff_t ia_size;
    timespec64 ia_atime, ia_mtime, ia_ctime;
};
enum : unsigned {
    ATTR_MODE = 1u << 0, ATTR_UID = 1u << 1, ATTR_GID = 1u << 2, ATTR_SIZE = 1u << 3,
    ATTR_ATIME = 1u << 4, ATTR_MTIME = 1u << 5, ATTR_CTIME = 1u << 6,
    ATTR_ATIME_SET = 1u << 7, ATTR_MTIME_SET = 1u << 8, ATTR_FORCE = 1u << 9,
    ATTR_KILL_SUID = 1u << 11, ATTR_KILL_SGID = 1u << 12,
    ATTR_TIMES_SET = 1u << 16,  // utimensat with explicit times (even UTIME_NOW/UTIME_OMIT): owner only
    ATTR_TOUCH = 1u << 17,  // utimensat(NULL): write permission suffices
};

// What statx/stat report (Linux's struct kstat).
struct kstat {
    u32 result_mask;  // STATX_* filled in
    umode_t mode;
    unsigned nlink;
    u32 blksize;
    u64 attributes, attributes_mask;
    u64 ino;
    dev_t dev, rdev;
    kuid_t uid;
    kgid_t gid;
    loff_t size;
    timespec64 atime, mtime, ctime, btime;
    u64 blocks;  // 512-byte units
};

struct inode_operations {
    // Fills in d (a negative dentry) if the name exists: d_add(d, inode or nullptr).
    // May return another dentry to use instead, or an error; nullptr otherwise.
    Result<dentry*> (*lookup)(inode* dir, dentry* d, unsigned flags);
    // A symlink's target text (built in buf if need be, PATH_MAX bytes), or
    // nullptr after nd_jump_link moved the walk itself (procfs's magic links).
    Result<const char*> (*get_link)(dentry* d, inode* inode, char* buf);
    int (*permission)(inode* inode, int mask);
    int (*readlink)(dentry* d, char __user* buf, int buflen);
    int (*create)(inode* dir, dentry* d, umode_t mode, bool excl);
    int (*link)(dentry* old_dentry, inode* dir, dentry* d);
    int (*unlink)(inode* dir, dentry* d);
    int (*symlink)(inode* dir, dentry* d, const char* target);
    int (*mkdir)(inode* dir, dentry* d, umode_t mode);
    int (*rmdir)(inode* dir, dentry* d);
    int (*mknod)(inode* dir, dentry* d, umode_t mode, dev_t dev);
    int (*rename)(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry, unsigned flags);
    int (*setattr)(dentry* d, iattr* attr);
    int (*getattr)(const path* p, kstat* stat, u32 request_mask, unsigned flags);
    int (*tmpfile)(inode* dir, file* f, umode_t mode);
};

enum : unsigned { S_DEAD = 1u << 0, S_NOATIME = 1u << 1, S_PRIVATE = 1u << 2 };  // i_flags

struct inode {
    umode_t i_mode = 0;
    kuid_t i_uid = 0;
    kgid_t i_gid = 0;
    unsigned i_flags = 0;
    const inode_operations* i_op = nullptr;
    super_block* i_sb = nullptr;
    address_space* i_mapping = nullptr;  // &i_data
    unsigned long i_ino = 0;
    unsigned i_nlink = 0;
    dev_t i_rdev = 0;
    loff_t i_size = 0;
    timespec64 i_atime{}, i_mtime{}, i_ctime{};
    u64 i_blocks = 0;
    spinlock_t i_lock{"inode.i_lock"};  // i_size, i_blocks, timestamps when no i_rwsem
    mutex i_rwsem{"inode.i_rwsem"};    // directory contents, file size changes
    Atomic<int> i_count{1};
    Atomic<int> i_writecount{0};  // open for write; < 0: being executed (ETXTBSY)
    const file_operations* i_fop = nullptr;
    address_space i_data;
    list_head i_sb_list;  // on i_sb->s_inodes
    struct pipe_inode_info* i_pipe = nullptr;  // FIFOs and pipes
    const char* i_link = nullptr;  // a symlink's target, when kept in memory
    void* i_private = nullptr;     // the file system's own
};
static inline unsigned iminor(const inode* i) { return MINOR(i->i_rdev); }
static inline unsigned imajor(const inode* i) { return MAJOR(i->i_rdev); }

// Lock classes for nested directory locking (Linux's inode_i_mutex_lock_class).
enum : unsigned { I_MUTEX_NORMAL, I_MUTEX_PARENT, I_MUTEX_CHILD, I_MUTEX_PARENT2 };
static inline void inode_lock(inode* i) { mutex_lock(&i->i_rwsem); }
static inline void inode_unlock(inode* i) { mutex_unlock(&i->i_rwsem); }
static inline void inode_lock_nested(inode* i, unsigned subclass) { mutex_lock_nested(&i->i_rwsem, subclass); }

// A new inode on sb with one reference and a fresh i_ino, or nullptr.
inode* new_inode(super_block* sb);
void ihold(inode* i);
// Drops a reference; the last one with i_nlink == 0 (or on a file system that
// keeps no inodes) evicts it.
void iput(inode* i);
unsigned long get_next_ino();
// Chooses i_fop for device and FIFO inodes (chrdev_open / fifo_open).
void init_special_inode(inode* i, umode_t mode, dev_t rdev);
// mode, uid and gid of a new inode: current's fsuid, the parent's gid if setgid.
void inode_init_owner(inode* i, const inode* dir, umode_t mode);
timespec64 current_time(const inode* i);
void set_nlink(inode* i, unsigned n);
void inc_nlink(inode* i);
void drop_nlink(inode* i);
void clear_nlink(inode* i);
void i_size_write(inode* i, loff_t size);
static inline loff_t i_size_read(const inode* i) { return __atomic_load_n(&i->i_size, __ATOMIC_RELAXED); }
// Marks atime (respecting S_NOATIME) / mtime+ctime as now.
void file_accessed(file* f);
void file_update_time(file* f);

// Permission checks against current's fs credentials.
int generic_permission(inode* i, int mask);
int inode_permission(inode* i, int mask);
bool inode_owner_or_capable(const inode* i);
// Validates attr against current's rights (chmod/chown/utimes rules).
int setattr_prepare(dentry* d, iattr* attr);
// Copies attr into the inode (not the size).
void setattr_copy(inode* i, const iattr* attr);
int notify_change(dentry* d, iattr* attr);
void generic_fillattr(inode* i, kstat* stat);
int vfs_getattr(const path* p, kstat* stat, u32 request_mask, unsigned flags);

// ---- super blocks and file system types ----
struct super_operations {
    void (*evict_inode)(inode* i);    // the last reference to an unlinked inode: free its data
    void (*free_inode)(inode* i);     // release the inode's memory (default: kfree)
    int (*statfs)(dentry* d, kstatfs* buf);
    void (*put_super)(super_block* sb);
    int (*show_options)(char* buf, size_t size, dentry* root);  // for /proc/mounts; bytes written
    int (*remount_fs)(super_block* sb, int* flags, char* data);
};

enum : unsigned long { SB_RDONLY = 1, SB_NOSUID = 2, SB_NODEV = 4, SB_NOEXEC = 8, SB_SYNCHRONOUS = 16,
                       SB_NOATIME = 1024, SB_NODIRATIME = 2048, SB_SILENT = 32768, SB_KERNMOUNT = 1u << 22 };

struct file_system_type;
struct super_block {
    list_head s_list;  // on the list of all super blocks
    dev_t s_dev;        // anonymous device number (0:N) for st_dev
    unsigned long s_blocksize = 4096;
    unsigned char s_blocksize_bits = 12;
    loff_t s_maxbytes = 0x7fffffffffffffffLL;
    file_system_type* s_type = nullptr;
    const super_operations* s_op = nullptr;
    const struct dentry_operations* s_d_op = nullptr;  // default for new dentries
    unsigned long s_flags = 0;
    unsigned long s_magic = 0;
    dentry* s_root = nullptr;
    Atomic<int> s_active{1};  // mounts using it
    // Pages its files hold in the page cache, and the most they may (tmpfs
    // size=; 0: no limit): find_or_create_page refuses a page beyond it.
    Atomic<long> s_nr_pages{0};
    unsigned long s_max_pages = 0;
    list_head s_inodes;       // every inode, for umount (guarded by s_inode_list_lock)
    spinlock_t s_inode_list_lock{"super_block.s_inode_list_lock"};
    mutex s_vfs_rename_mutex{"super_block.s_vfs_rename_mutex"};
    void* s_fs_info = nullptr;
    u64 s_time_gran = 1;
    char s_id[32] = {};
};

enum : int { FS_REQUIRES_DEV = 1, FS_USERNS_MOUNT = 8 };

struct file_system_type {
    const char* name;
    int fs_flags;
    // Makes or finds a super block and returns its root with a reference.
    Result<dentry*> (*mount)(file_system_type* fs_type, int flags, const char* dev_name, void* data);
    void (*kill_sb)(super_block* sb);
    file_system_type* next;
};
int register_filesystem(file_system_type* fs);
file_system_type* get_fs_type(const char* name);
// For /proc/filesystems: writes "nodev\tname\n" lines; returns bytes written.
size_t show_filesystems(char* buf, size_t size);

// A new super block each time (tmpfs, proc, ...): fill_super sets s_root.
Result<dentry*> mount_nodev(file_system_type* fs_type, int flags, void* data,
                            int (*fill_super)(super_block* sb, void* data, int silent));
// One super block shared by every mount (devtmpfs, sysfs's kernfs root).
Result<dentry*> mount_single(file_system_type* fs_type, int flags, void* data,
                             int (*fill_super)(super_block* sb, void* data, int silent));
void kill_anon_super(super_block* sb);
// kill_anon_super after dropping the pinned dentries of a dcache-only fs (tmpfs, ramfs).
void kill_litter_super(super_block* sb);
void deactivate_super(super_block* sb);

// ---- open files ----
// Directory reading: iterate_shared calls dir_emit for each entry from
// ctx->pos on, updating ctx->pos; dir_emit returns false when the buffer is full.
struct dir_context;
using filldir_t = bool (*)(dir_context* ctx, const char* name, int namelen, loff_t offset, u64 ino, unsigned type);
struct dir_context {
    filldir_t actor;
    loff_t pos;
};
enum : unsigned char { DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12 };
static inline unsigned char fs_umode_to_dtype(umode_t mode) { return (mode >> 12) & 15; }
static inline bool dir_emit(dir_context* ctx, const char* name, int namelen, u64 ino, unsigned type) {
    return ctx->actor(ctx, name, namelen, ctx->pos, ino, type);
}
// "." and ".." at positions 0 and 1.
bool dir_emit_dots(file* f, dir_context* ctx);

struct file_operations {
    loff_t (*llseek)(file* f, loff_t offset, int whence);  // nullptr: ESPIPE
    // Plain user-buffer I/O, for devices that want it; read_iter/write_iter are
    // preferred (they also serve readv, pread, sendfile and kernel_read).
    ssize_t (*read)(file* f, char __user* buf, size_t count, loff_t* pos);
    ssize_t (*write)(file* f, const char __user* buf, size_t count, loff_t* pos);
    ssize_t (*read_iter)(kiocb* iocb, iov_iter* to);
    ssize_t (*write_iter)(kiocb* iocb, iov_iter* from);
    int (*iterate_shared)(file* f, dir_context* ctx);
    __poll_t (*poll)(file* f, poll_table_struct* pt);  // nullptr: always readable and writable
    long (*unlocked_ioctl)(file* f, unsigned cmd, unsigned long arg);  // nullptr: ENOTTY
    int (*mmap)(file* f, vm_area_struct* vma);  // nullptr: ENODEV
    int (*open)(inode* i, file* f);
    int (*flush)(file* f);  // every close(2) of a descriptor
    int (*release)(inode* i, file* f);  // the last reference is gone
    int (*fsync)(file* f, loff_t start, loff_t end, int datasync);
    unsigned long (*get_unmapped_area)(file* f, unsigned long addr, unsigned long len, unsigned long pgoff,
                                       unsigned long flags);
    long (*fallocate)(file* f, int mode, loff_t offset, loff_t len);
};

struct file {
    Atomic<long> f_count{1};
    unsigned f_flags = 0;  // O_* given at open (access mode, O_APPEND, O_NONBLOCK...)
    fmode_t f_mode = 0;
    mutex f_pos_lock{"file.f_pos_lock"};
    loff_t f_pos = 0;
    path f_path;
    inode* f_inode = nullptr;
    const file_operations* f_op = nullptr;
    address_space* f_mapping = nullptr;
    const cred* f_cred = nullptr;  // the opener's credentials
    void* private_data = nullptr;
    list_head f_ep;  // the epoll items watching this file (fs/eventpoll.cpp)
};
static inline inode* file_inode(const file* f) { return f->f_inode; }

static inline file* get_file(file* f) {
    f->f_count.fetch_add(1, memory_order::relaxed);
    return f;
}
void fput(file* f);

// Opens path (already walked) as dentry_open does: permission and f_op->open.
Result<file*> dentry_open(const path* p, int flags, const cred* c);
// A file on a pseudo inode with no name in any directory (pipes, eventfd...):
// the inode's reference moves into the file.
Result<file*> alloc_file_pseudo(inode* i, vfsmount* mnt, const char* name, int flags, const file_operations* fop);
// Opens a path by name from the kernel (init's /dev/console, exec).
Result<file*> filp_open(const char* filename, int flags, umode_t mode);
int filp_close(file* f);

// Kernel-buffer I/O on a file (exec, sendfile, coredumps): needs read_iter/write_iter.
ssize_t kernel_read(file* f, void* buf, size_t count, loff_t* pos);
ssize_t kernel_write(file* f, const void* buf, size_t count, loff_t* pos);
ssize_t vfs_read(file* f, char __user* buf, size_t count, loff_t* pos);
ssize_t vfs_write(file* f, const char __user* buf, size_t count, loff_t* pos);
ssize_t vfs_iter_read(file* f, iov_iter* iter, loff_t* pos);
ssize_t vfs_iter_write(file* f, iov_iter* iter, loff_t* pos);
int vfs_fsync(file* f, int datasync);

// Seeking helpers (Linux's generic_file_llseek family).
loff_t generic_file_llseek(file* f, loff_t offset, int whence);
loff_t fixed_size_llseek(file* f, loff_t offset, int whence, loff_t size);
loff_t no_seek_end_llseek(file* f, loff_t offset, int whence);  // SEEK_END: EINVAL
loff_t noop_llseek(file* f, loff_t offset, int whence);
loff_t default_llseek(file* f, loff_t offset, int whence);

// Read and write through the page cache (tmpfs, ramfs, memfd).
ssize_t generic_file_read_iter(kiocb* iocb, iov_iter* to);
ssize_t generic_file_write_iter(kiocb* iocb, iov_iter* from);
int generic_file_mmap(file* f, vm_area_struct* vma);
int noop_fsync(file* f, loff_t start, loff_t end, int datasync);

// ---- libfs: helpers for file systems that live in the dcache ----
extern const file_operations simple_dir_operations;  // dcache_readdir over d_subdirs
extern const inode_operations simple_dir_inode_operations;  // lookup only
extern const inode_operations simple_symlink_inode_operations;  // i_link
Result<dentry*> simple_lookup(inode* dir, dentry* d, unsigned flags);  // negative entry
int simple_link(dentry* old_dentry, inode* dir, dentry* d);
int simple_unlink(inode* dir, dentry* d);
int simple_rmdir(inode* dir, dentry* d);
int simple_rename(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry, unsigned flags);
int simple_setattr(dentry* d, iattr* attr);
int simple_statfs(dentry* d, kstatfs* buf);
bool simple_empty(dentry* d);
int dcache_readdir(file* f, dir_context* ctx);
int dcache_dir_open(inode* i, file* f);
int dcache_dir_close(inode* i, file* f);
loff_t dcache_dir_lseek(file* f, loff_t offset, int whence);
Result<const char*> simple_get_link(dentry* d, inode* i, char* buf);
ssize_t generic_read_dir(file* f, char __user* buf, size_t count, loff_t* pos);  // EISDIR

// ---- character devices (Linux's fs/char_dev.c) ----
extern const file_operations def_chr_fops;  // chrdev_open: finds the driver's fops by i_rdev
extern const file_operations pipefifo_fops;  // fs/pipe.cpp: FIFOs (fifo_open)
// Registers fops for minors [baseminor, baseminor+count) of major; opening a
// device inode with such a number replaces the file's f_op and calls its open.
int register_chrdev_region_fops(unsigned major, unsigned baseminor, unsigned count, const char* name,
                                const file_operations* fops);
// For /proc/devices: "  1 mem" lines; returns bytes written.
size_t show_chrdevs(char* buf, size_t size);

// ---- devtmpfs (drivers/base/devtmpfs.c) ----
// Creates /dev/name (subdirectories as needed) in the one devtmpfs instance,
// which every mount of devtmpfs shows. Callable once vfs_caches_init ran.
int devtmpfs_create_node(const char* name, umode_t mode, dev_t dev, kuid_t uid = 0, kgid_t gid = 0);

// ---- start-up ----
void vfs_caches_init();  // file system types and the root mount (start_kernel)
void devtmpfs_init();    // the /dev instance, before drivers' initcalls (kernel_init)
void populate_rootfs();  // unpacks the initramfs into / (init/populate_rootfs.cpp)
