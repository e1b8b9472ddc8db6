// /proc/PID/fd and /proc/PID/fdinfo (Linux's fs/proc/fd.c): one entry per
// open descriptor. fd/N is a magic link: following it jumps to the open
// file's own path (so it works for deleted files too), and readlink shows
// d_path, or "pipe:[N]" and the like for files with no name.
#include "internal.h"
#include <keel/fdtable.h>
#include <keel/mount.h>
#include <keel/namei.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <uapi/linux/fcntl.h>

namespace {

// The task's file table with a reference, or nullptr once it has exited.
files_struct* get_task_files(task_struct* task) {
    Guard<IrqSave> guard(task->pi_lock);
    files_struct* files = task->files;
    if (files) files->count.fetch_add(1, memory_order::relaxed);
    return files;
}

// The file at fd of the inode's task, with a reference; *cloexec its flag.
file* proc_fd_file(const inode* i, unsigned fd, bool* cloexec = nullptr) {
    if (fd >= NR_OPEN_DEFAULT) return nullptr;
    task_struct* task = get_proc_task(i);
    if (!task) return nullptr;
    files_struct* files = get_task_files(task);
    put_task_struct(task);
    if (!files) return nullptr;
    file* f;
    {
        Guard<IrqSave> guard(files->file_lock);
        f = files->fd[fd];
        if (f) get_file(f);
        if (cloexec) *cloexec = files->close_on_exec[fd / 64] & (1ul << (fd % 64));
    }
    put_files_struct(files);
    return f;
}

// The task's next open fd >= from, or -1.
int next_fd(const inode* dir, unsigned from) {
    task_struct* task = get_proc_task(dir);
    if (!task) return -1;
    files_struct* files = get_task_files(task);
    put_task_struct(task);
    if (!files) return -1;
    int found = -1;
    {
        Guard<IrqSave> guard(files->file_lock);
        for (unsigned fd = from; fd < NR_OPEN_DEFAULT; fd++)
            if (files->fd[fd]) {
                found = int(fd);
                break;
            }
    }
    put_files_struct(files);
    return found;
}

// Only canonical decimal names ("007" is not fd 7).
int name_to_fd(const qstr* name) {
    Result<unsigned> fd = kstrtouint(name->name, 10);
    if (fd.is_error() || (name->len > 1 && name->name[0] == '0') || name->name[0] == '+') return -1;
    return fd.value() < NR_OPEN_DEFAULT ? int(fd.value()) : -1;
}

// Whether current may look at the fds of the directory's task.
int proc_fd_access_allowed(const inode* i) {
    task_struct* task = get_proc_task(i);
    if (!task) return -ENOENT;
    const cred* me = current_cred();
    const cred* them = task->cred ? task->cred : &init_cred;
    bool ok = capable_of(me) || task->tgid == current->tgid || (me->fsuid == them->uid && me->fsuid == them->euid);
    put_task_struct(task);
    return ok ? 0 : -EACCES;
}

int proc_fd_link(dentry* d, path* p) {
    file* f = proc_fd_file(d_inode(d), unsigned(PROC_I(d_inode(d))->fd));
    if (!f) return -ENOENT;
    *p = f->f_path;
    path_get(p);
    fput(f);
    return 0;
}

Result<const char*> proc_fd_get_link(dentry* d, inode*, char*) {
    if (!d) return Error{ECHILD};
    if (int err = proc_fd_access_allowed(d_inode(d))) return Error{-err};
    path p;
    if (int err = proc_fd_link(d, &p)) return Error{-err};
    nd_jump_link(&p);
    path_put(&p);
    return static_cast<const char*>(nullptr);
}

int proc_fd_readlink(dentry* d, char __user* buf, int buflen) {
    if (int err = proc_fd_access_allowed(d_inode(d))) return err;
    path p;
    if (int err = proc_fd_link(d, &p)) return err;
    int ret = do_proc_readlink(&p, buf, buflen);
    path_put(&p);
    return ret;
}

const inode_operations proc_fd_link_inode_operations = {
    .get_link = proc_fd_get_link,
    .readlink = proc_fd_readlink,
};

// ---- fdinfo/N ----

int seq_fdinfo_show(seq_file* m, void*) {
    inode* i = static_cast<inode*>(m->private_data);
    bool cloexec = false;
    file* f = proc_fd_file(i, unsigned(PROC_I(i)->fd), &cloexec);
    if (!f) return -ENOENT;
    unsigned flags = f->f_flags | (cloexec ? unsigned(O_CLOEXEC) : 0u);
    seq_printf(m, "pos:\t%lli\nflags:\t0%o\nmnt_id:\t%i\nino:\t%lu\n", f->f_pos, flags,
               f->f_path.mnt ? real_mount(f->f_path.mnt)->mnt_id : 0, file_inode(f)->i_ino);
    fput(f);
    return 0;
}

int seq_fdinfo_open(inode* i, file* f) {
    if (int err = proc_fd_access_allowed(i)) return err;
    return single_open(f, seq_fdinfo_show, i);
}

const file_operations proc_fdinfo_file_operations = {
    .llseek = seq_lseek,
    .read_iter = seq_read_iter,
    .open = seq_fdinfo_open,
    .release = single_release,
};

// ---- the two directories ----

Result<dentry*> proc_lookupfd_common(inode* dir, dentry* d, bool info) {
    int fd = name_to_fd(&d->d_name);
    if (fd < 0) return Error{ENOENT};
    file* f = proc_fd_file(dir, unsigned(fd));
    if (!f) return Error{ENOENT};
    fmode_t mode = f->f_mode;
    fput(f);
    task_struct* task = get_proc_task(dir);
    if (!task) return Error{ENOENT};
    umode_t imode;
    if (info) {
        imode = S_IFREG | 0444;
    } else {
        // The link's mode tells what the descriptor allows, as in Linux.
        imode = S_IFLNK;
        if (mode & FMODE_READ) imode |= 0500;
        if (mode & FMODE_WRITE) imode |= 0300;
    }
    inode* i = proc_pid_make_inode(d->d_sb, task, imode);
    put_task_struct(task);
    if (!i) return Error{ENOMEM};
    PROC_I(i)->fd = fd;
    if (info) {
        i->i_fop = &proc_fdinfo_file_operations;
    } else {
        i->i_op = &proc_fd_link_inode_operations;
        i->i_size = 64;
    }
    d_add(d, i);
    return static_cast<dentry*>(nullptr);
}

int proc_readfd_common(file* f, dir_context* ctx, bool info) {
    inode* dir = file_inode(f);
    if (int err = proc_fd_access_allowed(dir)) return err;
    if (!dir_emit_dots(f, ctx)) return 0;
    for (;;) {
        int fd = next_fd(dir, unsigned(ctx->pos - 2));
        if (fd < 0) return 0;
        ctx->pos = fd + 2;
        char name[16];
        int len = scnprintf(name, sizeof(name), "%d", fd);
        if (!dir_emit(ctx, name, len, 1, info ? DT_REG : DT_LNK)) return 0;
        ctx->pos++;
    }
}

Result<dentry*> proc_lookupfd(inode* dir, dentry* d, unsigned) {
    if (int err = proc_fd_access_allowed(dir)) return Error{-err};
    return proc_lookupfd_common(dir, d, false);
}
Result<dentry*> proc_lookupfdinfo(inode* dir, dentry* d, unsigned) { return proc_lookupfd_common(dir, d, true); }
int proc_readfd(file* f, dir_context* ctx) { return proc_readfd_common(f, ctx, false); }
int proc_readfdinfo(file* f, dir_context* ctx) { return proc_readfd_common(f, ctx, true); }

}  // namespace

const inode_operations proc_fd_inode_operations = {.lookup = proc_lookupfd};
const inode_operations proc_fdinfo_inode_operations = {.lookup = proc_lookupfdinfo};
const file_operations proc_fd_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = proc_readfd};
const file_operations proc_fdinfo_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = proc_readfdinfo};
