// Helpers for the file-system differential tests (fs_*.c, pipe.c, poll.c, ...):
// a scratch directory, small file I/O, sorted directory listings and a child
// run under another uid. Everything prints only what is the same on every
// kernel: names, sizes, modes and yes/no relations, never inode numbers or times.
#pragma once
#define _GNU_SOURCE
#include "t.h"
#include <dirent.h>
#include <grp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

// A watchdog: a test that blocks forever on a kernel that lacks a feature is
// ended by SIGALRM instead of hanging the runner's boot.
static inline void t_watchdog(unsigned seconds) { alarm(seconds); }

// Makes /tmp/NAME (removing nothing: each program runs once per boot) and
// enters it.
static inline void t_scratch(const char* name) {
    char path[256];
    snprintf(path, sizeof path, "/tmp/%s", name);
    mkdir("/tmp", 01777);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) printf("scratch: mkdir %s: %s\n", path, t_errname(errno));
    if (chdir(path) < 0) printf("scratch: chdir %s: %s\n", path, t_errname(errno));
}

// Writes a whole file (O_CREAT|O_TRUNC); returns 0 or -1.
static inline int t_put(const char* path, const char* text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    size_t n = strlen(text);
    int r = write(fd, text, n) == (ssize_t)n ? 0 : -1;
    close(fd);
    return r;
}

// Prints "LABEL: <contents>" of a small file, non-printing bytes as \xNN, or
// "LABEL: -1 ENAME".
static inline void t_cat(const char* label, const char* path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: -1 %s\n", label, t_errname(errno));
        return;
    }
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0) {
        printf("%s: read -1 %s\n", label, t_errname(errno));
        return;
    }
    printf("%s: \"", label);
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\') putchar(c);
        else printf("\\x%02x", c);
    }
    printf("\" (%zd bytes)\n", n);
}

struct linux_dirent64_t {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int t_cmpstr(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

// Lists a directory with getdents64 (a small buffer, so several calls), sorts
// the names and prints "LABEL: name/type ..." (type: d, r, l, p, c, b, s, ?).
static inline void t_ls(const char* label, const char* path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        printf("%s: -1 %s\n", label, t_errname(errno));
        return;
    }
    static char names[256][280];
    static char* ptr[256];
    int n = 0;
    char buf[200];
    for (;;) {
        long r = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (r < 0) {
            printf("%s: getdents64 -1 %s\n", label, t_errname(errno));
            close(fd);
            return;
        }
        if (r == 0) break;
        for (long off = 0; off < r;) {
            struct linux_dirent64_t* d = (struct linux_dirent64_t*)(buf + off);
            char t = '?';
            switch (d->d_type) {
            case DT_DIR: t = 'd'; break;
            case DT_REG: t = 'r'; break;
            case DT_LNK: t = 'l'; break;
            case DT_FIFO: t = 'p'; break;
            case DT_CHR: t = 'c'; break;
            case DT_BLK: t = 'b'; break;
            case DT_SOCK: t = 's'; break;
            }
            if (n < 256) {
                snprintf(names[n], sizeof names[n], "%s/%c", d->d_name, t);
                ptr[n] = names[n];
                n++;
            }
            off += d->d_reclen;
        }
    }
    close(fd);
    qsort(ptr, n, sizeof ptr[0], t_cmpstr);
    printf("%s:", label);
    for (int i = 0; i < n; i++) printf(" %s", ptr[i]);
    printf("\n");
}

// Runs FN in a child with uid and gid 1000 (no supplementary groups) and waits
// for it; output order is kept by flushing around the fork.
static inline void t_as_user(void (*fn)(void)) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (setgroups(0, NULL) < 0 || setgid(1000) < 0 || setuid(1000) < 0) printf("as_user: cannot drop privileges\n");
        fn();
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
}

// Prints the file type and permission bits of a path (lstat), e.g. "f: reg 0644".
static inline void t_mode(const char* label, const char* path) {
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%s: -1 %s\n", label, t_errname(errno));
        return;
    }
    const char* t = S_ISREG(st.st_mode) ? "reg" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "lnk"
                  : S_ISFIFO(st.st_mode) ? "fifo" : S_ISCHR(st.st_mode) ? "chr" : S_ISBLK(st.st_mode) ? "blk" : "other";
    printf("%s: %s %04o size %lld nlink %lu uid %u gid %u\n", label, t, st.st_mode & 07777,
           S_ISDIR(st.st_mode) ? -1LL : (long long)st.st_size, (unsigned long)st.st_nlink, st.st_uid, st.st_gid);
}

// statx(2) and renameat2(2): not in this musl's headers, so the ABI here.
struct t_statx_ts {
    long long tv_sec;
    unsigned tv_nsec;
    int reserved;
};
struct t_statx {
    unsigned stx_mask, stx_blksize;
    unsigned long long stx_attributes;
    unsigned stx_nlink, stx_uid, stx_gid;
    unsigned short stx_mode, pad1;
    unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct t_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
    unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    unsigned long long stx_mnt_id, spare[13];
};
#define T_STATX_TYPE 0x1u
#define T_STATX_MODE 0x2u
#define T_STATX_NLINK 0x4u
#define T_STATX_SIZE 0x200u
#define T_STATX_BASIC_STATS 0x7ffu
static inline long t_statx(int dirfd, const char* path, int flags, unsigned mask, struct t_statx* sx) {
    return syscall(SYS_statx, dirfd, path, flags, mask, sx);
}
#define T_RENAME_NOREPLACE 1
#define T_RENAME_EXCHANGE 2
static inline long t_renameat2(int od, const char* o, int nd, const char* n, unsigned flags) {
    return syscall(SYS_renameat2, od, o, nd, n, flags);
}

// T_SYS("label", expr): like T_RET with a label instead of the expression
// (for long syscall() lines).
#define T_SYS(label, expr)                                                       \
    do {                                                                         \
        errno = 0;                                                               \
        long t_r_ = (long)(expr);                                                \
        if (t_r_ == -1 && errno)                                                 \
            printf("%s = -1 %s\n", label, t_errname(errno));                     \
        else                                                                     \
            printf("%s = %ld\n", label, t_r_);                                   \
    } while (0)
