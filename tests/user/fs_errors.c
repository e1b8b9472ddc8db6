// The errnos of path-based calls, one group per errno, each through several
// system calls: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EBADF, ELOOP,
// EXDEV, EACCES (as uid 1000), ENAMETOOLONG (a component of NAME_MAX+1 bytes,
// a path of PATH_MAX bytes; exactly NAME_MAX and PATH_MAX-1 are fine), EFAULT
// and EINVAL.
#include "tfs.h"
#include <sys/mount.h>
#include <sys/uio.h>

static void eacces(void) {
    struct stat st;
    T_RET(open("locked/f", O_RDONLY));
    T_RET(stat("locked/f", &st));
    T_RET(mkdir("locked/d", 0755));
    T_RET(unlink("locked/f"));
    T_RET(rmdir("locked/sub"));
    T_RET(rename("locked/f", "g"));
    T_RET(link("ro", "locked/hl"));
    T_RET(symlink("x", "locked/sl"));
    T_RET(chdir("locked"));
    T_RET(open("ro", O_WRONLY));
    T_RET(open("ro", O_RDWR));
    T_RET(open("ro", O_RDONLY) >= 0);
    T_RET(truncate("ro", 0));
    T_RET(open("readonlydir/new", O_WRONLY | O_CREAT, 0644));
    T_RET(mknod("readonlydir/fifo", S_IFIFO | 0600, 0));
    T_RET(execve("ro", (char*[]){"ro", NULL}, (char*[]){NULL}));  // not executable
}

