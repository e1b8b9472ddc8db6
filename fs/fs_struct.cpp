// A process's root, working directory and umask (Linux's fs/fs_struct.c).
// root and pwd change under fs->lock; readers copy them out with references,
// so a path walk never holds the lock while it sleeps.
#include <keel/fs_struct.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <mm/slab.h>
#include <new>

namespace {

// Puts *p in place of *slot under the lock; the old path is dropped after.
void replace_path(fs_struct* fs, path* slot, const path* p) {
    path_get(p);
    path old;
    {
        Guard<NoIrqSave> guard(fs->lock);
        old = *slot;
        *slot = *p;
    }
    if (old.dentry) path_put(&old);
}

}  // namespace

void set_fs_root(fs_struct* fs, const path* p) { replace_path(fs, &fs->root, p); }

void set_fs_pwd(fs_struct* fs, const path* p) { replace_path(fs, &fs->pwd, p); }

void get_fs_root(fs_struct* fs, path* root) {
    Guard<NoIrqSave> guard(fs->lock);
    *root = fs->root;
    path_get(root);
}

void get_fs_pwd(fs_struct* fs, path* pwd) {
    Guard<NoIrqSave> guard(fs->lock);
    *pwd = fs->pwd;
    path_get(pwd);
}

fs_struct* copy_fs_struct(fs_struct* old) {
    void* mem = kmalloc(sizeof(fs_struct), GFP_KERNEL);
    if (!mem) return nullptr;
    auto* fs = new (mem) fs_struct;
    Guard<NoIrqSave> guard(old->lock);
    fs->umask = old->umask;
    fs->root = old->root;
    fs->pwd = old->pwd;
    path_get(&fs->root);
    path_get(&fs->pwd);
    return fs;
}

void free_fs_struct(fs_struct* fs) {
    if (fs->users.fetch_sub(1, memory_order::acq_rel) != 1) return;
    BUG_ON(fs == &init_fs);  // init_task keeps its user for ever
    if (fs->root.dentry) path_put(&fs->root);
    if (fs->pwd.dentry) path_put(&fs->pwd);
    fs->~fs_struct();
    kfree(fs);
}

// The fs_struct of a thread that shares it (CLONE_FS) is replaced by a private
// copy; the others keep the shared one.
int unshare_fs_struct() {
    fs_struct* fs = current->fs;
    if (fs->users.load(memory_order::acquire) == 1) return 0;
    fs_struct* mine = copy_fs_struct(fs);
    if (!mine) return -ENOMEM;
    current->fs = mine;
    free_fs_struct(fs);
    return 0;
}
