// The tree of fixed /proc entries (Linux's fs/proc/generic.c): proc_mkdir,
// proc_create and friends hang proc_dir_entries under /proc; lookups and
// readdir of those directories walk the children. A file's open, read, write
// and seek go through the proc_ops of its entry; the common cases, a
// single_open show() and a seq_operations iterator, have ready-made proc_ops.
#include "internal.h"
#include <keel/atomic.h>
#include <keel/poll.h>
#include <keel/printk.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>

spinlock_t proc_subdir_lock{"proc_subdir_lock"};

namespace {

Atomic<unsigned> proc_next_ino{2};  // 1 is /proc itself, as in Linux

// A bare entry named name under *parent (nullptr: /proc); not linked in yet.
proc_dir_entry* __proc_create(proc_dir_entry** parent, const char* name, umode_t mode, unsigned nlink) {
    if (!*parent) *parent = &proc_root;
    size_t len = strlen(name);
    if (!len || len > NAME_MAX || strchr(name, '/')) return nullptr;
    void* mem = kzalloc(sizeof(proc_dir_entry) + len + 1, GFP_KERNEL);
    if (!mem) return nullptr;
    auto* de = new (mem) proc_dir_entry;
    char* copy = static_cast<char*>(mem) + sizeof(proc_dir_entry);
    memcpy(copy, name, len + 1);
    de->name = copy;
    de->namelen = unsigned(len);
    de->mode = mode;
    de->nlink = nlink;
    INIT_LIST_HEAD(&de->subdir);
    de->low_ino = proc_next_ino.fetch_add(1, memory_order::relaxed);
    return de;
}

proc_dir_entry* pde_subdir_find(proc_dir_entry* dir, const char* name, unsigned len) {
    proc_dir_entry* de;
    list_for_each_entry(de, &dir->subdir, subdir_node)
        if (de->namelen == len && memcmp(de->name, name, len) == 0) return de;
    return nullptr;
}

// Links de under parent; fails (and frees de) if the name is taken.
proc_dir_entry* proc_register(proc_dir_entry* dir, proc_dir_entry* de) {
    {
        Guard<IrqSave> guard(proc_subdir_lock);
        if (!pde_subdir_find(dir, de->name, de->namelen)) {
            de->parent = dir;
            list_add_tail(&de->subdir_node, &dir->subdir);
            if (S_ISDIR(de->mode)) dir->nlink++;
            return de;
        }
    }
    printk(KERN_WARNING "proc_dir_entry '%s/%s' already registered\n", dir->name, de->name);
    kfree(de);
    return nullptr;
}

// ---- the files: proc_ops behind one file_operations ----

int proc_reg_open(inode* i, file* f) {
    proc_dir_entry* de = PDE(i);
    return de->proc_ops->proc_open ? de->proc_ops->proc_open(i, f) : 0;
}

ssize_t proc_reg_read_iter(kiocb* iocb, iov_iter* to) {
    proc_dir_entry* de = PDE(file_inode(iocb->ki_filp));
    return de->proc_ops->proc_read_iter ? de->proc_ops->proc_read_iter(iocb, to) : -EIO;
}

// A file without proc_write_iter is 0444; root may still open it for
// writing, and then the write fails as in Linux.
ssize_t proc_reg_write_iter(kiocb* iocb, iov_iter* from) {
    proc_dir_entry* de = PDE(file_inode(iocb->ki_filp));
    return de->proc_ops->proc_write_iter ? de->proc_ops->proc_write_iter(iocb, from) : -EIO;
}

loff_t proc_reg_llseek(file* f, loff_t offset, int whence) {
    proc_dir_entry* de = PDE(file_inode(f));
    return de->proc_ops->proc_lseek ? de->proc_ops->proc_lseek(f, offset, whence) : default_llseek(f, offset, whence);
}

int proc_reg_release(inode* i, file* f) {
    proc_dir_entry* de = PDE(i);
    return de->proc_ops->proc_release ? de->proc_ops->proc_release(i, f) : 0;
}

__poll_t proc_reg_poll(file* f, poll_table_struct* pt) {
    proc_dir_entry* de = PDE(file_inode(f));
    return de->proc_ops->proc_poll ? de->proc_ops->proc_poll(f, pt) : DEFAULT_POLLMASK;
}

const file_operations proc_reg_file_ops = {
    .llseek = proc_reg_llseek,
    .read_iter = proc_reg_read_iter,
    .write_iter = proc_reg_write_iter,
    .poll = proc_reg_poll,
    .open = proc_reg_open,
    .release = proc_reg_release,
};

int proc_seq_open(inode* i, file* f) {
    proc_dir_entry* de = PDE(i);
    if (de->state_size) return __seq_open_private(f, de->seq_ops, int(de->state_size)) ? 0 : -ENOMEM;
    return seq_open(f, de->seq_ops);
}

int proc_seq_release(inode* i, file* f) {
    return PDE(i)->state_size ? seq_release_private(i, f) : seq_release(i, f);
}

const proc_ops proc_seq_ops = {
    .proc_open = proc_seq_open,
    .proc_read_iter = seq_read_iter,
    .proc_lseek = seq_lseek,
    .proc_release = proc_seq_release,
};

int proc_single_open(inode* i, file* f) { return single_open(f, PDE(i)->single_show, PDE(i)->data); }

const proc_ops proc_single_ops = {
    .proc_open = proc_single_open,
    .proc_read_iter = seq_read_iter,
    .proc_lseek = seq_lseek,
    .proc_release = single_release,
};

const file_operations proc_dir_operations = {
    .llseek = generic_file_llseek,
    .read = generic_read_dir,
    .iterate_shared = proc_readdir,
};

const inode_operations proc_dir_inode_operations = {
    .lookup = proc_lookup,
};

Result<const char*> proc_get_link(dentry*, inode* i, char*) { return static_cast<const char*>(PDE(i)->data); }

}  // namespace

