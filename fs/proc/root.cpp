// /proc itself (Linux's fs/proc/root.c): the "proc" file system type, whose
// root directory shows the fixed entries (generic.cpp) followed by one
// directory per process (base.cpp). Each mount gets its own super block.
#include "internal.h"
#include <keel/init.h>
#include <keel/printk.h>

namespace {

Result<dentry*> proc_root_lookup(inode* dir, dentry* d, unsigned flags) {
    Result<dentry*> r = proc_lookup(dir, d, flags);
    if (!r.is_error() || r.error() != ENOENT) return r;
    return proc_pid_lookup(d, flags);
}

int proc_root_readdir(file* f, dir_context* ctx) {
    if (ctx->pos < FIRST_PROCESS_ENTRY) {
        int err = proc_readdir(f, ctx);
        if (err) return err;
        // proc_readdir stops either at the end of the entries or on a full
        // buffer; only in the first case go on to the processes.
        unsigned n = 2;
        {
            Guard<IrqSave> guard(proc_subdir_lock);
            for (list_head* pos = proc_root.subdir.next; pos != &proc_root.subdir; pos = pos->next) n++;
        }
        if (ctx->pos < loff_t(n)) return 0;
        ctx->pos = FIRST_PROCESS_ENTRY;
    }
    return proc_pid_readdir(f, ctx);
}

const file_operations proc_root_operations = {
    .llseek = generic_file_llseek,
    .read = generic_read_dir,
    .iterate_shared = proc_root_readdir,
};

// /proc's link count includes every process directory, as Linux's proc_root_getattr.
int proc_root_getattr(const path* p, kstat* stat, u32, unsigned) {
    generic_fillattr(d_inode(p->dentry), stat);
    unsigned processes = 0;
    {
        Guard<IrqSave> guard(tasklist_lock);
        for_each_process(t) if (t->pid && t->exit_state != EXIT_DEAD) processes++;
    }
    stat->nlink = proc_root.nlink + processes;
    return 0;
}

const inode_operations proc_root_inode_operations = {
    .lookup = proc_root_lookup,
    .getattr = proc_root_getattr,
};

int proc_fill_super(super_block* sb, void*, int) {
    sb->s_blocksize = 1024;
    sb->s_blocksize_bits = 10;
    sb->s_magic = PROC_SUPER_MAGIC;
    sb->s_op = &proc_sops;
    sb->s_d_op = &proc_dentry_operations;
    sb->s_time_gran = 1;
    inode* root = proc_get_inode(sb, &proc_root);
    if (!root) return -ENOMEM;
    sb->s_root = d_make_root(root);
    return sb->s_root ? 0 : -ENOMEM;
}

Result<dentry*> proc_mount(file_system_type* fs_type, int flags, const char*, void* data) {
    return mount_nodev(fs_type, flags, data, proc_fill_super);
}

file_system_type proc_fs_type = {
    .name = "proc",
    .fs_flags = FS_USERNS_MOUNT,
    .mount = proc_mount,
    .kill_sb = kill_anon_super,
    .next = nullptr,
};

int proc_root_init() {
    proc_self_init();
    proc_symlink("mounts", nullptr, "self/mounts");
    proc_sys_init();
    return register_filesystem(&proc_fs_type);
}
fs_initcall(proc_root_init);

}  // namespace

// /proc: nlink counts "." , ".." and the subdirectories made later. A
// constant initializer: entries are added by initcalls in any order.
proc_dir_entry proc_root = {
    .low_ino = 1,
    .mode = S_IFDIR | 0555,
    .nlink = 2,
    .proc_iops = &proc_root_inode_operations,
    .proc_dir_ops = &proc_root_operations,
    .parent = &proc_root,
    .subdir = {&proc_root.subdir, &proc_root.subdir},
    .namelen = 5,
    .name = "/proc",
};
