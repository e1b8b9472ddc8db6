// The file-descriptor table (Linux's fs/file.c). One fixed array of
// NR_OPEN_DEFAULT slots per table: RLIMIT_NOFILE's default soft limit. New
// fds stay below the soft limit; a limit raised above 1024 does not grow the
// table yet (Linux's resizable fdtable would). A file is put
// outside the lock, since its release may sleep.
#include <keel/fdtable.h>
#include <keel/sched.h>
#include <keel/resource.h>
#include <lib/bitmap.h>
#include <mm/slab.h>
#include <new>

files_struct* alloc_files() {
    void* mem = kmalloc(sizeof(files_struct), GFP_KERNEL);
    return mem ? new (mem) files_struct : nullptr;
}

files_struct* dup_fd(files_struct* old) {
    files_struct* n = alloc_files();
    if (!n) return nullptr;
    Guard<NoIrqSave> guard(old->file_lock);
    for (unsigned i = 0; i < NR_OPEN_DEFAULT; i++)
        if (old->fd[i]) n->fd[i] = get_file(old->fd[i]);
    for (unsigned i = 0; i < NR_OPEN_DEFAULT / 64; i++) n->close_on_exec[i] = old->close_on_exec[i];
    n->next_fd = old->next_fd;
    return n;
}

void put_files_struct(files_struct* files) {
    if (files->count.fetch_sub(1, memory_order::acq_rel) != 1) return;
    for (unsigned i = 0; i < NR_OPEN_DEFAULT; i++)
        if (files->fd[i]) fput(files->fd[i]);
    files->~files_struct();
    kfree(files);
}

void do_close_on_exec(files_struct* files) {
    for (unsigned i = 0; i < NR_OPEN_DEFAULT; i++) {
        file* f = nullptr;
        {
            Guard<NoIrqSave> guard(files->file_lock);
            if (files->fd[i] && test_bit(i, files->close_on_exec)) {
                f = files->fd[i];
                files->fd[i] = nullptr;
                __clear_bit(i, files->close_on_exec);
                if (i < files->next_fd) files->next_fd = i;
            }
        }
        if (f) fput(f);
    }
}

file* fget(unsigned fd) {
    files_struct* files = current->files;
    if (!files || fd >= NR_OPEN_DEFAULT) return nullptr;
    Guard<NoIrqSave> guard(files->file_lock);
    file* f = files->fd[fd];
    return f ? get_file(f) : nullptr;
}

namespace {

// The fds current may use: RLIMIT_NOFILE's soft limit, within the table.
unsigned nofile_end() {
    unsigned long nofile = task_rlimit(current, RLIMIT_NOFILE);
    return nofile < NR_OPEN_DEFAULT ? unsigned(nofile) : NR_OPEN_DEFAULT;
}

}  // namespace

Result<int> alloc_fd_install(unsigned start, file* f, bool cloexec) {
    files_struct* files = current->files;
    unsigned end = nofile_end();
    Guard<NoIrqSave> guard(files->file_lock);
    unsigned fd = start > files->next_fd ? start : files->next_fd;
    while (fd < end && files->fd[fd]) fd++;
    if (fd >= end) return Error{EMFILE};
    files->fd[fd] = f;
    if (cloexec) __set_bit(fd, files->close_on_exec);
    else __clear_bit(fd, files->close_on_exec);
    if (start <= files->next_fd) files->next_fd = fd + 1;
    return int(fd);
}

Result<int> replace_fd(unsigned fd, file* f, bool cloexec) {
    files_struct* files = current->files;
    if (fd >= nofile_end()) return Error{EBADF};  // dup2/dup3 beyond RLIMIT_NOFILE
    file* old;
    {
        Guard<NoIrqSave> guard(files->file_lock);
        old = files->fd[fd];
        files->fd[fd] = f;
        if (cloexec) __set_bit(fd, files->close_on_exec);
        else __clear_bit(fd, files->close_on_exec);
    }
    if (old) fput(old);
    return int(fd);
}

file* pick_file(unsigned fd) {
    files_struct* files = current->files;
    if (!files || fd >= NR_OPEN_DEFAULT) return nullptr;
    Guard<NoIrqSave> guard(files->file_lock);
    file* f = files->fd[fd];
    if (!f) return nullptr;
    files->fd[fd] = nullptr;
    __clear_bit(fd, files->close_on_exec);
    if (fd < files->next_fd) files->next_fd = fd;
    return f;
}

Result<void> close_fd(unsigned fd) {
    file* f = pick_file(fd);
    if (!f) return Error{EBADF};
    filp_close(f);
    return {};
}

bool get_close_on_exec(unsigned fd) {
    files_struct* files = current->files;
    Guard<NoIrqSave> guard(files->file_lock);
    return test_bit(fd, files->close_on_exec);
}

void set_close_on_exec(unsigned fd, bool on) {
    files_struct* files = current->files;
    Guard<NoIrqSave> guard(files->file_lock);
    if (on) __set_bit(fd, files->close_on_exec);
    else __clear_bit(fd, files->close_on_exec);
}