const inode_operations proc_link_inode_operations = {
    .get_link = proc_get_link,
};

inode* proc_get_inode(super_block* sb, proc_dir_entry* de) {
    inode* i = proc_alloc_inode(sb);
    if (!i) return nullptr;
    PROC_I(i)->pde = de;
    i->i_ino = de->low_ino;
    i->i_mode = de->mode;
    i->i_size = de->size;
    set_nlink(i, de->nlink);
    i->i_mtime = i->i_atime = i->i_ctime = current_time(i);
    if (de->proc_iops) i->i_op = de->proc_iops;
    if (S_ISREG(de->mode)) {
        i->i_fop = &proc_reg_file_ops;
    } else if (S_ISDIR(de->mode)) {
        i->i_fop = de->proc_dir_ops;
    }
    return i;
}

Result<dentry*> proc_lookup_de(inode* dir, dentry* d, proc_dir_entry* parent) {
    proc_dir_entry* de;
    {
        Guard<IrqSave> guard(proc_subdir_lock);
        de = pde_subdir_find(parent, d->d_name.name, d->d_name.len);
    }
    if (!de) return Error{ENOENT};
    inode* i = proc_get_inode(dir->i_sb, de);
    if (!i) return Error{ENOMEM};
    d_add(d, i);
    return static_cast<dentry*>(nullptr);
}

Result<dentry*> proc_lookup(inode* dir, dentry* d, unsigned) { return proc_lookup_de(dir, d, PDE(dir)); }

// Positions: 0 and 1 are the dots, 2 + n the n-th child.
int proc_readdir_de(file* f, dir_context* ctx, proc_dir_entry* dir) {
    if (!dir_emit_dots(f, ctx)) return 0;
    loff_t n = 2;
    for (;;) {
        char name[NAME_MAX + 1];
        unsigned len, ino;
        umode_t mode;
        {
            Guard<IrqSave> guard(proc_subdir_lock);
            proc_dir_entry* de = nullptr;
            list_head* pos = dir->subdir.next;
            for (n = 2; pos != &dir->subdir && n < ctx->pos; n++) pos = pos->next;
            if (pos == &dir->subdir) return 0;
            de = list_entry(pos, proc_dir_entry, subdir_node);
            len = de->namelen;
            memcpy(name, de->name, len);
            ino = de->low_ino;
            mode = de->mode;
        }
        if (!dir_emit(ctx, name, int(len), ino, fs_umode_to_dtype(mode))) return 0;
        ctx->pos++;
    }
}

