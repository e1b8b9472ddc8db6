// /proc/PID and /proc/PID/task/TID (Linux's fs/proc/base.c): directories made
// on lookup from the task list, never stored. Each holds the entries of a
// pid_entry table; an inode remembers only the thread id, and every open or
// read looks the task up again, so a reaped process's files fail with ESRCH
// and its cached names are dropped (proc_d_revalidate).
#include "internal.h"
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/mm.h>
#include <keel/mm_types.h>
#include <keel/namei.h>
#include <keel/signal.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>

namespace {

// Whether current may see task's private details (cwd, exe, fds, environ,
// memory): Linux's ptrace_may_access(PTRACE_MODE_READ_FSCREDS) without
// ptrace: the same user on all of real, effective and saved ids, or root.
bool proc_may_access(task_struct* task) {
    const cred* me = current_cred();
    if (capable_of(me) || task == current) return true;
    const cred* them = task->cred ? task->cred : &init_cred;
    return me->fsuid == them->euid && me->fsuid == them->suid && me->fsuid == them->uid &&
           me->fsgid == them->egid && me->fsgid == them->sgid && me->fsgid == them->gid;
}

// Directories under /proc/PID have nlink 2 + their subdirectories.
unsigned pid_entry_nlink(const pid_entry* entries, unsigned n) {
    unsigned count = 2;
    for (unsigned i = 0; i < n; i++)
        if (S_ISDIR(entries[i].mode)) count++;
    return count;
}

// ---- ONE(): a single_open file showing one task ----

int proc_single_show(seq_file* m, void*) {
    inode* i = static_cast<inode*>(m->private_data);
    task_struct* task = get_proc_task(i);
    if (!task) return -ESRCH;
    int ret = PROC_I(i)->op->proc_show(m, task);
    put_task_struct(task);
    return ret;
}

int proc_single_open(inode* i, file* f) { return single_open(f, proc_single_show, i); }

const file_operations proc_single_file_operations = {
    .llseek = seq_lseek,
    .read_iter = seq_read_iter,
    .open = proc_single_open,
    .release = single_release,
};

// ---- comm: readable, and writable by the process itself ----

int comm_show(seq_file* m, task_struct* task) {
    char comm[sizeof(task->comm)];
    {
        Guard<IrqSave> guard(task->pi_lock);
        memcpy(comm, task->comm, sizeof(comm));
    }
    comm[sizeof(comm) - 1] = '\0';
    seq_printf(m, "%s\n", comm);
    return 0;
}

int comm_open(inode* i, file* f) { return single_open(f, proc_single_show, i); }

// As Linux's comm_write: at most 15 bytes are kept, a trailing newline is
// not stripped (echo's newline ends up in comm only if it fits, as in Linux);
// only threads of the writer's own process may be renamed.
ssize_t comm_write(kiocb* iocb, iov_iter* from) {
    char buffer[16] = {};
    size_t count = iov_iter_count(from);
    size_t n = count < sizeof(buffer) - 1 ? count : sizeof(buffer) - 1;
    if (copy_from_iter(buffer, n, from) != n) return -EFAULT;
    task_struct* task = get_proc_task(file_inode(iocb->ki_filp));
    if (!task) return -ESRCH;
    bool same = task->tgid == current->tgid;
    if (same) {
        Guard<IrqSave> guard(task->pi_lock);
        strscpy(task->comm, buffer, sizeof(task->comm));
    }
    put_task_struct(task);
    if (!same) return -EINVAL;
    iov_iter_advance(from, count - n);  // the rest is accepted and dropped, as in Linux
    return ssize_t(count);
}

const file_operations proc_pid_set_comm_operations = {
    .llseek = seq_lseek,
    .read_iter = seq_read_iter,
    .write_iter = comm_write,
    .open = comm_open,
    .release = single_release,
};

// ---- cmdline and environ: read from the process's memory ----

// Copies [start, end) of mm from offset *pos to the reader, a page at a time.
ssize_t read_mm_range(mm_struct* mm, unsigned long start, unsigned long end, kiocb* iocb, iov_iter* to) {
    if (iocb->ki_pos < 0 || start >= end || u64(iocb->ki_pos) >= end - start) return 0;
    char* page = static_cast<char*>(kmalloc(PAGE_SIZE, GFP_KERNEL));
    if (!page) return -ENOMEM;
    ssize_t done = 0;
    unsigned long addr = start + u64(iocb->ki_pos);
    while (addr < end && iov_iter_count(to)) {
        size_t n = end - addr < PAGE_SIZE ? end - addr : PAGE_SIZE;
        if (n > iov_iter_count(to)) n = iov_iter_count(to);
        long got = access_remote_vm(mm, addr, page, n, false);
        if (got <= 0) break;
        size_t copied = copy_to_iter(page, size_t(got), to);
        done += ssize_t(copied);
        addr += copied;
        if (copied < size_t(got)) {
            if (!done) done = -EFAULT;
            break;
        }
    }
    kfree(page);
    if (done > 0) iocb->ki_pos += done;
    return done;
}

// Linux's get_mm_cmdline, without setproctitle's overflow into the
// environment: the argument strings as exec laid them out.
ssize_t proc_pid_cmdline_read(kiocb* iocb, iov_iter* to) {
    task_struct* task = get_proc_task(file_inode(iocb->ki_filp));
    if (!task) return -ESRCH;
    mm_struct* mm = get_task_mm(task);
    put_task_struct(task);
    if (!mm) return 0;  // a kernel thread or a zombie: empty, as in Linux
    unsigned long start, end;
    {
        down_read(&mm->mmap_lock);
        start = mm->arg_start;
        end = mm->arg_end;
        up_read(&mm->mmap_lock);
    }
    ssize_t ret = read_mm_range(mm, start, end, iocb, to);
    mmput(mm);
    return ret;
}

const file_operations proc_pid_cmdline_ops = {
    .llseek = generic_file_llseek,
    .read_iter = proc_pid_cmdline_read,
};

ssize_t environ_read(kiocb* iocb, iov_iter* to) {
    task_struct* task = get_proc_task(file_inode(iocb->ki_filp));
    if (!task) return -ESRCH;
    bool allowed = proc_may_access(task);
    mm_struct* mm = allowed ? get_task_mm(task) : nullptr;
    put_task_struct(task);
    if (!allowed) return -EACCES;
    if (!mm) return 0;
    unsigned long start, end;
    {
        down_read(&mm->mmap_lock);
        start = mm->env_start;
        end = mm->env_end;
        up_read(&mm->mmap_lock);
    }
    ssize_t ret = read_mm_range(mm, start, end, iocb, to);
    mmput(mm);
    return ret;
}

const file_operations proc_environ_operations = {
    .llseek = generic_file_llseek,
    .read_iter = environ_read,
};

// ---- magic links: cwd, root, exe ----

// The task's fs_struct with a user reference (free_fs_struct drops it), or
// nullptr once it has exited. pi_lock keeps it from going away meanwhile; its
// own lock is taken only after pi_lock is released (pi_lock is taken in
// interrupts, fs->lock is not).
fs_struct* get_task_fs(task_struct* task) {
    Guard<IrqSave> guard(task->pi_lock);
    fs_struct* fs = task->fs;
    if (fs) fs->users.fetch_add(1, memory_order::relaxed);
    return fs;
}

int proc_fs_link(dentry* d, path* p, void (*get)(fs_struct*, path*)) {
    task_struct* task = get_proc_task(d_inode(d));
    if (!task) return -ENOENT;
    fs_struct* fs = get_task_fs(task);
    put_task_struct(task);
    if (!fs) return -ENOENT;
    get(fs, p);
    free_fs_struct(fs);
    return 0;
}

int proc_cwd_link(dentry* d, path* p) { return proc_fs_link(d, p, get_fs_pwd); }
int proc_root_link(dentry* d, path* p) { return proc_fs_link(d, p, get_fs_root); }

int proc_exe_link(dentry* d, path* p) {
    task_struct* task = get_proc_task(d_inode(d));
    if (!task) return -ENOENT;
    mm_struct* mm = get_task_mm(task);
    put_task_struct(task);
    if (!mm) return -ENOENT;
    file* exe = get_mm_exe_file(mm);
    mmput(mm);
    if (!exe) return -ENOENT;
    *p = exe->f_path;
    path_get(p);
    fput(exe);
    return 0;
}

// Resolves a magic link to its task's path, checking current may see it.
int proc_pid_link_path(dentry* d, path* p) {
    task_struct* task = get_proc_task(d_inode(d));
    if (!task) return -ENOENT;
    bool allowed = proc_may_access(task);
    put_task_struct(task);
    if (!allowed) return -EACCES;
    return PROC_I(d_inode(d))->op->proc_get_link(d, p);
}

Result<const char*> proc_pid_get_link(dentry* d, inode*, char*) {
    if (!d) return Error{ECHILD};
    path p;
    if (int err = proc_pid_link_path(d, &p)) return Error{-err};
    nd_jump_link(&p);
    path_put(&p);
    return static_cast<const char*>(nullptr);
}

}  // namespace

