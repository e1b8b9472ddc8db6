// tmpfs and ramfs (Linux's mm/shmem.c and fs/ramfs/inode.c): file systems
// that live entirely in the page cache and the dentry cache. A file's data is
// its address_space's pages; a directory's contents are its children in the
// dcache, each pinned by an extra reference from creation until unlink. The
// root file system (rootfs) is a tmpfs, as on Linux.
//
// A tmpfs holds at most size= pages (half of RAM by default; writes past it
// get ENOSPC, faults SIGBUS); nr_inodes= is reported but not enforced yet.
// Mount options: size=, nr_inodes=, mode=, uid=, gid=; remount changes them.
#include <keel/dcache.h>
#include <keel/init.h>
#include <keel/mm.h>
#include <keel/mount.h>
#include <keel/panic.h>
#include <keel/shmem_fs.h>
#include <keel/statfs.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

constexpr unsigned long TMPFS_MAGIC = 0x01021994;
constexpr unsigned long RAMFS_MAGIC = 0x858458f6;
// Directories report 20 bytes per entry, like Linux's tmpfs (BOGO_DIRENT_SIZE),
// so `ls -l` shows the same sizes.
constexpr loff_t BOGO_DIRENT_SIZE = 20;

struct shmem_sb_info {
    unsigned long max_blocks;  // size= in pages; 0: unlimited (ramfs)
    unsigned long max_inodes;
    umode_t mode;
    kuid_t uid;
    kgid_t gid;
};

shmem_sb_info* SHMEM_SB(super_block* sb) { return static_cast<shmem_sb_info*>(sb->s_fs_info); }

// A new instance's root: world-writable and sticky for tmpfs, 0755 for ramfs, as Linux.
umode_t default_mode(unsigned long magic) { return magic == TMPFS_MAGIC ? S_ISVTX | S_IRWXUGO : 0755; }

extern const inode_operations shmem_dir_inode_operations;
extern const inode_operations shmem_inode_operations;
extern const inode_operations shmem_special_inode_operations;
extern const file_operations shmem_file_operations;
extern const super_operations shmem_ops;

inode* shmem_get_inode(super_block* sb, const inode* dir, umode_t mode, dev_t dev) {
    inode* i = new_inode(sb);
    if (!i) return nullptr;
    inode_init_owner(i, dir, mode);
    switch (mode & S_IFMT) {
    case S_IFREG:
        i->i_op = &shmem_inode_operations;
        i->i_fop = &shmem_file_operations;
        break;
    case S_IFDIR:
        i->i_op = &shmem_dir_inode_operations;
        i->i_fop = &simple_dir_operations;
        i->i_size = 2 * BOGO_DIRENT_SIZE;
        break;
    case S_IFLNK:
        i->i_op = &simple_symlink_inode_operations;
        break;
    default:
        i->i_op = &shmem_special_inode_operations;
        init_special_inode(i, i->i_mode, dev);
        break;
    }
    set_nlink(i, S_ISDIR(mode) ? 2 : 1);
    return i;
}

// The directory now holds d: pin it, and count the entry in the directory's size.
void pin_new_entry(inode* dir, dentry* d) {
    dget(d);
    d->d_flags |= DCACHE_PERSISTENT;
    dir->i_size += BOGO_DIRENT_SIZE;
    dir->i_mtime = dir->i_ctime = current_time(dir);
}

// The pin goes with the name (simple_unlink and simple_rmdir drop the reference).
void unpin_entry(inode* dir, dentry* d) {
    d->d_flags &= ~DCACHE_PERSISTENT;
    dir->i_size -= BOGO_DIRENT_SIZE;
}

int shmem_mknod(inode* dir, dentry* d, umode_t mode, dev_t dev) {
    inode* i = shmem_get_inode(dir->i_sb, dir, mode, dev);
    if (!i) return -ENOSPC;
    if (S_ISDIR(mode)) inc_nlink(dir);  // the child's ".."
    d_instantiate(d, i);
    pin_new_entry(dir, d);
    return 0;
}

int shmem_create(inode* dir, dentry* d, umode_t mode, bool) { return shmem_mknod(dir, d, mode | S_IFREG, 0); }
int shmem_mkdir(inode* dir, dentry* d, umode_t mode) { return shmem_mknod(dir, d, mode | S_IFDIR, 0); }

int shmem_symlink(inode* dir, dentry* d, const char* target) {
    size_t len = strlen(target);
    if (len + 1 > PAGE_SIZE) return -ENAMETOOLONG;  // a symlink's text is at most one page
    inode* i = shmem_get_inode(dir->i_sb, dir, S_IFLNK | 0777, 0);
    if (!i) return -ENOSPC;
    char* text = static_cast<char*>(kmalloc(len + 1, GFP_KERNEL));
    if (!text) {
        iput(i);
        return -ENOMEM;
    }
    memcpy(text, target, len + 1);
    i->i_link = text;
    i->i_size = loff_t(len);
    d_instantiate(d, i);
    pin_new_entry(dir, d);
    return 0;
}

