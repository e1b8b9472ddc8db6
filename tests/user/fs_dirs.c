// Directories: mkdir/rmdir, getdents64 (names and d_type, sorted before
// printing; seeking back with lseek), link counts, rename/renameat2 with
// RENAME_NOREPLACE and RENAME_EXCHANGE, chdir/fchdir/getcwd, and the errnos:
// EEXIST, ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, EBADF.
#include "tfs.h"

static void nlink(const char* path) {
    struct stat st;
    if (stat(path, &st) < 0) printf("nlink %s: -1 %s\n", path, t_errname(errno));
    else printf("nlink %s: %lu\n", path, (unsigned long)st.st_nlink);
}

static void cwd(void) {
    char buf[256];
    if (getcwd(buf, sizeof buf)) printf("cwd: %s\n", buf);
    else printf("cwd: -1 %s\n", t_errname(errno));
}

int main(void) {
    t_watchdog(10);
    t_scratch("fs_dirs");
    cwd();
    T_RET(mkdir("d", 0755));
    T_RET(mkdir("d", 0755));          // EEXIST
    T_RET(mkdir("x/y", 0755));        // ENOENT
    T_RET(mkdir("d/", 0755));         // EEXIST (trailing slash)
    T_RET(mkdir("e/", 0755));         // trailing slash is fine for a new dir
    t_put("file", "data");
    T_RET(mkdir("file/sub", 0755));   // ENOTDIR
    T_RET(mkdir("file", 0755));       // EEXIST
    nlink("d");
    T_RET(mkdir("d/a", 0700));
    T_RET(mkdir("d/b", 0700));
    nlink("d");                       // 2 + two subdirectories
    t_put("d/f1", "1");
    t_put("d/f2", "22");
    T_RET(symlink("f1", "d/l1"));
    T_RET(mkfifo("d/p", 0600));
    t_ls("ls d", "d");
    t_mode("d/a", "d/a");

    // getdents64 again after lseek(0), and on a non-directory.
    int fd;
    char buf[4096];
    T_RET(fd = open("d", O_RDONLY | O_DIRECTORY));
    long n1 = syscall(SYS_getdents64, fd, buf, sizeof buf);
    long n2 = syscall(SYS_getdents64, fd, buf, sizeof buf);
    printf("second getdents64: %ld\n", n2);
    T_RET(lseek(fd, 0, SEEK_SET));
    long n3 = syscall(SYS_getdents64, fd, buf, sizeof buf);
    T_YES(n1 > 0 && n1 == n3);
    T_RET(lseek(fd, 0, SEEK_SET));
    T_SYS("getdents64 tiny buffer", syscall(SYS_getdents64, fd, buf, 0));  // EINVAL
    T_SYS("getdents64 buffer of 20", syscall(SYS_getdents64, fd, buf, 20));  // EINVAL: "." needs 24
    close(fd);
    T_RET(fd = open("file", O_RDONLY));
    T_SYS("getdents64 on a file", syscall(SYS_getdents64, fd, buf, sizeof buf));  // ENOTDIR
    close(fd);
    T_SYS("getdents64 bad fd", syscall(SYS_getdents64, 99, buf, sizeof buf));  // EBADF
    T_RET(open("file", O_RDONLY | O_DIRECTORY));  // ENOTDIR
    T_RET(open("d", O_RDONLY | O_DIRECTORY) >= 0);

    // A directory listed while it changes: the new name appears, the removed one goes.
    t_put("d/f3", "333");
    T_RET(unlink("d/f2"));
    t_ls("ls d changed", "d");

    // rmdir.
    T_RET(rmdir("d"));                // ENOTEMPTY
    T_RET(rmdir("d/f1"));             // ENOTDIR
    T_RET(rmdir("d/nothing"));        // ENOENT
    T_RET(rmdir("."));                // EINVAL
    T_RET(rmdir("d/a/.."));           // ENOTEMPTY
    T_RET(rmdir("d/b"));
    nlink("d");
    T_RET(unlink("d/a"));             // EISDIR
    T_RET(unlink("d"));               // EISDIR

    // rename: files, directories, over existing targets.
    T_RET(rename("d/f1", "d/g1"));
    t_ls("after rename", "d");
    T_RET(rename("d/g1", "d/f3"));    // replaces f3
    t_cat("d/f3", "d/f3");
    T_RET(rename("d/nothing", "d/x"));  // ENOENT
    T_RET(rename("d/f3", "d/a"));     // EISDIR: file over dir
    T_RET(mkdir("d/c", 0755));
    T_RET(rename("d/a", "d/f3"));     // ENOTDIR: dir over file
    T_RET(mkdir("d/c/inner", 0755));
    T_RET(rename("d/a", "d/c"));      // ENOTEMPTY
    T_RET(rmdir("d/c/inner"));
    T_RET(rename("d/a", "d/c"));      // over an empty dir: fine
    T_RET(rename("d/c", "d/c/sub"));  // into itself: EINVAL
    T_RET(rename("d/c", "d/c"));      // same: 0
    T_RET(rename("d/f3", "d/f3"));    // same: 0
    T_RET(rename(".", "x"));          // EBUSY on Linux (or EINVAL)
    T_RET(mkdir("d/a", 0755));
    T_RET(rename("d/c", "d/a/moved"));
    nlink("d");
    nlink("d/a");
    t_ls("ls d/a", "d/a");

    // renameat2: RENAME_NOREPLACE and RENAME_EXCHANGE.
    t_put("r1", "first");
    t_put("r2", "second");
    T_SYS("noreplace onto existing", t_renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", T_RENAME_NOREPLACE));  // EEXIST
    T_SYS("noreplace onto new", t_renameat2(AT_FDCWD, "r1", AT_FDCWD, "r3", T_RENAME_NOREPLACE));
    T_SYS("exchange", t_renameat2(AT_FDCWD, "r3", AT_FDCWD, "r2", T_RENAME_EXCHANGE));
    t_cat("r2", "r2");
    t_cat("r3", "r3");
    T_SYS("exchange with missing", t_renameat2(AT_FDCWD, "r3", AT_FDCWD, "r9", T_RENAME_EXCHANGE));  // ENOENT
    T_SYS("exchange file and dir", t_renameat2(AT_FDCWD, "r3", AT_FDCWD, "d", T_RENAME_EXCHANGE));
    t_mode("r3 now", "r3");
    t_mode("d now", "d");
    T_SYS("exchange back", t_renameat2(AT_FDCWD, "r3", AT_FDCWD, "d", T_RENAME_EXCHANGE));
    T_SYS("both flags", t_renameat2(AT_FDCWD, "r3", AT_FDCWD, "r2", T_RENAME_EXCHANGE | T_RENAME_NOREPLACE));  // EINVAL
    T_SYS("unknown flag", t_renameat2(AT_FDCWD, "r3", AT_FDCWD, "r2", 0x100));  // EINVAL

    // chdir / fchdir / getcwd.
    T_RET(chdir("d/a/moved"));
    cwd();
    T_RET(chdir(".."));
    cwd();
    T_RET(chdir("/tmp/fs_dirs/./d/../d/a/"));
    cwd();
    T_RET(chdir("nothing"));          // ENOENT
    T_RET(chdir("/tmp/fs_dirs/file"));  // ENOTDIR
    T_RET(fd = open("/tmp/fs_dirs/d", O_RDONLY | O_DIRECTORY));
    T_RET(chdir("/"));
    cwd();
    T_RET(fchdir(fd));
    cwd();
    close(fd);
    T_RET(fchdir(fd));                // EBADF
    T_RET(fd = open("/tmp/fs_dirs/file", O_RDONLY));
    T_RET(fchdir(fd));                // ENOTDIR
    close(fd);
    char small[5];
    errno = 0;
    char* got = getcwd(small, sizeof small);
    printf("getcwd small: %s %s\n", got ? "ok" : "NULL", t_errname(errno));  // ERANGE
    T_RET(syscall(SYS_getcwd, small, 0));  // ERANGE
    T_RET(syscall(SYS_getcwd, buf, sizeof buf));  // length including the NUL
    // The cwd removed under us: getcwd says "(unreachable)"... Linux: ENOENT.
    T_RET(mkdir("/tmp/fs_dirs/gone", 0755));
    T_RET(chdir("/tmp/fs_dirs/gone"));
    T_RET(rmdir("/tmp/fs_dirs/gone"));
    T_SYS("getcwd of a removed dir", syscall(SYS_getcwd, buf, sizeof buf));  // ENOENT
    T_RET(open(".", O_RDONLY) >= 0);
    T_RET(open("newfile", O_RDWR | O_CREAT, 0644));  // ENOENT: the dir is dead
    T_RET(mkdir("sub", 0755));        // ENOENT
    t_ls("ls of a removed cwd", ".");
    T_RET(chdir(".."));
    cwd();

    // A deep tree and its removal bottom-up.
    T_RET(chdir("/tmp/fs_dirs"));
    char path[512] = "deep";
    for (int i = 0; i < 20; i++) {
        if (mkdir(path, 0755) < 0) printf("mkdir %s: %s\n", path, t_errname(errno));
        strcat(path, "/x");
    }
    T_RET(chdir("deep/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x"));
    cwd();
    T_RET(chdir("/tmp/fs_dirs"));
    int removed = 0;
    for (int i = 19; i >= 0; i--) {
        path[4 + 2 * i] = 0;
        removed += rmdir(path) == 0;
    }
    printf("removed %d\n", removed);
    t_ls("ls top", ".");
    t_exit(0);
}