int proc_readdir(file* f, dir_context* ctx) { return proc_readdir_de(f, ctx, PDE(file_inode(f))); }

proc_dir_entry* proc_mkdir_mode(const char* name, umode_t mode, proc_dir_entry* parent) {
    proc_dir_entry* de = __proc_create(&parent, name, S_IFDIR | (mode ? mode : 0555), 2);
    if (!de) return nullptr;
    de->proc_iops = &proc_dir_inode_operations;
    de->proc_dir_ops = &proc_dir_operations;
    return proc_register(parent, de);
}

proc_dir_entry* proc_mkdir(const char* name, proc_dir_entry* parent) { return proc_mkdir_mode(name, 0, parent); }

// A regular file's entry, not yet registered; mode 0 means 0444.
static proc_dir_entry* proc_create_reg(const char* name, umode_t mode, proc_dir_entry** parent, void* data) {
    if ((mode & S_IFMT) == 0) mode |= S_IFREG;
    if ((mode & S_IALLUGO) == 0) mode |= 0444;
    proc_dir_entry* de = __proc_create(parent, name, mode, 1);
    if (de) de->data = data;
    return de;
}

proc_dir_entry* proc_create_data(const char* name, umode_t mode, proc_dir_entry* parent, const proc_ops* ops,
                                 void* data) {
    proc_dir_entry* de = proc_create_reg(name, mode, &parent, data);
    if (!de) return nullptr;
    de->proc_ops = ops;
    return proc_register(parent, de);
}

proc_dir_entry* proc_create(const char* name, umode_t mode, proc_dir_entry* parent, const proc_ops* ops) {
    return proc_create_data(name, mode, parent, ops, nullptr);
}

proc_dir_entry* proc_create_single_data(const char* name, umode_t mode, proc_dir_entry* parent,
                                        int (*show)(seq_file*, void*), void* data) {
    proc_dir_entry* de = proc_create_reg(name, mode, &parent, data);
    if (!de) return nullptr;
    de->proc_ops = &proc_single_ops;
    de->single_show = show;
    return proc_register(parent, de);
}

proc_dir_entry* proc_create_seq_private(const char* name, umode_t mode, proc_dir_entry* parent,
                                        const seq_operations* ops, unsigned state_size, void* data) {
    proc_dir_entry* de = proc_create_reg(name, mode, &parent, data);
    if (!de) return nullptr;
    de->proc_ops = &proc_seq_ops;
    de->seq_ops = ops;
    de->state_size = state_size;
    return proc_register(parent, de);
}

proc_dir_entry* proc_symlink(const char* name, proc_dir_entry* parent, const char* dest) {
    size_t len = strlen(dest) + 1;
    char* target = static_cast<char*>(kmalloc(len, GFP_KERNEL));
    if (!target) return nullptr;
    memcpy(target, dest, len);
    proc_dir_entry* de = __proc_create(&parent, name, umode_t(S_IFLNK | 0777), 1);
    if (!de) {
        kfree(target);
        return nullptr;
    }
    de->data = target;
    de->size = loff_t(len - 1);
    de->proc_iops = &proc_link_inode_operations;
    return proc_register(parent, de);
}

void remove_proc_entry(const char* name, proc_dir_entry* parent) {
    if (!parent) parent = &proc_root;
    Guard<IrqSave> guard(proc_subdir_lock);
    proc_dir_entry* de = pde_subdir_find(parent, name, unsigned(strlen(name)));
    if (!de) return;
    list_del(&de->subdir_node);
    if (S_ISDIR(de->mode)) parent->nlink--;
}

void* pde_data(const inode* i) { return PDE(i)->data; }