int do_proc_readlink(const path* p, char __user* buf, int buflen) {
    char* tmp = static_cast<char*>(kmalloc(PATH_MAX, GFP_KERNEL));
    if (!tmp) return -ENOMEM;
    int ret;
    Result<char*> name = d_path(p, tmp, PATH_MAX);
    if (name.is_error()) {
        ret = -name.error();
    } else {
        int len = int(strlen(name.value()));
        if (len > buflen) len = buflen;  // cut short silently, as readlink(2)
        ret = copy_to_user(buf, name.value(), unsigned(len)) ? -EFAULT : len;
    }
    kfree(tmp);
    return ret;
}

namespace {

int proc_pid_readlink(dentry* d, char __user* buf, int buflen) {
    path p;
    if (int err = proc_pid_link_path(d, &p)) return err;
    int ret = do_proc_readlink(&p, buf, buflen);
    path_put(&p);
    return ret;
}

const inode_operations proc_pid_link_inode_operations = {
    .get_link = proc_pid_get_link,
    .readlink = proc_pid_readlink,
};

// ---- directories of pid_entries ----

Result<dentry*> proc_pident_instantiate(dentry* d, task_struct* task, const pid_entry* p) {
    inode* i = proc_pid_make_inode(d->d_sb, task, p->mode);
    if (!i) return Error{ENOMEM};
    PROC_I(i)->op = p;
    if (S_ISDIR(p->mode)) set_nlink(i, 2);
    if (p->iop) i->i_op = p->iop;
    if (p->fop) i->i_fop = p->fop;
    d_add(d, i);
    return static_cast<dentry*>(nullptr);
}

Result<dentry*> proc_pident_lookup(inode* dir, dentry* d, const pid_entry* entries, unsigned n) {
    task_struct* task = get_proc_task(dir);
    if (!task) return Error{ENOENT};
    Result<dentry*> r = Error{ENOENT};
    for (unsigned k = 0; k < n; k++) {
        const pid_entry* p = &entries[k];
        if (p->len == d->d_name.len && memcmp(p->name, d->d_name.name, p->len) == 0) {
            r = proc_pident_instantiate(d, task, p);
            break;
        }
    }
    put_task_struct(task);
    return r;
}

int proc_pident_readdir(file* f, dir_context* ctx, const pid_entry* entries, unsigned n) {
    task_struct* task = get_proc_task(file_inode(f));
    if (!task) return -ENOENT;
    put_task_struct(task);
    if (!dir_emit_dots(f, ctx)) return 0;
    for (; ctx->pos < loff_t(n) + 2; ctx->pos++) {
        const pid_entry* p = &entries[ctx->pos - 2];
        if (!dir_emit(ctx, p->name, int(p->len), 1, fs_umode_to_dtype(p->mode))) break;
    }
    return 0;
}

#define NOD(NAME, MODE, IOP, FOP, SHOW, LINK) pid_entry{NAME, sizeof(NAME) - 1, umode_t(MODE), IOP, FOP, SHOW, LINK}
#define DIR(NAME, MODE, IOP, FOP) NOD(NAME, S_IFDIR | (MODE), &IOP, &FOP, nullptr, nullptr)
#define REG(NAME, MODE, FOP) NOD(NAME, S_IFREG | (MODE), nullptr, &FOP, nullptr, nullptr)
#define ONE(NAME, MODE, SHOW) NOD(NAME, S_IFREG | (MODE), nullptr, &proc_single_file_operations, SHOW, nullptr)
#define LNK(NAME, GET) NOD(NAME, S_IFLNK | 0777, &proc_pid_link_inode_operations, nullptr, nullptr, GET)

// What a process and each of its threads both show (Linux's tgid_base_stuff
// and tid_base_stuff): only stat differs, process-wide or the thread's own.
#define PID_BASE_ENTRIES(STAT)                                                                  \
    DIR("fd", 0500, proc_fd_inode_operations, proc_fd_operations),                             \
    DIR("fdinfo", 0500, proc_fdinfo_inode_operations, proc_fdinfo_operations),                 \
    REG("environ", 0400, proc_environ_operations), ONE("status", 0444, proc_pid_status),        \
    REG("cmdline", 0444, proc_pid_cmdline_ops), ONE("stat", 0444, STAT),                        \
    ONE("statm", 0444, proc_pid_statm), REG("maps", 0444, proc_pid_maps_operations),            \
    NOD("comm", S_IFREG | 0644, nullptr, &proc_pid_set_comm_operations, comm_show, nullptr),    \
    ONE("mounts", 0444, proc_mounts_show), LNK("cwd", proc_cwd_link),                           \
    LNK("root", proc_root_link), LNK("exe", proc_exe_link)

// /proc/PID/task/TID
const pid_entry tid_base_stuff[] = {PID_BASE_ENTRIES(proc_tid_stat)};
constexpr unsigned tid_base_count = sizeof(tid_base_stuff) / sizeof(tid_base_stuff[0]);

Result<dentry*> proc_tid_base_lookup(inode* dir, dentry* d, unsigned) {
    return proc_pident_lookup(dir, d, tid_base_stuff, tid_base_count);
}
int proc_tid_base_readdir(file* f, dir_context* ctx) {
    return proc_pident_readdir(f, ctx, tid_base_stuff, tid_base_count);
}
const inode_operations proc_tid_base_inode_operations = {.lookup = proc_tid_base_lookup};
const file_operations proc_tid_base_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = proc_tid_base_readdir};

