// /proc/sys (Linux's fs/proc/proc_sysctl.c): the sysctl tree registered with
// register_sysctl (kernel/sysctl.cpp) as directories and files. A read or
// write runs the entry's handler on a kernel copy of the data; permissions
// come from the entry's mode alone, so even root cannot write a 0444 entry.
#include "internal.h"
#include <keel/sysctl.h>
#include <lib/string.h>
#include <mm/slab.h>

namespace {

ctl_dir* dir_of(const inode* i) { return PROC_I(i)->sysctl_dir ? PROC_I(i)->sysctl_dir : &sysctl_root; }

// Linux's test_perm: root is judged by the owner bits, everyone else by the
// "other" bits (every entry belongs to root).
int proc_sys_permission(inode* i, int mask) {
    if ((mask & MAY_EXEC) && S_ISREG(i->i_mode)) return -EACCES;
    ctl_table* table = PROC_I(i)->sysctl_entry;
    if (!table) return generic_permission(i, mask);
    int mode = table->mode;
    if (capable_of(current_cred())) mode >>= 6;
    int rw = mask & (MAY_READ | MAY_WRITE | MAY_EXEC);
    return (mode & rw) == rw ? 0 : -EACCES;
}

ssize_t proc_sys_call_handler(kiocb* iocb, iov_iter* iter, int write) {
    ctl_table* table = PROC_I(file_inode(iocb->ki_filp))->sysctl_entry;
    size_t count = iov_iter_count(iter);
    if (!table->proc_handler) return -ENOTDIR;
    if (!count) return 0;
    if (count > PAGE_SIZE * 8) {
        if (write) return -E2BIG;
        count = PAGE_SIZE * 8;
    }
    char* kbuf = static_cast<char*>(kzalloc(count + 1, GFP_KERNEL));
    if (!kbuf) return -ENOMEM;
    ssize_t ret;
    if (write && copy_from_iter(kbuf, count, iter) != count) {
        ret = -EFAULT;
    } else {
        int err = table->proc_handler(table, write, kbuf, &count, &iocb->ki_pos);
        if (err) ret = err;
        else if (!write && copy_to_iter(kbuf, count, iter) != count) ret = -EFAULT;
        else ret = ssize_t(count);
    }
    kfree(kbuf);
    return ret;
}

ssize_t proc_sys_read(kiocb* iocb, iov_iter* to) { return proc_sys_call_handler(iocb, to, 0); }
ssize_t proc_sys_write(kiocb* iocb, iov_iter* from) { return proc_sys_call_handler(iocb, from, 1); }

const file_operations proc_sys_file_operations = {
    .llseek = default_llseek,
    .read_iter = proc_sys_read,
    .write_iter = proc_sys_write,
};

const inode_operations proc_sys_inode_operations = {.permission = proc_sys_permission};
extern const inode_operations proc_sys_dir_operations;
extern const file_operations proc_sys_dir_file_operations;

inode* proc_sys_make_inode(super_block* sb, ctl_dir* dir, ctl_table* table) {
    inode* i = proc_alloc_inode(sb);
    if (!i) return nullptr;
    i->i_mtime = i->i_atime = i->i_ctime = current_time(i);
    if (table) {
        PROC_I(i)->sysctl_entry = table;
        i->i_mode = S_IFREG | table->mode;
        i->i_op = &proc_sys_inode_operations;
        i->i_fop = &proc_sys_file_operations;
    } else {
        PROC_I(i)->sysctl_dir = dir;
        i->i_mode = S_IFDIR | 0555;
        set_nlink(i, 2);
        i->i_op = &proc_sys_dir_operations;
        i->i_fop = &proc_sys_dir_file_operations;
    }
    return i;
}

Result<dentry*> proc_sys_lookup(inode* dir, dentry* d, unsigned) {
    ctl_dir* parent = dir_of(dir);
    ctl_dir* found_dir = nullptr;
    ctl_table* found = nullptr;
    {
        MutexGuard guard(&sysctl_lock);
        ctl_dir* sub;
        list_for_each_entry(sub, &parent->subdirs, sibling)
            if (strlen(sub->name) == d->d_name.len && memcmp(sub->name, d->d_name.name, d->d_name.len) == 0)
                found_dir = sub;
        ctl_table_header* h;
        if (!found_dir)
            list_for_each_entry(h, &parent->tables, node)
                for (ctl_table* t = h->table; t->procname && !found; t++)
                    if (strlen(t->procname) == d->d_name.len && memcmp(t->procname, d->d_name.name, d->d_name.len) == 0)
                        found = t;
    }
    if (!found_dir && !found) return Error{ENOENT};
    inode* i = proc_sys_make_inode(dir->i_sb, found_dir, found);
    if (!i) return Error{ENOMEM};
    d_add(d, i);
    return static_cast<dentry*>(nullptr);
}

// Positions: the dots, then subdirectories, then the entries of each table.
int proc_sys_readdir(file* f, dir_context* ctx) {
    ctl_dir* dir = dir_of(file_inode(f));
    if (!dir_emit_dots(f, ctx)) return 0;
    for (;;) {
        char name[NAME_MAX + 1];
        unsigned char type = DT_REG;
        {
            MutexGuard guard(&sysctl_lock);
            loff_t n = 2;
            const char* pick = nullptr;
            ctl_dir* sub;
            list_for_each_entry(sub, &dir->subdirs, sibling) {
                if (n++ == ctx->pos) {
                    pick = sub->name;
                    type = DT_DIR;
                    break;
                }
            }
            ctl_table_header* h;
            if (!pick)
                list_for_each_entry(h, &dir->tables, node) {
                    for (ctl_table* t = h->table; t->procname && !pick; t++)
                        if (n++ == ctx->pos) pick = t->procname;
                    if (pick) break;
                }
            if (!pick) return 0;
            strscpy(name, pick, sizeof(name));
        }
        if (!dir_emit(ctx, name, int(strlen(name)), 1, type)) return 0;
        ctx->pos++;
    }
}

const inode_operations proc_sys_dir_operations = {.lookup = proc_sys_lookup};
const file_operations proc_sys_dir_file_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = proc_sys_readdir};

}  // namespace

void proc_sys_init() {
    proc_dir_entry* de = proc_mkdir("sys", nullptr);
    if (!de) return;
    de->proc_iops = &proc_sys_dir_operations;
    de->proc_dir_ops = &proc_sys_dir_file_operations;
}
