// struct file lifetime (Linux's fs/file_table.c): allocated with one reference,
// released through its operations when the last reference goes.
#include <keel/fs.h>
#include <mm/slab.h>
#include <new>

Result<file*> alloc_file(const file_operations* fop, unsigned flags, void* private_data) {
    void* mem = kmalloc(sizeof(file), GFP_KERNEL);
    if (!mem) return Error{ENOMEM};
    auto* f = new (mem) file;
    f->f_op = fop;
    f->f_flags = flags;
    f->private_data = private_data;
    return f;
}

void fput(file* f) {
    if (f->f_count.fetch_sub(1, memory_order::acq_rel) != 1) return;
    if (f->f_op->release) f->f_op->release(f);
    f->~file();
    kfree(f);
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
