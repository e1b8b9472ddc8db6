// execve and execveat (Linux's fs/exec.c): copy the argument and environment
// strings into the kernel, open the file through the VFS,
// let a format handler (#! script, ELF) build the new image, and on success
// return to user mode at the new program's entry point.
#include <asm/syscall.h>
#include <asm/uaccess.h>
#include <keel/binfmts.h>
#include <keel/fdtable.h>
#include <keel/mm.h>
#include <keel/namei.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

// Appends one string; E2BIG when the buffer is full (Linux's limit is bigger).
Result<void> push_string(linux_binprm* bprm, const char* s, size_t len) {
    if (bprm->strings_len + len + 1 > MAX_ARG_STRINGS_BYTES) return Error{E2BIG};
    memcpy(bprm->strings + bprm->strings_len, s, len);
    bprm->strings[bprm->strings_len + len] = '\0';
    bprm->strings_len += len + 1;
    return {};
}

// Copies a NULL-terminated array of user strings (argv or envp; a NULL array
// counts as empty, as Linux allows).
Result<int> copy_strings_user(linux_binprm* bprm, const char __user* const __user* arr) {
    if (!arr) return 0;
    int n = 0;
    for (;; n++) {
        const char __user* s;
        if (get_user(s, arr + n)) return Error{EFAULT};
        if (!s) break;
        size_t room = MAX_ARG_STRINGS_BYTES - bprm->strings_len;
        long len = strncpy_from_user(bprm->strings + bprm->strings_len, s, long(room));
        if (len < 0) return Error{EFAULT};
        if (size_t(len) >= room) return Error{E2BIG};
        bprm->strings_len += size_t(len) + 1;
    }
    return n;
}

Result<int> copy_strings_kernel(linux_binprm* bprm, const char* const* arr) {
    int n = 0;
    for (; arr && arr[n]; n++) TRY(push_string(bprm, arr[n], strlen(arr[n])));
    return n;
}

// The last path component: the name the task gets (comm).
const char* kbasename(const char* path) {
    const char* tail = strrchr(path, '/');
    return tail ? tail + 1 : path;
}

int exec_binprm(linux_binprm* bprm) {
    // Scripts may name scripts: each round replaces bprm->file.
    for (;;) {
        int ret = load_script(bprm);
        if (ret == -ENOEXEC) return load_elf_binary(bprm, task_pt_regs(current));
        if (ret) return ret;
    }
}

// dfd and flags as execveat's; name "" with AT_EMPTY_PATH executes dfd itself.
template <typename CopyArgs> int do_execve(int dfd, const char* filename, int flags, CopyArgs copy_args) {
    // On the heap: the names are PATH_MAX bytes each.
    auto* bprm = static_cast<linux_binprm*>(kzalloc(sizeof(linux_binprm), GFP_KERNEL));
    if (!bprm) return -ENOMEM;
    // An fd executed by AT_EMPTY_PATH is known as /dev/fd/N (AT_EXECFN, comm), as on Linux.
    if (!*filename) snprintf(bprm->filename, sizeof(bprm->filename), "/dev/fd/%d", dfd);
    else strscpy(bprm->filename, filename, sizeof(bprm->filename));
    strscpy(bprm->interp, bprm->filename, sizeof(bprm->interp));
    int ret;
    Result<file*> f = open_exec(dfd, filename, flags);
    if (f.is_error()) ret = -f.error();
    else ret = bprm_set_file(bprm, f.value());
    if (!ret) {
        bprm->strings = static_cast<char*>(vmalloc(MAX_ARG_STRINGS_BYTES));
        if (!bprm->strings) ret = -ENOMEM;
    }
    if (!ret) ret = copy_args(bprm);
    if (!ret) ret = exec_binprm(bprm);
    if (bprm->strings) vfree(bprm->strings);
    if (bprm->file) fput(bprm->file);
    kfree(bprm);
    return ret;
}