// /proc/PID/task: one directory per thread, in the thread list's order.
Result<dentry*> proc_task_lookup(inode* dir, dentry* d, unsigned) {
    Result<unsigned> tid = kstrtouint(d->d_name.name, 10);
    if (tid.is_error() || !tid.value() || d->d_name.name[0] == '0' || d->d_name.name[0] == '+')
        return Error{ENOENT};
    task_struct* leader = get_proc_task(dir);
    if (!leader) return Error{ENOENT};
    task_struct* task = signal_find_task(int(tid.value()), true, true);
    Result<dentry*> r = Error{ENOENT};
    if (task && task->tgid == leader->tgid) {
        inode* i = proc_pid_make_inode(d->d_sb, task, S_IFDIR | 0555);
        if (!i) {
            r = Error{ENOMEM};
        } else {
            i->i_op = &proc_tid_base_inode_operations;
            i->i_fop = &proc_tid_base_operations;
            set_nlink(i, pid_entry_nlink(tid_base_stuff, tid_base_count));
            d_add(d, i);
            r = static_cast<dentry*>(nullptr);
        }
    }
    if (task) put_task_struct(task);
    put_task_struct(leader);
    return r;
}

// Positions: 2 + n is the n-th thread.
int proc_task_readdir(file* f, dir_context* ctx) {
    task_struct* leader = get_proc_task(file_inode(f));
    if (!leader) return -ENOENT;
    if (dir_emit_dots(f, ctx)) {
        for (;;) {
            int tid = 0;
            {
                Guard<IrqSave> guard(tasklist_lock);
                loff_t n = 2;
                if (!leader->exit_state || leader->exit_state == EXIT_ZOMBIE)
                    for_each_thread(leader->group_leader, t) {
                        if (n++ == ctx->pos) {
                            tid = t->pid;
                            break;
                        }
                    }
            }
            if (!tid) break;
            char name[16];
            int len = scnprintf(name, sizeof(name), "%d", tid);
            if (!dir_emit(ctx, name, len, 1, DT_DIR)) break;
            ctx->pos++;
        }
    }
    put_task_struct(leader);
    return 0;
}

