// The VFS side of the VMA host tests (mm_file_env.h): fput and vfs_fsync
// stand in for fs/, and the test's files are plain structures.
#include <keel/fs.h>
#include <keel/mm.h>
#include <new>
#include <tests/host/mm_file_env.h>

int fake_vm_opens, fake_vm_closes, fake_fsyncs;

void fput(file* f) { f->f_count.fetch_sub(1, memory_order::relaxed); }
int vfs_fsync(file*, int) { return ++fake_fsyncs, 0; }

namespace {

void vm_open(vm_area_struct*) { fake_vm_opens++; }
void vm_close(vm_area_struct*) { fake_vm_closes++; }
const vm_operations_struct fake_vm_ops = {.open = vm_open, .close = vm_close, .fault = nullptr};

int fake_mmap(file*, vm_area_struct* vma) {
    vma->vm_ops = &fake_vm_ops;
    return 0;
}
const file_operations fake_fops = {.mmap = fake_mmap};
const file_operations no_mmap_fops = {};

struct fake_file {
    super_block sb;
    inode ino;
    file f;
};

}  // namespace

file* fake_file_create(unsigned fmode, bool with_mmap) {
    auto* ff = new fake_file;
    ff->sb.s_maxbytes = 1ll << 40;
    ff->ino.i_sb = &ff->sb;
    ff->f.f_inode = &ff->ino;
    ff->f.f_mapping = &ff->ino.i_data;
    ff->f.f_mode = fmode;
    ff->f.f_op = with_mmap ? &fake_fops : &no_mmap_fops;
    fake_vm_opens = fake_vm_closes = 0;
    return &ff->f;
}

void fake_file_destroy(file* f) {
    delete reinterpret_cast<fake_file*>(reinterpret_cast<char*>(f) - __builtin_offsetof(fake_file, f));
}

void fake_file_noexec(file* f) { f->f_inode->i_sb->s_flags |= SB_NOEXEC; }

long fake_file_refs(file* f) { return f->f_count.load(memory_order::relaxed); }
