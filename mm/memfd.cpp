// memfd_create(2) and file seals (Linux's mm/memfd.c, with the parts of
// mm/shmem.c it relies on). A memfd is a regular file with no name in any
// directory, its data in its page cache: read/write/mmap/ftruncate work as on
// tmpfs, and /proc/PID/fd shows "/memfd:NAME (deleted)".
//
// Linux makes memfds on tmpfs's internal mount (shmem_file_setup). Keel gives
// them a small internal file system of their own with tmpfs's magic number,
// so their inodes can carry the seals and the count of shared mappings that
// F_SEAL_WRITE needs without reaching into tmpfs.
//
// Seals (F_ADD_SEALS) only ever accumulate:
//   F_SEAL_SHRINK / F_SEAL_GROW   ftruncate and writes may not change the size that way (EPERM)
//   F_SEAL_WRITE                  write(2) and new writable shared mappings fail (EPERM);
//                                 adding it fails with EBUSY while a shared mapping that
//                                 could become writable exists
//   F_SEAL_FUTURE_WRITE           the same, but existing writable mappings stay
//   F_SEAL_SEAL                   no more seals (the only one without MFD_ALLOW_SEALING)
// write(2) checks the seals before generic_file_write_iter takes i_rwsem, so a
// write racing with F_ADD_SEALS may still land (Linux checks under i_rwsem).
// Neither are pages pinned by get_user_pages waited for before F_SEAL_WRITE.
#include <asm/uaccess.h>
#include <keel/dcache.h>
#include <keel/fdtable.h>
#include <keel/init.h>
#include <keel/memfd.h>
#include <keel/mm.h>
#include <keel/mount.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/shmem_fs.h>
#include <keel/syscalls.h>
#include <lib/string.h>
#include <mm/internal.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/memfd.h>

namespace {

constexpr unsigned long TMPFS_MAGIC = 0x01021994;
constexpr unsigned MFD_NAME_PREFIX_LEN = 6;  // "memfd:"
constexpr unsigned MFD_NAME_MAX_LEN = NAME_MAX - MFD_NAME_PREFIX_LEN;
constexpr unsigned F_ALL_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;

// What a memfd inode keeps beyond the VFS's fields (Linux's shmem_inode_info).
// A spinlock, not the inode's i_rwsem: mmap runs under mmap_lock, and write(2)
// holds i_rwsem while its copy from user memory may fault (mmap_lock), so
// taking i_rwsem in mmap would invert that order.
struct memfd_inode_info {
    spinlock_t lock{"memfd_inode_info.lock"};
    unsigned seals = 0;     // F_SEAL_*
    int writable_maps = 0;  // VMAs with VM_SHARED|VM_MAYWRITE: no F_SEAL_WRITE while > 0
};

vfsmount* memfd_mnt;

memfd_inode_info* MEMFD_I(const inode* i) { return static_cast<memfd_inode_info*>(i->i_private); }
unsigned seals_of(const inode* i) {
    Guard<NoIrqSave> guard(MEMFD_I(i)->lock);
    return MEMFD_I(i)->seals;
}

ssize_t memfd_write_iter(kiocb* iocb, iov_iter* from) {
    inode* i = file_inode(iocb->ki_filp);
    unsigned seals = seals_of(i);
    if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) return -EPERM;
    if (seals & F_SEAL_GROW) {
        loff_t pos = (iocb->ki_flags & IOCB_APPEND) ? i_size_read(i) : iocb->ki_pos;
        if (pos + loff_t(iov_iter_count(from)) > i_size_read(i)) return -EPERM;
    }
    return generic_file_write_iter(iocb, from);
}

// A shared mapping that is or may become writable (Linux's vma_is_shared_maywrite;
// mprotect never adds VM_MAYWRITE, so the answer stays the same for a VMA's life).
bool shared_maywrite(const vm_area_struct* vma) {
    return (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE);
}
void count_writable_map(vm_area_struct* vma, int delta) {
    if (!shared_maywrite(vma)) return;
    memfd_inode_info* info = MEMFD_I(file_inode(vma->vm_file));
    Guard<NoIrqSave> guard(info->lock);
    info->writable_maps += delta;
}
void memfd_vm_open(vm_area_struct* vma) { count_writable_map(vma, 1); }
void memfd_vm_close(vm_area_struct* vma) { count_writable_map(vma, -1); }
const vm_operations_struct memfd_vm_ops = {.open = memfd_vm_open, .close = memfd_vm_close, .fault = filemap_fault};

