// struct file lifetime (Linux's fs/file_table.c): allocated with one
// reference by open (dentry_open) or by the makers of files with no name
// (alloc_file_pseudo: pipes, eventfd, epoll, memfd), released through its
// operations when the last reference goes.
#include <keel/dcache.h>
#include <keel/eventpoll.h>
#include <keel/mount.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

// What an O_PATH file can do: nothing but be named (fstat, *at, fchdir).
const file_operations empty_fops = {};

// FMODE_READ/WRITE from the access mode: 0 read, 1 write, 2 both, 3 neither
// (Linux's OPEN_FMODE: mode 3 opens a device for ioctls only).
fmode_t open_fmode(unsigned flags) { return fmode_t((flags + 1) & O_ACCMODE); }

Result<file*> alloc_empty_file(unsigned flags, const cred* c) {
    void* mem = kmalloc(sizeof(file), GFP_KERNEL);
    if (!mem) return Error{ENOMEM};
    file* f = new (mem) file;
    f->f_flags = flags;
    f->f_mode = open_fmode(flags);
    f->f_cred = get_cred(c);
    return f;
}

// Undoes alloc_empty_file and the path/inode references, without release.
void file_free(file* f) {
    if (f->f_path.dentry) path_put(&f->f_path);
    put_cred(f->f_cred);
    f->~file();
    kfree(f);
}

}  // namespace

void fput(file* f) {
    if (f->f_count.fetch_sub(1, memory_order::acq_rel) != 1) return;
    eventpoll_release(f);
    inode* i = f->f_inode;
    if (f->f_op && f->f_op->release) f->f_op->release(i, f);
    if (i && (f->f_mode & FMODE_WRITE) && S_ISREG(i->i_mode)) i->i_writecount.fetch_sub(1, memory_order::relaxed);
    file_free(f);
}

Result<file*> dentry_open(const path* p, int flags, const cred* c) {
    file* f = TRY(alloc_empty_file(unsigned(flags) & ~unsigned(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC), c));
    inode* i = p->dentry->d_inode;
    f->f_path = *p;
    path_get(p);
    f->f_inode = i;
    f->f_mapping = i->i_mapping;
    if (flags & O_PATH) {
        f->f_mode = FMODE_PATH;
        f->f_op = &empty_fops;
        return f;
    }
    if (S_ISREG(i->i_mode) || S_ISDIR(i->i_mode)) f->f_mode |= FMODE_ATOMIC_POS;
    f->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
    f->f_op = i->i_fop;
    if (!f->f_op) {  // sockets and block devices: nothing to open them with yet
        file_free(f);
        return Error{ENXIO};
    }
    if ((f->f_mode & FMODE_WRITE) && S_ISREG(i->i_mode)) {
        if (i->i_writecount.fetch_add(1, memory_order::relaxed) < 0) {  // being executed
            i->i_writecount.fetch_sub(1, memory_order::relaxed);
            file_free(f);
            return Error{ETXTBSY};
        }
    }
    if (f->f_op->open) {
        int err = f->f_op->open(i, f);
        if (err) {
            if ((f->f_mode & FMODE_WRITE) && S_ISREG(i->i_mode)) i->i_writecount.fetch_sub(1, memory_order::relaxed);
            file_free(f);
            return Error{-err};
        }
    }
    return f;
}

Result<file*> alloc_file_pseudo(inode* i, vfsmount* mnt, const char* name, int flags, const file_operations* fop) {
    qstr q = {name, unsigned(__builtin_strlen(name)), 0};
    dentry* d = d_alloc_pseudo(mnt->mnt_sb, &q);
    if (!d) return Error{ENOMEM};
    Result<file*> r = alloc_empty_file(unsigned(flags), current_cred());
    if (r.is_error()) {
        dput(d);
        return r;
    }
    d_instantiate(d, i);  // the inode's reference moves into the dentry
    file* f = r.value();
    f->f_path = {mntget(mnt), d};
    f->f_inode = i;
    f->f_mapping = i->i_mapping;
    f->f_op = fop;
    if (fop->llseek) f->f_mode |= FMODE_LSEEK;  // as Linux's alloc_file
    // fput drops a writer of a regular file: count this one in.
    if ((f->f_mode & FMODE_WRITE) && S_ISREG(i->i_mode)) i->i_writecount.fetch_add(1, memory_order::relaxed);
    return f;
}

loff_t fixed_size_llseek(file* f, loff_t offset, int whence, loff_t size) {
    loff_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = f->f_pos; break;
    case SEEK_END: base = size; break;
    default: return -EINVAL;
    }
    loff_t pos;
    if (__builtin_add_overflow(base, offset, &pos) || pos < 0) return -EINVAL;
    f->f_pos = pos;
    return pos;
}
