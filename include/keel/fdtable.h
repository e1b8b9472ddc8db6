// A process's file descriptors (Linux's files_struct and fdtable,
// include/linux/fdtable.h): fd -> struct file, plus which fds close on exec.
// Shared by threads (CLONE_FILES), copied by fork.
#pragma once
#include <keel/atomic.h>
#include <keel/fs.h>
#include <keel/spinlock.h>

constexpr unsigned NR_OPEN_DEFAULT = 1024;  // = RLIMIT_NOFILE's default soft limit

struct files_struct {
    Atomic<int> count{1};
    spinlock_t file_lock;  // guards everything below
    file* fd[NR_OPEN_DEFAULT] = {};
    unsigned long close_on_exec[NR_OPEN_DEFAULT / 64] = {};
    unsigned next_fd = 0;  // no free fd below this (a search hint, as Linux's)
};

files_struct* alloc_files();            // empty table, or nullptr
files_struct* dup_fd(files_struct* old);  // fork: every open file shared, or nullptr
void put_files_struct(files_struct* files);  // the last put closes everything
// exec: closes the fds marked close-on-exec.
void do_close_on_exec(files_struct* files);

// Operations on current->files.
file* fget(unsigned fd);  // a reference, or nullptr for a closed fd
// Lowest free fd >= start, installed with f (the caller's reference moves into
// the table); EMFILE when full.
Result<int> alloc_fd_install(unsigned start, file* f, bool cloexec);
// Replaces fd with f (dup2/dup3): closes what was there.
Result<int> replace_fd(unsigned fd, file* f, bool cloexec);
Result<void> close_fd(unsigned fd);
// Takes fd out of the table and returns its file (the table's reference), or nullptr.
file* pick_file(unsigned fd);
bool get_close_on_exec(unsigned fd);
void set_close_on_exec(unsigned fd, bool on);

// A reference to an fd's file for the length of a system call (Linux's
// fdget/fdput): `fd_ref f(fd); if (!f) return -EBADF; ... f->f_op ...`.
struct fd_ref {
    file* f;
    explicit fd_ref(unsigned fd) : f(fget(fd)) {}
    ~fd_ref() {
        if (f) fput(f);
    }
    fd_ref(const fd_ref&) = delete;
    fd_ref& operator=(const fd_ref&) = delete;
    explicit operator bool() const { return f != nullptr; }
    file* operator->() const { return f; }
};
