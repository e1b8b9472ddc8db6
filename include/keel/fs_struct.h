// A process's place in the file system (Linux's include/linux/fs_struct.h):
// its root (chroot) and working directory, and its umask. Shared by
// CLONE_FS, copied otherwise.
#pragma once
#include <keel/fs.h>

struct fs_struct {
    Atomic<int> users{1};
    spinlock_t lock{"fs_struct.lock"};  // root and pwd
    unsigned umask = 022;
    path root, pwd;
};

// The boot task's, shared by every kernel thread (init/init_task.cpp).
extern fs_struct init_fs;

fs_struct* copy_fs_struct(fs_struct* old);
void free_fs_struct(fs_struct* fs);  // drops a user; the last frees it
void set_fs_root(fs_struct* fs, const path* p);
void set_fs_pwd(fs_struct* fs, const path* p);
// Copies with references taken.
void get_fs_root(fs_struct* fs, path* root);
void get_fs_pwd(fs_struct* fs, path* pwd);
// unshare(CLONE_FS) / exec: current's own copy.
int unshare_fs_struct();
