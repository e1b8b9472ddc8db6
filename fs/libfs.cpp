// Helpers for file systems whose whole tree lives in the dcache (Linux's
// fs/libfs.c): tmpfs, ramfs, devtmpfs and the pseudo file systems. Such a file
// system pins each positive dentry with an extra reference (dget at creation,
// dput at unlink), so the names never leave the cache and the directory's
// d_subdirs list is its contents.
#include <keel/dcache.h>
#include <keel/mm.h>
#include <keel/statfs.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

// A name that counts as an entry: it has an inode and is still hashed (an
// unlinked dentry that someone still holds stays on d_subdirs unhashed).
bool simple_positive(const dentry* d) { return d_really_is_positive(d) && !d_unhashed(d); }

dentry* child_of(list_head* l) { return list_entry(l, dentry, d_child); }

// The count-th positive entry after position p of dir's d_subdirs (p may be
// the list head), with a reference; nullptr past the end. Cursors of other
// readers are skipped. `last` (a reference from a previous call) is dropped.
dentry* scan_positives(dentry* dir, list_head* p, loff_t count, dentry* last) {
    dentry* found = nullptr;
    {
        Guard<NoIrqSave> guard(dcache_lock);
        for (p = p->next; p != &dir->d_subdirs; p = p->next) {
            dentry* d = child_of(p);
            if (d->d_flags & DCACHE_DENTRY_CURSOR || !simple_positive(d)) continue;
            if (--count == 0) {
                found = dget(d);
                break;
            }
        }
    }
    dput(last);
    return found;
}

// Negative dentries of a dcache-only file system are not worth keeping: the
// dcache holds every name, so a miss is already as cheap as a lookup.
int always_delete_dentry(const dentry*) { return 1; }
const dentry_operations simple_dentry_operations = {.d_delete = always_delete_dentry};

// rename(2) with RENAME_EXCHANGE: both names stay; only a directory changing
// parent moves a link count (its "..") from one parent to the other.
int simple_rename_exchange(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry) {
    bool old_is_dir = d_is_dir(old_dentry), new_is_dir = d_is_dir(new_dentry);
    if (old_dir != new_dir && old_is_dir != new_is_dir) {
        inode* from = old_is_dir ? old_dir : new_dir;
        inode* to = old_is_dir ? new_dir : old_dir;
        drop_nlink(from);
        inc_nlink(to);
    }
    timespec64 now = current_time(old_dir);
    old_dir->i_ctime = old_dir->i_mtime = new_dir->i_ctime = new_dir->i_mtime = now;
    d_inode(old_dentry)->i_ctime = d_inode(new_dentry)->i_ctime = now;
    return 0;
}

}  // namespace

// ---- directories read from d_subdirs ----

bool dir_emit_dots(file* f, dir_context* ctx) {
    if (ctx->pos == 0) {
        if (!dir_emit(ctx, ".", 1, file_inode(f)->i_ino, DT_DIR)) return false;
        ctx->pos = 1;
    }
    if (ctx->pos == 1) {
        dentry* parent = dget_parent(f->f_path.dentry);
        bool ok = dir_emit(ctx, "..", 2, d_inode(parent)->i_ino, DT_DIR);
        dput(parent);
        if (!ok) return false;
        ctx->pos = 2;
    }
    return true;
}

// The open directory keeps a cursor: a nameless dentry on d_subdirs right
// after the last entry returned, so the next call resumes there even if
// entries around it are unlinked or created meanwhile.
int dcache_dir_open(inode*, file* f) {
    static const qstr cursor_name = QSTR_INIT("", 0);
    dentry* dir = f->f_path.dentry;
    dentry* cursor = d_alloc_pseudo(dir->d_sb, &cursor_name);
    if (!cursor) return -ENOMEM;
    cursor->d_flags |= DCACHE_DENTRY_CURSOR;
    f->private_data = cursor;
    return 0;
}

// The last dput takes the (unhashed) cursor off d_subdirs and frees it.
int dcache_dir_close(inode*, file* f) {
    dput(static_cast<dentry*>(f->private_data));
    return 0;
}

// Positions: 0 ".", 1 "..", then 2 + n for the n-th positive child.
loff_t dcache_dir_lseek(file* f, loff_t offset, int whence) {
    switch (whence) {
    case SEEK_CUR: offset += f->f_pos; [[fallthrough]];
    case SEEK_SET:
        if (offset >= 0) break;
        [[fallthrough]];
    default: return -EINVAL;
    }
    if (offset != f->f_pos) {
        f->f_pos = offset;
        if (offset >= 2) {
            dentry* dir = f->f_path.dentry;
            auto* cursor = static_cast<dentry*>(f->private_data);
            inode_lock(d_inode(dir));
            dentry* to = scan_positives(dir, &dir->d_subdirs, offset - 2, nullptr);
            {
                Guard<NoIrqSave> guard(dcache_lock);
                if (to) list_move(&cursor->d_child, &to->d_child);
                else list_del_init(&cursor->d_child);
            }
            dput(to);
            inode_unlock(d_inode(dir));
        }
    }
    return offset;
}

