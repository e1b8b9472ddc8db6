// struct statfs as x86_64 Linux fills it for statfs(2)/fstatfs(2)
// (include/uapi/asm-generic/statfs.h with a long word).
#pragma once
#include <stddef.h>

struct statfs {
    long f_type;
    long f_bsize;
    long f_blocks, f_bfree, f_bavail;
    long f_files, f_ffree;
    int f_fsid[2];
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};
static_assert(sizeof(statfs) == 120);
static_assert(offsetof(statfs, f_fsid) == 56 && offsetof(statfs, f_namelen) == 64 && offsetof(statfs, f_flags) == 80);
