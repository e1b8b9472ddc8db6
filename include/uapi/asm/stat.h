// struct stat as x86_64 Linux fills it for fstat/newfstatat (arch/x86/include/uapi/asm/stat.h),
// and the file-type bits of st_mode (include/uapi/linux/stat.h).
#pragma once
#include <stddef.h>

struct stat {
    unsigned long st_dev;
    unsigned long st_ino;
    unsigned long st_nlink;
    unsigned st_mode;
    unsigned st_uid;
    unsigned st_gid;
    unsigned __pad0;
    unsigned long st_rdev;
    long st_size;
    long st_blksize;
    long st_blocks;
    unsigned long st_atime, st_atime_nsec;
    unsigned long st_mtime, st_mtime_nsec;
    unsigned long st_ctime, st_ctime_nsec;
    long __unused[3];
};
static_assert(sizeof(stat) == 144);
static_assert(offsetof(stat, st_mode) == 24 && offsetof(stat, st_rdev) == 40 && offsetof(stat, st_size) == 48 &&
              offsetof(stat, st_mtime) == 88);

enum : unsigned {
    S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000, S_IFBLK = 0060000,
    S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000,
};
constexpr bool S_ISREG(unsigned m) { return (m & S_IFMT) == S_IFREG; }
constexpr bool S_ISDIR(unsigned m) { return (m & S_IFMT) == S_IFDIR; }
constexpr bool S_ISLNK(unsigned m) { return (m & S_IFMT) == S_IFLNK; }
constexpr bool S_ISCHR(unsigned m) { return (m & S_IFMT) == S_IFCHR; }
constexpr bool S_ISBLK(unsigned m) { return (m & S_IFMT) == S_IFBLK; }
constexpr bool S_ISFIFO(unsigned m) { return (m & S_IFMT) == S_IFIFO; }
constexpr bool S_ISSOCK(unsigned m) { return (m & S_IFMT) == S_IFSOCK; }
enum : unsigned { S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000, S_IRWXUGO = 0777, S_IALLUGO = 07777 };
