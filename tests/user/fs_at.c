// The *at() system calls: a directory fd, AT_FDCWD, absolute paths that
// ignore the fd, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW / AT_SYMLINK_FOLLOW,
// AT_REMOVEDIR, and their errnos (EBADF for a bad fd with a relative path,
// ENOTDIR for a file fd, EINVAL for unknown flags). Also newfstatat/statx
// with AT_EMPTY_PATH, and openat with O_PATH.
#include "tfs.h"

int main(void) {
    t_watchdog(10);
    t_scratch("fs_at");
    int d, fd, ffd;
    struct stat st;
    char buf[64];

    T_RET(mkdir("dir", 0755));
    T_RET(d = open("dir", O_RDONLY | O_DIRECTORY));
    T_RET(fd = openat(d, "f", O_RDWR | O_CREAT | O_EXCL, 0644));
    T_RET(write(fd, "at data", 7));
    close(fd);
    t_mode("dir/f", "dir/f");
    T_RET(openat(AT_FDCWD, "dir/f", O_RDONLY) >= 0);
    T_RET(openat(99, "f", O_RDONLY));          // EBADF
    T_RET(openat(99, "/tmp/fs_at/dir/f", O_RDONLY) >= 0);  // absolute: fd ignored
    T_RET(ffd = openat(d, "f", O_RDONLY));
    T_RET(openat(ffd, "x", O_RDONLY));         // ENOTDIR
    T_RET(openat(-1, "f", O_RDONLY));          // EBADF

    // mkdirat / mknodat / symlinkat / readlinkat / linkat / renameat / unlinkat.
    T_RET(mkdirat(d, "sub", 0700));
    T_RET(mkdirat(d, "sub", 0700));            // EEXIST
    T_RET(mknodat(d, "fifo", S_IFIFO | 0600, 0));
    T_RET(symlinkat("f", d, "sl"));
    T_RET(symlinkat("/nowhere", d, "abs"));
    ssize_t n = readlinkat(d, "sl", buf, sizeof buf);
    printf("readlinkat sl: %.*s\n", (int)(n > 0 ? n : 0), buf);
    T_RET(readlinkat(d, "f", buf, sizeof buf));  // EINVAL
    T_RET(linkat(d, "f", d, "hard", 0));
    T_RET(linkat(d, "sl", d, "hard_sl", 0));   // the link itself
    T_RET(linkat(d, "sl", d, "hard_f", AT_SYMLINK_FOLLOW));  // its target
    T_RET(fstatat(d, "hard_sl", &st, AT_SYMLINK_NOFOLLOW));
    printf("hard_sl is a symlink: %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
    T_RET(fstatat(d, "hard_f", &st, AT_SYMLINK_NOFOLLOW));
    printf("hard_f is a file with %lu links\n", (unsigned long)st.st_nlink);
    T_RET(linkat(d, "f", d, "x", 0x1));        // EINVAL: unknown flag
    T_RET(renameat(d, "hard", AT_FDCWD, "moved_out"));
    t_cat("moved_out", "moved_out");
    T_RET(renameat(AT_FDCWD, "moved_out", d, "hard"));
    t_ls("ls dir", "dir");
    T_RET(unlinkat(d, "sub", 0));              // EISDIR
    T_RET(unlinkat(d, "f", AT_REMOVEDIR));     // ENOTDIR
    T_RET(unlinkat(d, "sub", AT_REMOVEDIR));
    T_RET(unlinkat(d, "hard", 0));
    T_RET(unlinkat(d, "hard_f", 0x1));         // EINVAL
    T_RET(unlinkat(ffd, "x", 0));              // ENOTDIR

    // fstatat / newfstatat: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
    T_RET(fstatat(d, "abs", &st, 0));          // ENOENT: dangling
    T_RET(fstatat(d, "abs", &st, AT_SYMLINK_NOFOLLOW));
    printf("abs: lnk %s size %lld\n", S_ISLNK(st.st_mode) ? "yes" : "no", (long long)st.st_size);
    T_RET(fstatat(ffd, "", &st, AT_EMPTY_PATH));
    printf("empty path on f: size %lld\n", (long long)st.st_size);
    T_RET(fstatat(ffd, "", &st, 0));           // ENOENT without the flag
    T_RET(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH));  // the cwd
    printf("empty path on AT_FDCWD is a dir: %s\n", S_ISDIR(st.st_mode) ? "yes" : "no");
    T_RET(fstatat(d, "f", &st, 0x1));          // EINVAL
    T_RET(fstatat(99, "", &st, AT_EMPTY_PATH));  // EBADF
    struct t_statx sx;
    T_RET(t_statx(ffd, "", AT_EMPTY_PATH, T_STATX_BASIC_STATS, &sx));
    printf("statx empty path: size %llu\n", (unsigned long long)sx.stx_size);
    T_RET(t_statx(d, "sl", AT_SYMLINK_NOFOLLOW, T_STATX_BASIC_STATS, &sx));
    printf("statx sl nofollow: lnk %s\n", S_ISLNK(sx.stx_mode) ? "yes" : "no");
    T_RET(t_statx(d, "sl", 0, T_STATX_BASIC_STATS, &sx));
    printf("statx sl: reg %s size %llu\n", S_ISREG(sx.stx_mode) ? "yes" : "no", (unsigned long long)sx.stx_size);

    // fchownat / fchmodat / faccessat / utimensat with a dir fd.
    T_RET(fchownat(d, "sl", 5, 6, AT_SYMLINK_NOFOLLOW));
    t_mode("dir/sl", "dir/sl");
    T_RET(fchownat(ffd, "", 7, 8, AT_EMPTY_PATH));
    t_mode("dir/f", "dir/f");
    T_RET(fchmodat(d, "f", 0600, 0));
    t_mode("dir/f chmod", "dir/f");
    T_RET(faccessat(d, "f", R_OK, 0));
    T_RET(faccessat(d, "nothing", R_OK, 0));   // ENOENT
    T_SYS("faccessat2 empty path", syscall(SYS_faccessat2, ffd, "", R_OK, AT_EMPTY_PATH));
    T_SYS("faccessat2 nofollow", syscall(SYS_faccessat2, d, "abs", F_OK, AT_SYMLINK_NOFOLLOW));
    T_SYS("faccessat2 follow", syscall(SYS_faccessat2, d, "abs", F_OK, 0));  // ENOENT
    struct timespec ts[2] = {{10, 0}, {20, 0}};
    T_RET(utimensat(d, "f", ts, 0));
    T_RET(futimens(ffd, ts));
    T_SYS("utimensat(fd, NULL)", syscall(SYS_utimensat, ffd, NULL, ts, 0));  // Linux: the fd itself
    T_RET(fstat(ffd, &st));
    printf("mtime %lld\n", (long long)st.st_mtim.tv_sec);

    // O_PATH: an fd for *at() and fstat, but no I/O.
    int p;
    T_RET(p = openat(AT_FDCWD, "dir", O_PATH | O_DIRECTORY));
    T_RET(openat(p, "f", O_RDONLY) >= 0);
    T_RET(read(p, buf, 1));                    // EBADF
    T_RET(fstat(p, &st));
    T_RET(fchdir(p));
    t_cat("f via O_PATH cwd", "f");
    T_RET(chdir("/tmp/fs_at"));

    // A dir fd stays valid when the directory is renamed.
    T_RET(rename("dir", "renamed"));
    T_RET(openat(d, "f", O_RDONLY) >= 0);
    T_RET(fd = openat(d, "..", O_RDONLY | O_DIRECTORY));
    T_RET(faccessat(fd, "renamed", F_OK, 0));
    close(fd);
    t_exit(0);
}
