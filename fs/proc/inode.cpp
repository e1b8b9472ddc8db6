// procfs inodes (Linux's fs/proc/inode.c): each carries a proc_inode saying
// which entry, task or file descriptor it shows. Nothing is stored: the text
// is produced at every read, and a dentry under /proc/PID is dropped as soon
// as it is unused or its task is gone.
#include "internal.h"
#include <mm/slab.h>
#include <new>

namespace {

void proc_evict_inode(inode* i) {
    auto* pi = PROC_I(i);
    if (!pi) return;
    pi->~proc_inode();
    kfree(pi);
    i->i_private = nullptr;
}

// A cached name under /proc/PID is right only while its task lives (Linux's
// pid_revalidate); the owner is refreshed, since the task may have changed
// its credentials (setuid) since the inode was made.
int proc_d_revalidate(dentry* d, unsigned) {
    inode* i = d_inode(d);
    if (!i) return 0;  // a name that did not exist may exist now (a new process)
    if (!PROC_I(i)->pid) return 1;
    task_struct* task = get_proc_task(i);
    if (!task) return 0;
    if (task->cred && PROC_I(i)->op) {
        i->i_uid = task->cred->euid;
        i->i_gid = task->cred->egid;
    }
    put_task_struct(task);
    return 1;
}

// Nothing under /proc is worth caching once unused: every lookup is cheap and
// processes come and go.
int proc_d_delete(const dentry*) { return 1; }


// For inodes whose kind needs no operations (plain files): the VFS calls
// through i_op unconditionally.
const inode_operations proc_empty_iops = {};

}  // namespace

const super_operations proc_sops = {
    .evict_inode = proc_evict_inode,
    .statfs = simple_statfs,
};

const dentry_operations proc_dentry_operations = {
    .d_revalidate = proc_d_revalidate,
    .d_delete = proc_d_delete,
};

inode* proc_alloc_inode(super_block* sb) {
    void* mem = kzalloc(sizeof(proc_inode), GFP_KERNEL);
    if (!mem) return nullptr;
    inode* i = new_inode(sb);
    if (!i) {
        kfree(mem);
        return nullptr;
    }
    i->i_private = new (mem) proc_inode;
    i->i_op = &proc_empty_iops;
    return i;
}
