// eventfd (Linux's include/linux/eventfd.h): a 64-bit counter behind a file.
// write adds to it, read takes it (or 1 of it, EFD_SEMAPHORE) and blocks while
// it is 0; poll says readable while it is non-zero. Kernel code signals a
// user's eventfd with eventfd_signal.
#pragma once
#include <keel/fs.h>
#include <uapi/linux/fcntl.h>

enum : unsigned {
    EFD_SEMAPHORE = 1,
    EFD_CLOEXEC = O_CLOEXEC,
    EFD_NONBLOCK = O_NONBLOCK,
    EFD_SHARED_FCNTL_FLAGS = O_CLOEXEC | O_NONBLOCK,
    EFD_FLAGS_SET = EFD_SHARED_FCNTL_FLAGS | EFD_SEMAPHORE,
};

struct eventfd_ctx;
// The counter of an eventfd file with a reference, or EBADF/EINVAL (not an eventfd).
Result<eventfd_ctx*> eventfd_ctx_fileget(file* f);
void eventfd_ctx_put(eventfd_ctx* ctx);
// Adds n (no more than keeps the counter below ULLONG_MAX) and wakes readers;
// returns what was added.
u64 eventfd_signal(eventfd_ctx* ctx, u64 n);
