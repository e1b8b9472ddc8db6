// open flags and fcntl commands (include/uapi/asm-generic/fcntl.h, linux/fcntl.h):
// octal values, as Linux writes them.
#pragma once

enum : unsigned {
    O_ACCMODE = 00000003,
    O_RDONLY = 00000000,
    O_WRONLY = 00000001,
    O_RDWR = 00000002,
    O_CREAT = 00000100,
    O_EXCL = 00000200,
    O_NOCTTY = 00000400,
    O_TRUNC = 00001000,
    O_APPEND = 00002000,
    O_NONBLOCK = 00004000,
    O_DIRECTORY = 00200000,
    O_NOFOLLOW = 00400000,
    O_CLOEXEC = 02000000,
    O_LARGEFILE = 00100000,
    O_PATH = 010000000,
    O_DSYNC = 00010000,
    FASYNC = 00020000,
    O_DIRECT = 00040000,
    O_NOATIME = 01000000,
    __O_SYNC = 04000000,
    O_SYNC = __O_SYNC | O_DSYNC,
    __O_TMPFILE = 020000000,
    O_TMPFILE = __O_TMPFILE | O_DIRECTORY,
};

enum : unsigned {
    F_DUPFD = 0,
    F_GETFD = 1,
    F_SETFD = 2,
    F_GETFL = 3,
    F_SETFL = 4,
    F_SETOWN = 8,
    F_GETOWN = 9,
    F_SETLK = 6,
    F_SETLKW = 7,
    F_GETLK = 5,
    F_SETPIPE_SZ = 1031,
    F_GETPIPE_SZ = 1032,
    F_ADD_SEALS = 1033,
    F_GET_SEALS = 1034,
    F_DUPFD_CLOEXEC = 1030,
};
constexpr int FD_CLOEXEC = 1;

constexpr int AT_FDCWD = -100;
constexpr unsigned AT_SYMLINK_NOFOLLOW = 0x100;
constexpr unsigned AT_REMOVEDIR = 0x200;
constexpr unsigned AT_SYMLINK_FOLLOW = 0x400;
constexpr unsigned AT_NO_AUTOMOUNT = 0x800;
constexpr unsigned AT_EMPTY_PATH = 0x1000;
constexpr unsigned AT_EACCESS = 0x200;  // faccessat: the effective ids (shares AT_REMOVEDIR's bit)
constexpr unsigned AT_STATX_SYNC_TYPE = 0x6000;
constexpr unsigned AT_RECURSIVE = 0x8000;

// renameat2 flags (include/uapi/linux/fs.h).
constexpr unsigned RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
