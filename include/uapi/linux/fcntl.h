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
};

enum : unsigned {
    F_DUPFD = 0,
    F_GETFD = 1,
    F_SETFD = 2,
    F_GETFL = 3,
    F_SETFL = 4,
    F_DUPFD_CLOEXEC = 1030,
};
constexpr int FD_CLOEXEC = 1;

constexpr int AT_FDCWD = -100;
constexpr unsigned AT_SYMLINK_NOFOLLOW = 0x100;
constexpr unsigned AT_EMPTY_PATH = 0x1000;
