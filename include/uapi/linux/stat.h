// statx(2)'s buffer and masks (include/uapi/linux/stat.h); the file-type bits
// and struct stat are in uapi/asm/stat.h.
#pragma once
#include <keel/types.h>
#include <stddef.h>
#include <uapi/asm/stat.h>

struct statx_timestamp {
    s64 tv_sec;
    u32 tv_nsec;
    s32 __reserved;
};

struct statx {
    u32 stx_mask;  // STATX_* filled in
    u32 stx_blksize;
    u64 stx_attributes;
    u32 stx_nlink;
    u32 stx_uid;
    u32 stx_gid;
    u16 stx_mode;
    u16 __spare0[1];
    u64 stx_ino;
    u64 stx_size;
    u64 stx_blocks;
    u64 stx_attributes_mask;
    statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    u32 stx_rdev_major, stx_rdev_minor;
    u32 stx_dev_major, stx_dev_minor;
    u64 stx_mnt_id;
    u32 stx_dio_mem_align, stx_dio_offset_align;
    u64 __spare3[12];
};
static_assert(sizeof(statx_timestamp) == 16);
static_assert(sizeof(statx) == 256);
static_assert(offsetof(statx, stx_mode) == 28 && offsetof(statx, stx_ino) == 32 &&
              offsetof(statx, stx_attributes_mask) == 56 && offsetof(statx, stx_atime) == 64 &&
              offsetof(statx, stx_mtime) == 112 && offsetof(statx, stx_rdev_major) == 128 &&
              offsetof(statx, stx_mnt_id) == 144 && offsetof(statx, __spare3) == 160);

enum : u32 {
    STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_GID = 0x10,
    STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80, STATX_INO = 0x100, STATX_SIZE = 0x200,
    STATX_BLOCKS = 0x400, STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_MNT_ID = 0x1000,
    STATX_DIOALIGN = 0x2000,
    STATX__RESERVED = 0x80000000u,  // a future struct statx: refused
};

// stx_attributes (those Keel can report).
enum : u64 { STATX_ATTR_AUTOMOUNT = 0x1000, STATX_ATTR_MOUNT_ROOT = 0x2000, STATX_ATTR_DAX = 0x200000 };

// utimensat's special tv_nsec values.
constexpr long UTIME_NOW = (1l << 30) - 1, UTIME_OMIT = (1l << 30) - 2;