const inode_operations proc_task_inode_operations = {.lookup = proc_task_lookup};
const file_operations proc_task_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = proc_task_readdir};

// /proc/PID
const pid_entry tgid_base_stuff[] = {
    DIR("task", 0555, proc_task_inode_operations, proc_task_operations),
    PID_BASE_ENTRIES(proc_tgid_stat),
};
constexpr unsigned tgid_base_count = sizeof(tgid_base_stuff) / sizeof(tgid_base_stuff[0]);

Result<dentry*> proc_tgid_base_lookup(inode* dir, dentry* d, unsigned) {
    return proc_pident_lookup(dir, d, tgid_base_stuff, tgid_base_count);
}
int proc_tgid_base_readdir(file* f, dir_context* ctx) {
    return proc_pident_readdir(f, ctx, tgid_base_stuff, tgid_base_count);
}
const inode_operations proc_tgid_base_inode_operations = {.lookup = proc_tgid_base_lookup};
const file_operations proc_tgid_base_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = proc_tgid_base_readdir};

}  // namespace

task_struct* next_process(int from) {
    task_struct* best = nullptr;
    Guard<IrqSave> guard(tasklist_lock);
    for_each_process(p) {
        if (p->pid == 0 || p->exit_state == EXIT_DEAD) continue;
        if (p->tgid >= from && (!best || p->tgid < best->tgid)) best = p;
    }
    if (best) get_task_struct(best);
    return best;
}

