// procfs internals (Linux's fs/proc/internal.h): the entry tree of fixed
// files (generic.cpp), the inodes made for entries and for tasks (inode.cpp),
// and the per-process directories (base.cpp, fd.cpp, array.cpp, task_mmu.cpp).
#pragma once
#include <keel/dcache.h>
#include <keel/proc_fs.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <lib/list.h>
#include <uapi/asm/stat.h>

struct ctl_table;
struct ctl_dir;

// A fixed /proc entry. Entries are never freed (remove_proc_entry only
// unlinks one): an open file or a cached inode may still point at it, and
// Keel removes none at run time yet.
struct proc_dir_entry {
    unsigned low_ino = 0;  // the inode number every inode of this entry gets
    umode_t mode = 0;
    unsigned nlink = 1;
    loff_t size = 0;
    const inode_operations* proc_iops = nullptr;
    const file_operations* proc_dir_ops = nullptr;  // directories: how to read them
    const ::proc_ops* proc_ops = nullptr;
    const seq_operations* seq_ops = nullptr;
    int (*single_show)(seq_file*, void*) = nullptr;
    unsigned state_size = 0;
    void* data = nullptr;  // pde_data(); a symlink's target
    proc_dir_entry* parent = nullptr;
    list_head subdir;       // children, in creation order (readdir order)
    list_head subdir_node;  // on parent->subdir
    unsigned namelen = 0;
    const char* name = nullptr;  // NUL-terminated, allocated with the entry
};

extern proc_dir_entry proc_root;
extern spinlock_t proc_subdir_lock;  // every entry's subdir list

// What procfs keeps for each of its inodes (in inode::i_private): Linux's
// struct proc_inode, apart from the inode itself.
struct pid_entry;
struct proc_inode {
    proc_dir_entry* pde = nullptr;
    int pid = 0;     // the task (thread id) of /proc/PID and below; 0 elsewhere
    int fd = -1;     // /proc/PID/fd/N and fdinfo/N
    const pid_entry* op = nullptr;
    ctl_dir* sysctl_dir = nullptr;      // a /proc/sys directory (nullptr: /proc/sys itself)
    ctl_table* sysctl_entry = nullptr;  // a /proc/sys file
};
static inline proc_inode* PROC_I(const inode* i) { return static_cast<proc_inode*>(i->i_private); }
static inline proc_dir_entry* PDE(const inode* i) { return PROC_I(i)->pde; }

extern const super_operations proc_sops;
extern const dentry_operations proc_dentry_operations;

// A new procfs inode with its proc_inode, or nullptr.
inode* proc_alloc_inode(super_block* sb);
// The inode of a fixed entry.
inode* proc_get_inode(super_block* sb, proc_dir_entry* de);
Result<dentry*> proc_lookup_de(inode* dir, dentry* d, proc_dir_entry* de);
int proc_readdir_de(file* f, dir_context* ctx, proc_dir_entry* de);
Result<dentry*> proc_lookup(inode* dir, dentry* d, unsigned flags);
int proc_readdir(file* f, dir_context* ctx);
extern const inode_operations proc_link_inode_operations;

// ---- /proc/PID (base.cpp) ----
// The task an inode under /proc/PID is about, with a reference, or nullptr if
// it has been reaped.
task_struct* get_proc_task(const inode* i);
// A new inode for task: owned by its euid/egid, as Linux's task_dump_owner.
inode* proc_pid_make_inode(super_block* sb, task_struct* task, umode_t mode);
Result<dentry*> proc_pid_lookup(dentry* d, unsigned flags);
int proc_pid_readdir(file* f, dir_context* ctx);
// Readdir position where the processes start in /proc (after the fixed entries).
constexpr loff_t FIRST_PROCESS_ENTRY = 256;
// The process (thread-group leader) with the smallest tgid >= from, with a
// reference, or nullptr: /proc's readdir order, and walks over all processes.
task_struct* next_process(int from);
// The mm of task with a user reference (mmput it), or nullptr (kernel thread, exited).
struct mm_struct* get_task_mm(task_struct* task);

// The entries of a /proc/PID (or task/TID) directory.
struct pid_entry {
    const char* name;
    unsigned len;
    umode_t mode;
    const inode_operations* iop;
    const file_operations* fop;
    int (*proc_show)(seq_file* m, task_struct* task);  // ONE(): a single_open file
    int (*proc_get_link)(dentry* d, path* p);           // LNK(): a magic link
};

// ---- the files (array.cpp, task_mmu.cpp, fd.cpp) ----
int proc_tgid_stat(seq_file* m, task_struct* task);
int proc_tid_stat(seq_file* m, task_struct* task);
int proc_pid_status(seq_file* m, task_struct* task);
int proc_pid_statm(seq_file* m, task_struct* task);
extern const file_operations proc_pid_maps_operations;
extern const file_operations proc_fd_operations, proc_fdinfo_operations;
extern const inode_operations proc_fd_inode_operations, proc_fdinfo_inode_operations;
// Counts of the task's memory (task_mmu.cpp): pages resident, in page tables.
struct task_mem_counts {
    unsigned long total_vm, rss, anon, file, shared, text, lib, exec_vm, data, stack, locked, ptes;
    unsigned long hiwater_vm;
};
void task_mem(struct mm_struct* mm, task_mem_counts* c);
// /proc/PID/mounts (namespace.cpp).
int proc_mounts_show(seq_file* m, task_struct* task);

// ---- /proc/self, /proc/thread-self and /proc/sys ----
void proc_self_init();
void proc_sys_init();

// readlink of a magic link (/proc/PID/exe, cwd, fd/N): the path's name (Linux's do_proc_readlink).
int do_proc_readlink(const path* p, char __user* buf, int buflen);
