// The proc file system's interface for the rest of the kernel (Linux's
// include/linux/proc_fs.h): a subsystem adds a file under /proc by creating a
// proc_dir_entry with the operations that produce its text, usually a
// seq_file show() (proc_create_single) or iterator (proc_create_seq).
//
//     static int version_show(seq_file* m, void*) { seq_printf(m, "%s", linux_banner); return 0; }
//     fs_initcall(...) { proc_create_single("version", 0, nullptr, version_show); }
//
// The per-process directories (/proc/PID) are not entries: procfs makes them
// from the task list when they are looked up (fs/proc/base.cpp).
#pragma once
#include <keel/fs.h>
#include <keel/seq_file.h>

constexpr unsigned long PROC_SUPER_MAGIC = 0x9fa0;

// A proc file's operations (Linux's struct proc_ops): the file_operations
// procfs installs call these.
struct proc_ops {
    int (*proc_open)(inode* i, file* f);
    ssize_t (*proc_read_iter)(kiocb* iocb, iov_iter* to);
    ssize_t (*proc_write_iter)(kiocb* iocb, iov_iter* from);
    loff_t (*proc_lseek)(file* f, loff_t offset, int whence);
    int (*proc_release)(inode* i, file* f);
    __poll_t (*proc_poll)(file* f, poll_table_struct* pt);
};

struct proc_dir_entry;

// nullptr parent means /proc itself. Every function returns the new entry or
// nullptr (no memory, or the name exists).
proc_dir_entry* proc_mkdir(const char* name, proc_dir_entry* parent);
proc_dir_entry* proc_mkdir_mode(const char* name, umode_t mode, proc_dir_entry* parent);
proc_dir_entry* proc_create(const char* name, umode_t mode, proc_dir_entry* parent, const proc_ops* ops);
proc_dir_entry* proc_create_data(const char* name, umode_t mode, proc_dir_entry* parent, const proc_ops* ops,
                                 void* data);
// A read-only file whose whole text show() prints (single_open).
proc_dir_entry* proc_create_single_data(const char* name, umode_t mode, proc_dir_entry* parent,
                                        int (*show)(seq_file*, void*), void* data);
static inline proc_dir_entry* proc_create_single(const char* name, umode_t mode, proc_dir_entry* parent,
                                                 int (*show)(seq_file*, void*)) {
    return proc_create_single_data(name, mode, parent, show, nullptr);
}
// A read-only file printed record by record (seq_open); state_size bytes of
// zeroed per-open state in seq_file::private_data when non-zero.
proc_dir_entry* proc_create_seq_private(const char* name, umode_t mode, proc_dir_entry* parent,
                                        const seq_operations* ops, unsigned state_size, void* data);
static inline proc_dir_entry* proc_create_seq(const char* name, umode_t mode, proc_dir_entry* parent,
                                              const seq_operations* ops) {
    return proc_create_seq_private(name, mode, parent, ops, 0, nullptr);
}
proc_dir_entry* proc_symlink(const char* name, proc_dir_entry* parent, const char* dest);
void remove_proc_entry(const char* name, proc_dir_entry* parent);
// The data given at creation, from an open proc file's inode.
void* pde_data(const inode* i);
