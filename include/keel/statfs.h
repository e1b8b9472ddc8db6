// What a file system reports about itself (Linux's include/linux/statfs.h):
// filled by super_operations::statfs, copied out by statfs(2)/fstatfs(2).
#pragma once
#include <keel/types.h>

struct kstatfs {
    long f_type;  // the magic number (TMPFS_MAGIC...)
    long f_bsize;
    u64 f_blocks, f_bfree, f_bavail;  // in f_bsize units
    u64 f_files, f_ffree;
    int f_fsid[2];
    long f_namelen;
    long f_frsize;  // 0: statfs reports f_bsize
    long f_flags;   // ST_*: filled by the VFS from the mount
    long f_spare[4];
};

// f_flags (include/linux/statfs.h).
enum : long {
    ST_RDONLY = 0x0001, ST_NOSUID = 0x0002, ST_NODEV = 0x0004, ST_NOEXEC = 0x0008, ST_SYNCHRONOUS = 0x0010,
    ST_VALID = 0x0020,  // f_flags is supported at all
    ST_MANDLOCK = 0x0040, ST_NOATIME = 0x0400, ST_NODIRATIME = 0x0800, ST_RELATIME = 0x1000,
};

struct path;
int vfs_statfs(const path* p, kstatfs* buf);
