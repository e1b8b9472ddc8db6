// Open files (Linux's struct file and struct file_operations, include/linux/fs.h).
// A file is what a file descriptor points at: an object with a position and
// flags, whose behaviour comes from its operations table. Until the VFS exists
// (issue 5) files have no inode or dentry; the few kinds Keel has (the console,
// files read in place from the initramfs) fill in their own stat.
#pragma once
#include <asm/uaccess.h>
#include <keel/atomic.h>
#include <keel/result.h>
#include <keel/types.h>

using loff_t = long long;
struct file;
struct stat;

enum : int { SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2 };

struct file_operations {
    ssize_t (*read)(file* f, char __user* buf, size_t count, loff_t* pos);
    ssize_t (*write)(file* f, const char __user* buf, size_t count, loff_t* pos);
    loff_t (*llseek)(file* f, loff_t offset, int whence);  // nullptr: ESPIPE
    long (*unlocked_ioctl)(file* f, unsigned cmd, unsigned long arg);  // nullptr: ENOTTY
    int (*getattr)(file* f, struct stat* st);  // stands in for the inode until the VFS
    void (*release)(file* f);  // the last reference is gone
};

struct file {
    Atomic<long> f_count{1};
    unsigned f_flags = 0;  // O_* given at open (access mode, O_APPEND, O_NONBLOCK...)
    loff_t f_pos = 0;
    const file_operations* f_op = nullptr;
    void* private_data = nullptr;
};

// A new file with one reference, or ENOMEM.
Result<file*> alloc_file(const file_operations* fop, unsigned flags, void* private_data);
static inline file* get_file(file* f) {
    f->f_count.fetch_add(1, memory_order::relaxed);
    return f;
}
void fput(file* f);

// Seeking for files with a fixed size (Linux's generic_file_llseek_size).
loff_t fixed_size_llseek(file* f, loff_t offset, int whence, loff_t size);

// The console (drivers/tty/tty_io.cpp): what init's fds 0, 1 and 2 are.
Result<file*> console_open();

// Files read in place from the initramfs (fs/ramfs/file.cpp) until the VFS.
struct initramfs_entry;
Result<file*> initramfs_open(const initramfs_entry& entry, unsigned flags);
void initramfs_fill_stat(const initramfs_entry& entry, struct stat* st);
// Resolves a user path to an initramfs entry (fs/open.cpp): no working
// directory exists yet, so relative paths start at the root; dfd must be
// AT_FDCWD (or the path absolute).
int user_path_lookup(int dfd, const char __user* filename, bool follow, initramfs_entry* out);