// Under either write seal a shared mapping may not be writable, and a
// read-only one may not become writable later (the rule of Debian's 6.1, which
// has Linux 6.7's "read-only shared mappings of write-sealed memfds").
int memfd_mmap(file* f, vm_area_struct* vma) {
    memfd_inode_info* info = MEMFD_I(file_inode(f));
    {
        // Checked and counted in one step, so F_ADD_SEALS sees either the seal
        // refusing this mapping or the mapping refusing the seal.
        Guard<NoIrqSave> guard(info->lock);
        if ((vma->vm_flags & VM_SHARED) && (info->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) {
            if (vma->vm_flags & VM_WRITE) return -EPERM;
            vma->vm_flags &= ~VM_MAYWRITE;
        }
        if (shared_maywrite(vma)) info->writable_maps++;
    }
    file_accessed(f);
    vma->vm_ops = &memfd_vm_ops;
    return 0;
}

const file_operations memfd_fops = {
    .llseek = generic_file_llseek,
    .read_iter = generic_file_read_iter,
    .write_iter = memfd_write_iter,
    .mmap = memfd_mmap,
    .fsync = noop_fsync,
};

int memfd_setattr(dentry* d, iattr* attr) {
    inode* i = d_inode(d);
    int err = setattr_prepare(d, attr);
    if (err) return err;
    if (attr->ia_valid & ATTR_SIZE) {
        loff_t oldsize = i_size_read(i), newsize = attr->ia_size;
        unsigned seals = seals_of(i);
        if ((newsize < oldsize && (seals & F_SEAL_SHRINK)) || (newsize > oldsize && (seals & F_SEAL_GROW)))
            return -EPERM;
        if (newsize != oldsize) {
            i_size_write(i, newsize);
            if (newsize < oldsize) truncate_pagecache(i, newsize);
            i->i_mtime = i->i_ctime = current_time(i);
        }
    }
    setattr_copy(i, attr);
    return 0;
}


const inode_operations memfd_inode_operations = {.setattr = memfd_setattr, .getattr = shmem_getattr};

void memfd_evict_inode(inode* i) {
    truncate_inode_pages(&i->i_data, 0);
    if (memfd_inode_info* info = MEMFD_I(i)) {
        info->~memfd_inode_info();
        kfree(info);
        i->i_private = nullptr;
    }
}

const super_operations memfd_super_operations = {
    .evict_inode = memfd_evict_inode,
    .statfs = simple_statfs,
};

// What /proc/PID/fd and /proc/PID/maps show: the name on tmpfs's internal
// mount, unlinked (Linux reaches the same text through d_path).
char* memfd_dname(dentry* d, char* buf, int buflen) {
    return dynamic_dname(buf, buflen, "/%.*s (deleted)", int(d->d_name.len), d->d_name.name);
}
const dentry_operations memfd_dentry_operations = {.d_dname = memfd_dname};

int memfd_fill_super(super_block* sb, void*, int) {
    sb->s_magic = TMPFS_MAGIC;
    sb->s_op = &memfd_super_operations;
    sb->s_d_op = &memfd_dentry_operations;
    inode* root = new_inode(sb);
    if (!root) return -ENOMEM;
    root->i_mode = S_IFDIR | 01777;
    root->i_op = &simple_dir_inode_operations;
    root->i_fop = &simple_dir_operations;
    root->i_atime = root->i_mtime = root->i_ctime = current_time(root);
    set_nlink(root, 2);
    sb->s_root = d_make_root(root);
    return sb->s_root ? 0 : -ENOMEM;
}

Result<dentry*> memfd_fs_mount(file_system_type* type, int flags, const char*, void* data) {
    return mount_nodev(type, flags, data, memfd_fill_super);
}

file_system_type memfd_fs_type = {
    .name = "tmpfs",  // what statfs and /proc/PID/mountinfo would name it, as in Linux
    .fs_flags = 0,
    .mount = memfd_fs_mount,
    .kill_sb = kill_anon_super,
    .next = nullptr,
};

int memfd_init() {
    auto mnt = kern_mount(&memfd_fs_type);
    if (mnt.is_error()) return -mnt.error();
    memfd_mnt = mnt.value();
    return 0;
}
fs_initcall(memfd_init);

bool is_memfd(const file* f) { return f->f_op == &memfd_fops; }

long memfd_add_seals(file* f, unsigned seals) {
    if (!(f->f_mode & FMODE_WRITE)) return -EPERM;
    if (seals & ~F_ALL_SEALS) return -EINVAL;
    if (!is_memfd(f)) return -EINVAL;
    inode* i = file_inode(f);
    memfd_inode_info* info = MEMFD_I(i);
    // i_rwsem: no write(2) or truncation is under way while the seals change.
    inode_lock(i);
    long err = 0;
    {
        Guard<NoIrqSave> guard(info->lock);
        if (info->seals & F_SEAL_SEAL) err = -EPERM;
        else if ((seals & F_SEAL_WRITE) && !(info->seals & F_SEAL_WRITE) && info->writable_maps > 0)
            err = -EBUSY;  // a shared mapping could still write (Linux's mapping_deny_writable)
        else info->seals |= seals;
    }
    inode_unlock(i);
    return err;
}

}  // namespace