int shmem_link(dentry* old_dentry, inode* dir, dentry* d) {
    int err = simple_link(old_dentry, dir, d);  // pins d itself
    if (err) return err;
    d->d_flags |= DCACHE_PERSISTENT;
    dir->i_size += BOGO_DIRENT_SIZE;
    return 0;
}

int shmem_unlink(inode* dir, dentry* d) {
    unpin_entry(dir, d);
    return simple_unlink(dir, d);
}

int shmem_rmdir(inode* dir, dentry* d) {
    if (!simple_empty(d)) return -ENOTEMPTY;
    unpin_entry(dir, d);
    return simple_rmdir(dir, d);
}

int shmem_rename2(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry, unsigned flags) {
    bool replaces = d_really_is_positive(new_dentry) && !(flags & RENAME_EXCHANGE);
    int err = simple_rename(old_dir, old_dentry, new_dir, new_dentry, flags);
    if (err || (flags & RENAME_EXCHANGE)) return err;
    // One entry fewer in old_dir; new_dir gains one unless a name was replaced
    // (whose pin simple_rename dropped).
    old_dir->i_size -= BOGO_DIRENT_SIZE;
    if (replaces) new_dentry->d_flags &= ~DCACHE_PERSISTENT;
    else new_dir->i_size += BOGO_DIRENT_SIZE;
    return 0;
}

int shmem_setattr(dentry* d, iattr* attr) {
    inode* i = d->d_inode;
    int err = setattr_prepare(d, attr);
    if (err) return err;
    if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != i_size_read(i)) {
        if (attr->ia_size > i->i_sb->s_maxbytes) return -EFBIG;
        loff_t old = i_size_read(i);
        i_size_write(i, attr->ia_size);
        // Pages past the end go from the cache and from every mapping of them.
        if (attr->ia_size < old) truncate_pagecache(i, attr->ia_size);
        if (!(attr->ia_valid & (ATTR_MTIME | ATTR_CTIME))) i->i_mtime = i->i_ctime = current_time(i);
    }
    setattr_copy(i, attr);
    return 0;
}

long shmem_fallocate(file* f, int mode, loff_t offset, loff_t len) {
    if (mode) return -EOPNOTSUPP;  // punching holes and the like: not yet
    inode* i = file_inode(f);
    loff_t end;
    if (__builtin_add_overflow(offset, len, &end) || end > i->i_sb->s_maxbytes) return -EFBIG;
    // More than the whole file system holds fails at once, as Linux's shmem_fallocate.
    super_block* sb = i->i_sb;
    if (sb->s_max_pages && (unsigned long)((end - (offset & ~loff_t(PAGE_SIZE - 1)) + PAGE_SIZE - 1) >> PAGE_SHIFT) >
                               sb->s_max_pages)
        return -ENOSPC;
    inode_lock(i);
    // Allocate the pages now, so later writes cannot fail for want of memory.
    long err = 0;
    for (loff_t pos = offset & ~loff_t(PAGE_SIZE - 1); pos < end; pos += PAGE_SIZE) {
        page* p = find_or_create_page(i->i_mapping, (unsigned long)(pos >> PAGE_SHIFT));
        if (!p) {
            err = -ENOSPC;
            break;
        }
        put_page(p);
    }
    if (!err && end > i_size_read(i)) i_size_write(i, end);
    i->i_ctime = current_time(i);
    inode_unlock(i);
    return err;
}

int shmem_statfs(dentry* d, kstatfs* buf) {
    super_block* sb = d->d_sb;
    shmem_sb_info* sbinfo = SHMEM_SB(sb);
    buf->f_type = sb->s_magic;
    buf->f_bsize = PAGE_SIZE;
    buf->f_namelen = NAME_MAX;
    if (sbinfo->max_blocks) {
        unsigned long used = (unsigned long)sb->s_nr_pages.load(memory_order::relaxed), inodes = 0;
        {
            Guard<NoIrqSave> guard(sb->s_inode_list_lock);
            list_head* pos;
            for (pos = sb->s_inodes.next; pos != &sb->s_inodes; pos = pos->next) inodes++;
        }
        buf->f_blocks = sbinfo->max_blocks;
        buf->f_bfree = buf->f_bavail = used < sbinfo->max_blocks ? sbinfo->max_blocks - used : 0;
        buf->f_files = sbinfo->max_inodes;
        buf->f_ffree = inodes < sbinfo->max_inodes ? sbinfo->max_inodes - inodes : 0;
    }
    return 0;
}