// Called with the directory's i_rwsem held (iterate_dir).
int dcache_readdir(file* f, dir_context* ctx) {
    dentry* dir = f->f_path.dentry;
    auto* cursor = static_cast<dentry*>(f->private_data);
    if (!dir_emit_dots(f, ctx)) return 0;

    list_head* p;
    if (ctx->pos == 2) p = &dir->d_subdirs;
    else if (!list_empty(&cursor->d_child)) p = &cursor->d_child;
    else return 0;  // the cursor fell off the end earlier

    dentry* next = nullptr;
    while ((next = scan_positives(dir, p, 1, next))) {
        inode* i = d_inode(next);
        if (!dir_emit(ctx, next->d_name.name, int(next->d_name.len), i->i_ino, fs_umode_to_dtype(i->i_mode)))
            break;
        ctx->pos++;
        p = &next->d_child;
    }
    {
        Guard<NoIrqSave> guard(dcache_lock);
        // The cursor goes before the entry not yet returned, or off the list at the end.
        if (next) list_move_tail(&cursor->d_child, &next->d_child);
        else list_del_init(&cursor->d_child);
    }
    dput(next);
    return 0;
}

ssize_t generic_read_dir(file*, char __user*, size_t, loff_t*) { return -EISDIR; }

int noop_fsync(file*, loff_t, loff_t, int) { return 0; }

const file_operations simple_dir_operations = {
    .llseek = dcache_dir_lseek,
    .read = generic_read_dir,
    .iterate_shared = dcache_readdir,
    .open = dcache_dir_open,
    .release = dcache_dir_close,
    .fsync = noop_fsync,
};

// ---- names ----

Result<dentry*> simple_lookup(inode*, dentry* d, unsigned) {
    if (d->d_name.len > NAME_MAX) return Error{ENAMETOOLONG};
    if (!d->d_sb->s_d_op) d->d_op = &simple_dentry_operations;
    d_add(d, nullptr);
    return nullptr;
}

const inode_operations simple_dir_inode_operations = {.lookup = simple_lookup};

Result<const char*> simple_get_link(dentry*, inode* i, char*) { return i->i_link; }

const inode_operations simple_symlink_inode_operations = {.get_link = simple_get_link};

bool simple_empty(dentry* d) {
    Guard<NoIrqSave> guard(dcache_lock);
    list_head* p;
    list_for_each(p, &d->d_subdirs) {
        if (simple_positive(child_of(p))) return false;  // cursors are negative: skipped too
    }
    return true;
}

int simple_link(dentry* old_dentry, inode* dir, dentry* d) {
    inode* i = d_inode(old_dentry);
    i->i_ctime = dir->i_ctime = dir->i_mtime = current_time(i);
    inc_nlink(i);
    ihold(i);
    dget(d);  // the pin of a dcache-only name
    d_instantiate(d, i);
    return 0;
}

int simple_unlink(inode* dir, dentry* d) {
    inode* i = d_inode(d);
    i->i_ctime = dir->i_ctime = dir->i_mtime = current_time(i);
    drop_nlink(i);
    dput(d);  // the pin simple_link or the file system's create took
    return 0;
}

int simple_rmdir(inode* dir, dentry* d) {
    if (!simple_empty(d)) return -ENOTEMPTY;
    drop_nlink(d_inode(d));  // its "."
    simple_unlink(dir, d);
    drop_nlink(dir);  // its ".."
    return 0;
}

// Only the counts and times: vfs_rename moves the dentries (d_move /
// d_exchange) once this succeeded, and has already refused RENAME_NOREPLACE
// onto an existing name.
int simple_rename(inode* old_dir, dentry* old_dentry, inode* new_dir, dentry* new_dentry, unsigned flags) {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) return -EINVAL;
    if (flags & RENAME_EXCHANGE) return simple_rename_exchange(old_dir, old_dentry, new_dir, new_dentry);
    if (!simple_empty(new_dentry)) return -ENOTEMPTY;

    bool moving_dir = d_is_dir(old_dentry);
    if (d_really_is_positive(new_dentry)) {
        inode* victim = d_inode(new_dentry);
        simple_unlink(new_dir, new_dentry);
        if (moving_dir) {
            drop_nlink(victim);  // the replaced directory's "."
            drop_nlink(old_dir);  // our ".." no longer counts there; new_dir keeps its count
        }
    } else if (moving_dir) {
        drop_nlink(old_dir);
        inc_nlink(new_dir);
    }
    timespec64 now = current_time(old_dir);
    old_dir->i_ctime = old_dir->i_mtime = new_dir->i_ctime = new_dir->i_mtime = now;
    d_inode(old_dentry)->i_ctime = now;
    return 0;
}

// ---- attributes ----

int simple_setattr(dentry* d, iattr* attr) {
    inode* i = d_inode(d);
    if (int err = setattr_prepare(d, attr)) return err;
    if (attr->ia_valid & ATTR_SIZE) {
        i_size_write(i, attr->ia_size);
        truncate_pagecache(i, attr->ia_size);  // mappings of the lost pages go too
    }
    setattr_copy(i, attr);
    return 0;
}

int simple_statfs(dentry* d, kstatfs* buf) {
    buf->f_type = long(d->d_sb->s_magic);
    buf->f_bsize = PAGE_SIZE;
    buf->f_namelen = NAME_MAX;
    return 0;
}