mm_struct* get_task_mm(task_struct* task) {
    Guard<IrqSave> guard(task->pi_lock);
    mm_struct* mm = task->mm;
    if (!mm || (task->flags & PF_KTHREAD)) return nullptr;
    mm->mm_users.fetch_add(1, memory_order::relaxed);
    return mm;
}

task_struct* get_proc_task(const inode* i) {
    int pid = PROC_I(i)->pid;
    return pid ? signal_find_task(pid, true, true) : nullptr;
}

inode* proc_pid_make_inode(super_block* sb, task_struct* task, umode_t mode) {
    inode* i = proc_alloc_inode(sb);
    if (!i) return nullptr;
    i->i_mode = mode;
    set_nlink(i, 1);
    i->i_mtime = i->i_atime = i->i_ctime = current_time(i);
    PROC_I(i)->pid = task->pid;
    const cred* c = task->cred ? task->cred : &init_cred;
    i->i_uid = c->euid;
    i->i_gid = c->egid;
    return i;
}

Result<dentry*> proc_pid_lookup(dentry* d, unsigned) {
    Result<unsigned> tgid = kstrtouint(d->d_name.name, 10);
    // Only canonical decimal names: "01" and "+1" are not processes.
    if (tgid.is_error() || !tgid.value() || d->d_name.name[0] == '0' || d->d_name.name[0] == '+')
        return Error{ENOENT};
    task_struct* task = signal_find_task(int(tgid.value()), true, true);
    if (!task) return Error{ENOENT};
    Result<dentry*> r = static_cast<dentry*>(nullptr);
    inode* i = proc_pid_make_inode(d->d_sb, task, S_IFDIR | 0555);
    if (!i) {
        r = Error{ENOMEM};
    } else {
        i->i_op = &proc_tgid_base_inode_operations;
        i->i_fop = &proc_tgid_base_operations;
        set_nlink(i, pid_entry_nlink(tgid_base_stuff, tgid_base_count));
        d_add(d, i);
    }
    put_task_struct(task);
    return r;
}

// Positions from FIRST_PROCESS_ENTRY on: FIRST_PROCESS_ENTRY + tgid.
int proc_pid_readdir(file*, dir_context* ctx) {
    for (;;) {
        task_struct* task = next_process(int(ctx->pos - FIRST_PROCESS_ENTRY));
        int tgid = task ? task->tgid : 0;
        if (task) put_task_struct(task);
        if (!tgid) {
            ctx->pos = FIRST_PROCESS_ENTRY + (1 << 22);  // PID_MAX_LIMIT: past every process
            return 0;
        }
        ctx->pos = FIRST_PROCESS_ENTRY + tgid;
        char name[16];
        int len = scnprintf(name, sizeof(name), "%d", tgid);
        if (!dir_emit(ctx, name, len, 1, DT_DIR)) return 0;
        ctx->pos++;
    }
}