// Only what differs from the defaults, as Linux's shmem_show_options.
int shmem_show_options(char* buf, size_t size, dentry* root) {
    super_block* sb = root->d_sb;
    shmem_sb_info* sbinfo = SHMEM_SB(sb);
    bool tmpfs = sb->s_magic == TMPFS_MAGIC;
    size_t len = 0;
    if (tmpfs && sbinfo->max_blocks != totalram_pages() / 2)
        len += scnprintf(buf + len, size - len, ",size=%luk", sbinfo->max_blocks * (PAGE_SIZE / 1024));
    if (tmpfs && sbinfo->max_inodes != totalram_pages() / 2)
        len += scnprintf(buf + len, size - len, ",nr_inodes=%lu", sbinfo->max_inodes);
    if (sbinfo->mode != default_mode(sb->s_magic)) len += scnprintf(buf + len, size - len, ",mode=%03o", sbinfo->mode);
    if (sbinfo->uid) len += scnprintf(buf + len, size - len, ",uid=%u", sbinfo->uid);
    if (sbinfo->gid) len += scnprintf(buf + len, size - len, ",gid=%u", sbinfo->gid);
    // Inode numbers are 64-bit (get_next_ino), what Linux's tmpfs calls inode64.
    if (tmpfs) len += scnprintf(buf + len, size - len, ",inode64");
    return int(len);
}

void shmem_evict_inode(inode* i) {
    kfree(i->i_link);
    i->i_link = nullptr;
}

void shmem_put_super(super_block* sb) { kfree(sb->s_fs_info); }

// Parses "size=64m,mode=1777,..." into sbinfo; EINVAL for anything unknown.
int shmem_parse_options(char* data, shmem_sb_info* sbinfo) {
    while (data && *data) {
        char* opt = data;
        char* comma = strchr(data, ',');
        if (comma) *comma = '\0';
        data = comma ? comma + 1 : nullptr;
        if (!*opt) continue;
        char* value = strchr(opt, '=');
        if (value) *value++ = '\0';
        if (!value) return -EINVAL;
        char* end;
        if (strcmp(opt, "size") == 0) {
            size_t len = strlen(value);
            unsigned long long bytes;
            if (len && value[len - 1] == '%') {
                value[len - 1] = '\0';
                Result<unsigned long long> pct = kstrtoull(value, 10);
                if (pct.is_error()) return -EINVAL;
                bytes = totalram_pages() * PAGE_SIZE / 100 * pct.value();
            } else {
                bytes = memparse(value, &end);
                if (*end) return -EINVAL;
            }
            sbinfo->max_blocks = (unsigned long)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
        } else if (strcmp(opt, "nr_inodes") == 0) {
            sbinfo->max_inodes = (unsigned long)memparse(value, &end);
            if (*end) return -EINVAL;
        } else if (strcmp(opt, "mode") == 0) {
            Result<unsigned long> m = kstrtoul(value, 8);
            if (m.is_error()) return -EINVAL;
            sbinfo->mode = umode_t(m.value() & 07777);
        } else if (strcmp(opt, "uid") == 0 || strcmp(opt, "gid") == 0) {
            Result<unsigned long> id = kstrtoul(value, 0);
            if (id.is_error()) return -EINVAL;
            (opt[0] == 'u' ? sbinfo->uid : sbinfo->gid) = unsigned(id.value());
        } else {
            return -EINVAL;
        }
    }
    return 0;
}

int fill_super(super_block* sb, void* data, unsigned long magic) {
    auto* sbinfo = static_cast<shmem_sb_info*>(kzalloc(sizeof(shmem_sb_info), GFP_KERNEL));
    if (!sbinfo) return -ENOMEM;
    sb->s_fs_info = sbinfo;
    sb->s_op = &shmem_ops;
    sb->s_magic = magic;
    sb->s_blocksize = PAGE_SIZE;
    sb->s_blocksize_bits = PAGE_SHIFT;
    sbinfo->mode = default_mode(magic);
    if (magic == TMPFS_MAGIC && !(sb->s_flags & SB_KERNMOUNT)) {
        // Linux's defaults: half of RAM, and as many inodes as half the pages.
        // The kernel's own instances (memfd, devtmpfs) have no limit, as Linux's.
        sbinfo->max_blocks = totalram_pages() / 2;
        sbinfo->max_inodes = totalram_pages() / 2;
    }
    int err = shmem_parse_options(static_cast<char*>(data), sbinfo);
    if (err) return err;
    sb->s_max_pages = sbinfo->max_blocks;
    inode* root = shmem_get_inode(sb, nullptr, S_IFDIR | sbinfo->mode, 0);
    if (!root) return -ENOMEM;
    root->i_uid = sbinfo->uid;
    root->i_gid = sbinfo->gid;
    sb->s_root = d_make_root(root);
    return sb->s_root ? 0 : -ENOMEM;
}