long do_execveat(int fd, const char __user* filename, const char __user* const __user* argv,
                 const char __user* const __user* envp, int flags) {
    if (flags & ~int(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -EINVAL;
    Result<::filename*> name = getname_flags(filename, (flags & AT_EMPTY_PATH) ? unsigned(LOOKUP_EMPTY) : 0u);
    if (name.is_error()) return -name.error();
    long ret = do_execve(fd, name.value()->name, flags, [&](linux_binprm* bprm) -> int {
        Result<int> argc = copy_strings_user(bprm, argv);
        if (argc.is_error()) return -argc.error();
        Result<int> envc = copy_strings_user(bprm, envp);
        if (envc.is_error()) return -envc.error();
        bprm->argc = argc.value();
        bprm->envc = envc.value();
        return 0;
    });
    putname(name.value());
    return ret;
}

}  // namespace

Result<file*> open_exec(int dfd, const char* name, int flags) {
    open_flags op;
    build_open_flags(O_RDONLY | O_LARGEFILE, 0, &op);
    op.acc_mode = MAY_EXEC;
    op.lookup_flags = (flags & AT_SYMLINK_NOFOLLOW) ? 0u : unsigned(LOOKUP_FOLLOW);
    if (flags & AT_EMPTY_PATH) op.lookup_flags |= LOOKUP_EMPTY;
    ::filename* fname = getname_kernel(name);
    if (!fname) return Error{ENOMEM};
    Result<file*> f = do_filp_open(dfd, fname, &op);
    putname(fname);
    if (f.is_error()) return f;
    file* file = f.value();
    inode* i = file_inode(file);
    // Only regular files on mounts that allow it, and with an execute bit
    // (even root needs one: generic_permission's rule for MAY_EXEC).
    int err = 0;
    if (!S_ISREG(i->i_mode) || (file->f_path.mnt->mnt_flags & MNT_NOEXEC)) err = EACCES;
    else if (inode_permission(i, MAY_EXEC)) err = EACCES;
    if (err) {
        fput(file);
        return Error{err};
    }
    return file;
}

int bprm_set_file(linux_binprm* bprm, file* f) {
    if (bprm->file) fput(bprm->file);
    bprm->file = f;
    bprm->file_size = i_size_read(file_inode(f));
    memset(bprm->buf, 0, sizeof(bprm->buf));
    loff_t pos = 0;
    ssize_t n = kernel_read(f, bprm->buf, sizeof(bprm->buf), &pos);
    return n < 0 ? int(n) : 0;
}

Result<void> bprm_prepend_arg(linux_binprm* bprm, const char* arg) {
    size_t len = strlen(arg) + 1;
    if (bprm->strings_len + len > MAX_ARG_STRINGS_BYTES) return Error{E2BIG};
    memmove(bprm->strings + len, bprm->strings, bprm->strings_len);
    memcpy(bprm->strings, arg, len);
    bprm->strings_len += len;
    bprm->argc++;
    return {};
}

void bprm_remove_arg0(linux_binprm* bprm) {
    if (bprm->argc == 0) return;
    size_t len = strlen(bprm->strings) + 1;
    memmove(bprm->strings, bprm->strings + len, bprm->strings_len - len);
    bprm->strings_len -= len;
    bprm->argc--;
}

// Linux's de_thread: exec replaces the whole process, so the other threads go
// first. They get SIGKILL — do_group_exit, seeing group_exec_task, ends just
// the thread it runs in — and this thread waits until it is alone (polling a
// tick at a time: exec from a thread is rare). A non-leader exec'ing thread
// then takes the leader's place: the one thread of a process has tid == tgid,
// so it takes the leader's PID and parent, and the leader, kept as a zombie
// while other threads lived, is released unannounced.
namespace {

int de_thread(task_struct* tsk) {
    signal_struct* sig = tsk->signal;
    if (!sig || next_thread(tsk) == tsk) return 0;
    {
        Guard<IrqSave> lock(tasklist_lock);
        Guard<IrqSave> guard(tsk->sighand->siglock);
        if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task) return -EAGAIN;
        sig->group_exec_task = tsk;
        for_each_thread(tsk, t) {
            if (t == tsk) continue;
            sigaddset(&t->pending.signal, SIGKILL);
            signal_wake_up(t, true);
        }
    }
    task_struct* leader = tsk->group_leader;
    for (;;) {
        bool alone = true;
        {
            Guard<IrqSave> lock(tasklist_lock);
            for_each_thread(tsk, t) {
                bool zombie_leader = t == leader && __atomic_load_n(&t->exit_state, __ATOMIC_ACQUIRE) == EXIT_ZOMBIE;
                if (t != tsk && !zombie_leader) alone = false;
            }
        }
        if (alone) break;
        __set_current_state(TASK_UNINTERRUPTIBLE);
        schedule_timeout(1);
    }
    if (leader != tsk) {
        Guard<IrqSave> lock(tasklist_lock);
        int tid = tsk->pid;
        tsk->pid = leader->pid;
        leader->pid = tid;  // freed with the leader
        tsk->real_parent = leader->real_parent;
        tsk->parent = leader->parent;
        list_replace(&leader->sibling, &tsk->sibling);
        INIT_LIST_HEAD(&leader->sibling);
        list_del_init(&leader->thread_group);
        tsk->group_leader = tsk;
        leader->group_leader = tsk;
        tsk->exit_signal = leader->exit_signal;
        leader->exit_signal = -1;
        leader->exit_state = EXIT_DEAD;
        if (sig->leader == leader) sig->leader = tsk;
    }
    if (leader != tsk) release_task(leader);
    Guard<IrqSave> guard(tsk->sighand->siglock);
    sig->group_exec_task = nullptr;
    return 0;
}

}  // namespace

