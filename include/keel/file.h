// fd_ref for the calls that use the open file itself (fchmod, fchown,
// ftruncate, fsync, getdents, futimens): an O_PATH descriptor is only a name,
// so there it counts as not open (EBADF), as with Linux's fdget. Calls that
// need only the name (fstat, fstatfs, fchdir) take a plain fd_ref (fdget_raw).
#pragma once
#include <keel/fdtable.h>

struct fd_ref_nopath : fd_ref {
    explicit fd_ref_nopath(unsigned fd) : fd_ref(fd) {
        if (f && (f->f_mode & FMODE_PATH)) {
            fput(f);
            f = nullptr;
        }
    }
};