// mount -o remount,size=...: the new options over the old ones.
int shmem_remount(super_block* sb, int*, char* data) {
    shmem_sb_info* sbinfo = SHMEM_SB(sb);
    shmem_sb_info changed = *sbinfo;
    int err = shmem_parse_options(data, &changed);
    if (err) return err;
    if (changed.max_blocks && (unsigned long)sb->s_nr_pages.load(memory_order::relaxed) > changed.max_blocks)
        return -EINVAL;  // smaller than what is stored, as Linux
    *sbinfo = changed;
    sb->s_max_pages = changed.max_blocks;
    return 0;
}

int tmpfs_fill_super(super_block* sb, void* data, int) { return fill_super(sb, data, TMPFS_MAGIC); }
int ramfs_fill_super(super_block* sb, void* data, int) { return fill_super(sb, data, RAMFS_MAGIC); }

Result<dentry*> tmpfs_mount(file_system_type* fs, int flags, const char*, void* data) {
    return mount_nodev(fs, flags, data, tmpfs_fill_super);
}
Result<dentry*> ramfs_mount(file_system_type* fs, int flags, const char*, void* data) {
    return mount_nodev(fs, flags, data, ramfs_fill_super);
}

const inode_operations shmem_dir_inode_operations = {
    .lookup = simple_lookup,
    .create = shmem_create,
    .link = shmem_link,
    .unlink = shmem_unlink,
    .symlink = shmem_symlink,
    .mkdir = shmem_mkdir,
    .rmdir = shmem_rmdir,
    .mknod = shmem_mknod,
    .rename = shmem_rename2,
    .setattr = shmem_setattr,
};

const inode_operations shmem_inode_operations = {
    .setattr = shmem_setattr,
    .getattr = shmem_getattr,
};

const inode_operations shmem_special_inode_operations = {
    .setattr = shmem_setattr,
};

const file_operations shmem_file_operations = {
    .llseek = generic_file_llseek,
    .read_iter = generic_file_read_iter,
    .write_iter = generic_file_write_iter,
    .mmap = generic_file_mmap,
    .fsync = noop_fsync,
    .fallocate = shmem_fallocate,
};

const super_operations shmem_ops = {
    .evict_inode = shmem_evict_inode,
    .statfs = shmem_statfs,
    .put_super = shmem_put_super,
    .show_options = shmem_show_options,
    .remount_fs = shmem_remount,
};

file_system_type rootfs_fs_type = {.name = "rootfs", .mount = tmpfs_mount, .kill_sb = kill_litter_super};
file_system_type tmpfs_fs_type = {.name = "tmpfs", .mount = tmpfs_mount, .kill_sb = kill_litter_super};
file_system_type ramfs_fs_type = {.name = "ramfs", .mount = ramfs_mount, .kill_sb = kill_litter_super};

vfsmount* shm_mnt;  // the internal tmpfs that holds memfd and shmem_file_setup files

// A file with no name in any directory shows as "/NAME (deleted)" in /proc, as on Linux.
char* shmem_dname(dentry* d, char* buf, int buflen) {
    return dynamic_dname(buf, buflen, "/%s (deleted)", d->d_name.name);
}
const dentry_operations anon_shmem_dops = {.d_dname = shmem_dname};

}  // namespace

int shmem_getattr(const path* p, kstat* stat, u32, unsigned) {
    inode* i = p->dentry->d_inode;
    generic_fillattr(i, stat);
    stat->blocks = u64(i->i_mapping->nrpages) * (PAGE_SIZE / 512);
    return 0;
}

void init_rootfs() {
    register_filesystem(&rootfs_fs_type);
    register_filesystem(&tmpfs_fs_type);
    register_filesystem(&ramfs_fs_type);
    Result<vfsmount*> m = kern_mount(&tmpfs_fs_type);
    if (m.is_error()) panic("tmpfs: cannot mount the internal instance (error %d)", m.error());
    shm_mnt = m.value();
}

Result<file*> shmem_file_setup(const char* name, loff_t size, unsigned long) {
    if (size < 0 || size > shm_mnt->mnt_sb->s_maxbytes) return Error{EINVAL};
    inode* i = shmem_get_inode(shm_mnt->mnt_sb, nullptr, umode_t(unsigned(S_IFREG) | S_IRWXUGO), 0);
    if (!i) return Error{ENOSPC};
    i->i_size = size;
    clear_nlink(i);  // it has no name: the last close frees it
    Result<file*> f = alloc_file_pseudo(i, shm_mnt, name, O_RDWR, &shmem_file_operations);
    if (f.is_error()) {
        iput(i);
        return f;
    }
    f.value()->f_path.dentry->d_op = &anon_shmem_dops;
    f.value()->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
    return f;
}