int begin_new_exec(linux_binprm* bprm) {
    if (int err = de_thread(current)) return err;
    mm_struct* mm = mm_alloc();
    if (!mm) return -ENOMEM;
    set_mm_exe_file(mm, bprm->file);  // /proc/PID/exe: the file run (the interpreter, after #!)
    task_struct* tsk = current;
    mm_release(tsk);  // a vfork parent may go on; the old mm's tid word is cleared
    mm_struct* old_mm = tsk->mm;
    mm_struct* active_mm;
    {
        // The switch must not be preempted halfway: the scheduler reads mm and
        // active_mm to decide what to load.
        Guard<IrqSave> guard(tsk->pi_lock);
        active_mm = tsk->active_mm;
        tsk->mm = mm;
        tsk->active_mm = mm;
        switch_mm(active_mm ? active_mm : &init_mm, mm, tsk);
    }
    if (old_mm) mmput(old_mm);
    else if (active_mm) mmdrop(active_mm);  // a kernel thread's borrowed mm
    // Linux clears PF_KTHREAD only in kernel_execve's caller; here the task is
    // a user task from now on either way.
    tsk->flags &= ~PF_KTHREAD;
    if (tsk->files) do_close_on_exec(tsk->files);
    strscpy(tsk->comm, kbasename(bprm->filename), sizeof(tsk->comm));
    // Handlers point into the old image: back to SIG_DFL (SIG_IGN and the mask stay).
    return flush_signal_handlers(tsk);
}

int kernel_execve(const char* filename, const char* const* argv, const char* const* envp) {
    return do_execve(AT_FDCWD, filename, 0, [&](linux_binprm* bprm) -> int {
        Result<int> argc = copy_strings_kernel(bprm, argv);
        if (argc.is_error()) return -argc.error();
        Result<int> envc = copy_strings_kernel(bprm, envp);
        if (envc.is_error()) return -envc.error();
        bprm->argc = argc.value();
        bprm->envc = envc.value();
        return 0;
    });
}

long sys_execve(const char __user* filename, const char __user* const __user* argv,
                const char __user* const __user* envp) {
    return do_execveat(AT_FDCWD, filename, argv, envp, 0);
}

long sys_execveat(int fd, const char __user* filename, const char __user* const __user* argv,
                  const char __user* const __user* envp, int flags) {
    return do_execveat(fd, filename, argv, envp, flags);
}
