// Inodes (Linux's fs/inode.c): allocation, reference counting and the
// attribute helpers every file system shares.
//
// Keel keeps no inode hash: every inode is reachable only through dentries
// and open files, so the last iput always evicts it (Linux does the same for
// unhashed inodes: generic_drop_inode). A tmpfs file's dentry holds its inode
// until unlink; procfs and pipefs inodes die with their last user.
#include <keel/dcache.h>
#include <keel/mount.h>
#include <keel/sched.h>
#include <keel/timekeeping.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

unsigned long get_next_ino() {
    static Atomic<unsigned long> last_ino{0};
    return last_ino.fetch_add(1, memory_order::relaxed) + 1;
}

namespace {
// What an inode does before its file system says otherwise: nothing (Linux's
// empty_iops), so callers never test i_op for nullptr.
const inode_operations empty_iops = {};
}  // namespace

inode* new_inode(super_block* sb) {
    void* mem = kmalloc(sizeof(inode), GFP_KERNEL);
    if (!mem) return nullptr;
    inode* i = new (mem) inode;
    i->i_sb = sb;
    i->i_op = &empty_iops;
    i->i_ino = get_next_ino();
    i->i_data.host = i;
    i->i_mapping = &i->i_data;
    i->i_atime = i->i_mtime = i->i_ctime = current_time(i);
    Guard<NoIrqSave> guard(sb->s_inode_list_lock);
    list_add(&i->i_sb_list, &sb->s_inodes);
    return i;
}

void ihold(inode* i) { i->i_count.fetch_add(1, memory_order::relaxed); }

namespace {

void evict(inode* i) {
    super_block* sb = i->i_sb;
    {
        Guard<NoIrqSave> guard(sb->s_inode_list_lock);
        list_del(&i->i_sb_list);
    }
    if (sb->s_op && sb->s_op->evict_inode) sb->s_op->evict_inode(i);
    truncate_inode_pages(&i->i_data, 0);
    if (sb->s_op && sb->s_op->free_inode) {
        sb->s_op->free_inode(i);
        return;
    }
    i->~inode();
    kfree(i);
}

}  // namespace

void iput(inode* i) {
    if (!i) return;
    if (i->i_count.fetch_sub(1, memory_order::acq_rel) == 1) evict(i);
}

timespec64 current_time(const inode* i) {
    timespec64 now = ktime_get_real_ts64();
    u64 gran = i->i_sb ? i->i_sb->s_time_gran : 1;
    if (gran > 1) now.tv_nsec -= now.tv_nsec % long(gran);
    return now;
}

void set_nlink(inode* i, unsigned n) { i->i_nlink = n; }
void inc_nlink(inode* i) { i->i_nlink++; }
void drop_nlink(inode* i) {
    if (i->i_nlink) i->i_nlink--;
}
void clear_nlink(inode* i) { i->i_nlink = 0; }

void i_size_write(inode* i, loff_t size) { __atomic_store_n(&i->i_size, size, __ATOMIC_RELAXED); }

void inode_init_owner(inode* i, const inode* dir, umode_t mode) {
    const cred* c = current_cred();
    i->i_uid = c->fsuid;
    if (dir && (dir->i_mode & S_ISGID)) {
        i->i_gid = dir->i_gid;
        if (S_ISDIR(mode)) mode |= S_ISGID;  // new directories inherit the setgid bit
    } else {
        i->i_gid = c->fsgid;
    }
    i->i_mode = mode;
}

void file_accessed(file* f) {
    inode* i = file_inode(f);
    if ((i->i_flags & S_NOATIME) || (f->f_flags & O_NOATIME) || (i->i_sb->s_flags & SB_NOATIME)) return;
    if (f->f_path.mnt && (f->f_path.mnt->mnt_flags & MNT_NOATIME)) return;
    // relatime, Linux's default: only when atime is older than mtime or ctime, or a day old.
    timespec64 now = current_time(i);
    auto older = [](const timespec64& a, const timespec64& b) {
        return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
    };
    if (!older(i->i_atime, i->i_mtime) && !older(i->i_atime, i->i_ctime) && now.tv_sec - i->i_atime.tv_sec < 86400)
        return;
    i->i_atime = now;
}

void file_update_time(file* f) {
    inode* i = file_inode(f);
    i->i_mtime = i->i_ctime = current_time(i);
}

// ---- permissions (Linux's generic_permission and inode_permission) ----

namespace {

// The rwx bits that apply to current: owner's, group's, or others'.
int acl_permission_check(const inode* i, int mask) {
    const cred* c = current_cred();
    unsigned mode = i->i_mode;
    if (c->fsuid == i->i_uid) mode >>= 6;
    else if (in_group_p(i->i_gid)) mode >>= 3;
    return (mask & ~int(mode) & (MAY_READ | MAY_WRITE | MAY_EXEC)) ? -EACCES : 0;
}

}  // namespace

int generic_permission(inode* i, int mask) {
    int ret = acl_permission_check(i, mask);
    if (ret != -EACCES) return ret;
    if (!capable_of(current_cred())) return ret;
    // CAP_DAC_OVERRIDE: anything but executing a file no one may execute.
    if (S_ISDIR(i->i_mode)) return 0;
    if (!(mask & MAY_EXEC) || (i->i_mode & 0111)) return 0;
    return -EACCES;
}

int inode_permission(inode* i, int mask) {
    if (mask & MAY_WRITE) {
        super_block* sb = i->i_sb;
        if ((sb->s_flags & SB_RDONLY) && (S_ISREG(i->i_mode) || S_ISDIR(i->i_mode) || S_ISLNK(i->i_mode)))
            return -EROFS;
    }
    if (i->i_op->permission) return i->i_op->permission(i, mask);
    return generic_permission(i, mask);
}

bool inode_owner_or_capable(const inode* i) {
    const cred* c = current_cred();
    return c->fsuid == i->i_uid || capable_of(c);
}

void init_special_inode(inode* i, umode_t mode, dev_t rdev) {
    i->i_mode = mode;
    if (S_ISCHR(mode)) {
        i->i_fop = &def_chr_fops;
        i->i_rdev = rdev;
    } else if (S_ISBLK(mode)) {
        i->i_rdev = rdev;  // no block devices yet: opening one gives ENXIO (no i_fop)
    } else if (S_ISFIFO(mode)) {
        i->i_fop = &pipefifo_fops;
    }
    // Sockets have no file operations of their own: open(2) on one gives ENXIO.
}