Result<file*> memfd_file_create(const char* name, unsigned flags) {
    if (!memfd_mnt) return Error{ENOMEM};
    void* mem = kzalloc(sizeof(memfd_inode_info), GFP_KERNEL);
    if (!mem) return Error{ENOMEM};
    auto* info = new (mem) memfd_inode_info{};
    info->seals = (flags & MFD_ALLOW_SEALING) ? 0u : unsigned(F_SEAL_SEAL);
    inode* i = new_inode(memfd_mnt->mnt_sb);
    if (!i) {
        kfree(info);
        return Error{ENOMEM};
    }
    i->i_private = info;
    const cred* c = current_cred();
    i->i_mode = S_IFREG | 0777;
    i->i_uid = c->fsuid;
    i->i_gid = c->fsgid;
    i->i_op = &memfd_inode_operations;
    i->i_fop = &memfd_fops;
    i->i_atime = i->i_mtime = i->i_ctime = current_time(i);
    Result<file*> f = alloc_file_pseudo(i, memfd_mnt, name, O_RDWR, &memfd_fops);
    if (f.is_error()) {
        iput(i);  // evict_inode frees info
        return f;
    }
    f.value()->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
    f.value()->f_flags |= O_LARGEFILE;
    return f;
}

long memfd_fcntl(file* f, unsigned cmd, unsigned long arg) {
    switch (cmd) {
    case F_ADD_SEALS:
        // Linux truncates the argument to an int before checking it.
        return memfd_add_seals(f, unsigned(arg));
    case F_GET_SEALS:
        if (!is_memfd(f)) return -EINVAL;
        return seals_of(file_inode(f));
    default:
        return -EINVAL;
    }
}

long sys_memfd_create(const char __user* uname, unsigned flags) {
    if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB)) return -EINVAL;
    if (flags & MFD_HUGETLB) return -EINVAL;  // no hugetlbfs (Linux would make the file there)
    char name[MFD_NAME_PREFIX_LEN + MFD_NAME_MAX_LEN + 1];
    memcpy(name, "memfd:", MFD_NAME_PREFIX_LEN);
    long len = strncpy_from_user(name + MFD_NAME_PREFIX_LEN, uname, MFD_NAME_MAX_LEN + 1);
    if (len < 0) return -EFAULT;
    if (len > long(MFD_NAME_MAX_LEN)) return -EINVAL;  // no NUL within the limit
    Result<file*> f = memfd_file_create(name, flags);
    if (f.is_error()) return -f.error();
    Result<int> fd = alloc_fd_install(0, f.value(), flags & MFD_CLOEXEC);
    if (fd.is_error()) {
        fput(f.value());
        return -fd.error();
    }
    return fd.value();
}