int main(void) {
    t_watchdog(10);
    t_scratch("fs_errors");
    struct stat st;
    char buf[64];
    int fd;
    T_RET(chmod(".", 0755));
    t_put("file", "f");
    T_RET(mkdir("dir", 0755));
    t_put("dir/inner", "i");

    printf("-- ENOENT\n");
    T_RET(open("none", O_RDONLY));
    T_RET(open("none/x", O_RDWR | O_CREAT, 0644));
    T_RET(stat("none", &st));
    T_RET(lstat("", &st));
    T_RET(unlink("none"));
    T_RET(rmdir("none"));
    T_RET(rename("none", "x"));
    T_RET(link("none", "x"));
    T_RET(chdir("none"));
    T_RET(readlink("none", buf, sizeof buf));
    T_RET(chmod("none", 0));
    T_RET(truncate("none", 0));
    T_RET(mkdir("none/sub", 0755));
    T_RET(symlink("x", "none/sl"));
    T_RET(execve("/tmp/fs_errors/none", (char*[]){"x", NULL}, (char*[]){NULL}));

    printf("-- EEXIST\n");
    T_RET(open("file", O_WRONLY | O_CREAT | O_EXCL, 0644));
    T_RET(open("dir", O_RDONLY | O_CREAT | O_EXCL, 0644));
    T_RET(mkdir("file", 0755));
    T_RET(mkdir("dir", 0755));
    T_RET(link("file", "dir/inner"));
    T_RET(symlink("x", "file"));
    T_RET(mknod("file", S_IFIFO | 0600, 0));
    T_RET(mkdir("/", 0755));

    printf("-- ENOTDIR\n");
    T_RET(open("file/x", O_RDONLY));
    T_RET(open("file/", O_RDONLY));
    T_RET(open("file", O_RDONLY | O_DIRECTORY));
    T_RET(stat("file/", &st));
    T_RET(mkdir("file/x", 0755));
    T_RET(rmdir("file"));
    T_RET(chdir("file"));
    T_RET(rename("dir", "file"));
    T_RET(unlink("file/"));
    T_RET(opendir("file") ? 0 : -1);

    printf("-- EISDIR\n");
    T_RET(open("dir", O_WRONLY));
    T_RET(open("dir", O_RDWR));
    T_RET(open("dir", O_RDONLY | O_TRUNC));
    T_RET(open("dir/", O_WRONLY | O_CREAT, 0644));
    T_RET(unlink("dir"));
    T_RET(rename("file", "dir"));
    T_RET(truncate("dir", 0));
    T_RET(fd = open("dir", O_RDONLY));
    T_RET(read(fd, buf, 1));
    close(fd);

    printf("-- ENOTEMPTY\n");
    T_RET(rmdir("dir"));
    T_RET(mkdir("empty", 0755));
    T_RET(rename("empty", "dir"));
    T_RET(rmdir("dir/.."));
    T_RET(rmdir("empty"));

    printf("-- EBADF\n");
    T_RET(read(-1, buf, 1));
    T_RET(write(42, buf, 1));
    T_RET(close(42));
    T_RET(fstat(42, &st));
    T_RET(lseek(42, 0, SEEK_SET));
    T_RET(fchmod(42, 0));
    T_RET(fchown(42, 0, 0));
    T_RET(ftruncate(42, 0));
    T_RET(fsync(42));
    T_RET(fchdir(42));
    T_RET(openat(42, "x", O_RDONLY));
    T_RET(mkdirat(42, "x", 0755));
    T_RET(dup(42));
    T_RET(fcntl(42, F_GETFL));
    T_RET(pread(42, buf, 1, 0));
    struct iovec iov = {buf, 1};
    T_RET(readv(42, &iov, 1));
    T_RET(fd = open("file", O_PATH));
    T_RET(read(fd, buf, 1));
    T_SYS("raw fchmod on O_PATH", syscall(SYS_fchmod, fd, 0644));  // EBADF (musl would retry via /proc)
    close(fd);

    printf("-- ELOOP\n");
    T_RET(symlink("l2", "l1"));
    T_RET(symlink("l1", "l2"));
    T_RET(open("l1", O_RDONLY));
    T_RET(stat("l1", &st));
    T_RET(lstat("l1", &st));  // fine
    T_RET(chdir("l1"));
    T_RET(open("l1/x", O_RDWR | O_CREAT, 0644));
    T_RET(mkdir("l1/x", 0755));
    T_RET(truncate("l1", 0));
    T_RET(open("l1", O_RDONLY | O_NOFOLLOW));
    T_RET(open("file", O_RDONLY | O_NOFOLLOW) >= 0);

    printf("-- EXDEV\n");
    T_RET(mkdir("mnt", 0755));
    T_RET(mount("tmp", "mnt", "tmpfs", 0, NULL));
    T_RET(rename("file", "mnt/file"));
    T_RET(link("file", "mnt/file"));
    T_RET(rename("mnt", "mnt2"));  // EBUSY
    T_RET(umount("mnt"));

    printf("-- EACCES\n");
    T_RET(mkdir("locked", 0700));
    t_put("locked/f", "x");
    T_RET(mkdir("locked/sub", 0755));
    t_put("ro", "read only");
    T_RET(chmod("ro", 0444));
    T_RET(mkdir("readonlydir", 0555));
    t_as_user(eacces);

    printf("-- ENAMETOOLONG\n");
    char name[300];
    memset(name, 'n', 255);
    name[255] = 0;
    T_RET(fd = open(name, O_WRONLY | O_CREAT, 0644));  // NAME_MAX: fine
    close(fd);
    T_RET(access(name, F_OK));
    T_RET(unlink(name));
    name[255] = 'n';
    name[256] = 0;
    T_RET(open(name, O_WRONLY | O_CREAT, 0644));
    T_RET(access(name, F_OK));
    T_RET(mkdir(name, 0755));
    T_RET(symlink("x", name));
    T_RET(stat(name, &st));
    // PATH_MAX (4096) counts the NUL: "/tmp/fs_errors/", slashes, "file".
    static char path[8192], longer[8192];
    strcpy(path, "/tmp/fs_errors/");
    while (strlen(path) < 4095 - 4) strcat(path, "/");
    strcat(path, "file");
    snprintf(longer, sizeof longer, "/%s", path);
    printf("path lengths %zu %zu\n", strlen(path), strlen(longer));
    T_RET(access(path, F_OK));            // 4095 bytes: fine
    T_RET(access(longer, F_OK));          // ENAMETOOLONG
    T_RET(open(longer, O_RDONLY));
    T_RET(mkdir(longer, 0755));
    T_RET(chdir(longer));
    // A symlink whose target is too long for the walk: symlink itself allows PATH_MAX-1.
    T_RET(symlink(path, "longtarget"));
    T_RET(symlink(longer, "toolong"));    // ENAMETOOLONG
    T_RET(access("longtarget", F_OK));

    printf("-- EFAULT\n");
    T_RET(open((char*)1, O_RDONLY));
    T_SYS("raw stat to a bad buffer", syscall(SYS_stat, "file", (struct stat*)1));
    T_RET(mkdir((char*)-4096L, 0755));
    T_RET(fd = open(".", O_RDONLY | O_DIRECTORY));
    T_SYS("raw getdents64 to a bad buffer", syscall(SYS_getdents64, fd, (char*)1, 100));
    close(fd);
    T_RET(fd = open("file", O_RDONLY));
    T_RET(read(fd, (char*)1, 1));
    close(fd);

    printf("-- EINVAL\n");
    T_RET(open("file", O_RDONLY | O_CREAT | O_DIRECTORY, 0644));
    T_RET(rename("dir", "dir/sub"));
    T_RET(rmdir("dir/."));
    T_RET(readlink("file", buf, sizeof buf));
    T_RET(lseek(0, 0, 99));
    t_exit(0);
}
