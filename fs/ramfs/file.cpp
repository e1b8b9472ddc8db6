// Files of the initramfs, read in place from the cpio image the boot loader
// loaded (temporary: issue 5's VFS unpacks the archive into a ramfs and this
// goes). Read-only: the archive is the only copy and nothing writes to it.
#include <init/initramfs.h>
#include <keel/fs.h>
#include <mm/slab.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

initramfs_entry* entry_of(file* f) { return static_cast<initramfs_entry*>(f->private_data); }

ssize_t ramfs_read(file* f, char __user* buf, size_t count, loff_t* pos) {
    const initramfs_entry* e = entry_of(f);
    if (S_ISDIR(e->mode)) return -EISDIR;
    if (*pos >= loff_t(e->size)) return 0;
    size_t n = e->size - size_t(*pos);
    if (n > count) n = count;
    unsigned long left = copy_to_user(buf, e->data + *pos, n);
    if (left == n) return -EFAULT;
    *pos += loff_t(n - left);
    return ssize_t(n - left);
}

loff_t ramfs_llseek(file* f, loff_t offset, int whence) {
    return fixed_size_llseek(f, offset, whence, loff_t(entry_of(f)->size));
}

int ramfs_getattr(file* f, struct stat* st) {
    const initramfs_entry* e = entry_of(f);
    st->st_ino = e->ino;
    st->st_mode = e->mode;
    st->st_nlink = 1;
    st->st_size = long(e->size);
    st->st_blksize = 4096;
    st->st_blocks = long((e->size + 511) / 512);
    return 0;
}

void ramfs_release(file* f) { kfree(f->private_data); }

const file_operations ramfs_file_operations = {
    .read = ramfs_read,
    .write = nullptr,
    .llseek = ramfs_llseek,
    .unlocked_ioctl = nullptr,
    .getattr = ramfs_getattr,
    .release = ramfs_release,
};

}  // namespace

Result<file*> initramfs_open(const initramfs_entry& entry, unsigned flags) {
    auto* e = static_cast<initramfs_entry*>(kmalloc(sizeof(initramfs_entry), GFP_KERNEL));
    if (!e) return Error{ENOMEM};
    *e = entry;
    Result<file*> f = alloc_file(&ramfs_file_operations, flags, e);
    if (f.is_error()) kfree(e);
    return f;
}

void initramfs_fill_stat(const initramfs_entry& entry, struct stat* st) {
    file tmp;
    tmp.private_data = const_cast<initramfs_entry*>(&entry);
    ramfs_getattr(&tmp, st);
}
