// Permissions: umask on creation, chmod/fchmod/chown/fchown/lchown, the
// set-id bits chown clears, utimensat (explicit times, UTIME_NOW/UTIME_OMIT,
// on a symlink), access/faccessat2 as root and as uid 1000 (real vs effective
// ids, AT_EACCESS), and EACCES/EPERM for an unprivileged process: search
// permission on directories, write permission for create/unlink/rename,
// the sticky bit, opening without read/write permission, chmod of a file
// it does not own.
#include "tfs.h"
#include <time.h>
#include <sys/stat.h>

static void times_of(const char* label, const char* path, int flags) {
    struct stat st;
    if (fstatat(AT_FDCWD, path, &st, flags) < 0) {
        printf("%s: -1 %s\n", label, t_errname(errno));
        return;
    }
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", label, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void as_user(void) {
    int fd;
    printf("-- as uid %d\n", (int)getuid());
    // Directory search and read permission.
    T_RET(access("/tmp/fs_perm/noexec/f", F_OK));  // EACCES: no search permission
    T_RET(open("/tmp/fs_perm/noexec/f", O_RDONLY));  // EACCES
    T_RET(chdir("/tmp/fs_perm/noexec"));           // EACCES
    T_RET(open("/tmp/fs_perm/noread", O_RDONLY | O_DIRECTORY) >= 0);  // EACCES
    T_RET(chdir("/tmp/fs_perm/noread"));           // search only: fine
    T_RET(open("f", O_RDONLY) >= 0);               // a known name: fine
    T_RET(chdir("/tmp/fs_perm"));
    // File permission bits.
    T_RET(open("secret", O_RDONLY));               // 0600 root: EACCES
    T_RET(open("public", O_RDONLY) >= 0);          // 0644
    T_RET(open("public", O_WRONLY));               // EACCES
    T_RET(open("public", O_RDONLY | O_TRUNC));     // EACCES (needs write)
    T_RET(truncate("public", 0));                  // EACCES
    T_RET(access("public", R_OK));
    T_RET(access("public", W_OK));                 // EACCES
    T_RET(access("public", X_OK));                 // EACCES
    T_RET(access("script", X_OK));                 // 0755: fine
    // Creating and removing in a directory it cannot write.
    T_RET(open("newfile", O_WRONLY | O_CREAT, 0644));  // /tmp/fs_perm is 0755 root: EACCES
    T_RET(mkdir("newdir", 0755));                  // EACCES
    T_RET(unlink("public"));                       // EACCES
    T_RET(rename("public", "moved"));              // EACCES
    T_RET(symlink("x", "newlink"));                // EACCES
    T_RET(open("nothing", O_RDONLY));              // ENOENT: the lookup itself is allowed
    // Ownership: chmod/chown only by the owner (or root).
    T_RET(chmod("public", 0777));                  // EPERM
    T_RET(chown("public", 1000, 1000));            // EPERM
    T_RET(utimensat(AT_FDCWD, "public", NULL, 0)); // EACCES: not owner, no write permission
    T_RET(utimensat(AT_FDCWD, "world", NULL, 0));  // 0666: UTIME_NOW allowed with write permission
    struct timespec ts[2] = {{1, 0}, {2, 0}};
    T_RET(utimensat(AT_FDCWD, "world", ts, 0));    // explicit times need ownership: EPERM
    // In the user's own directory.
    T_RET(chdir("/tmp/fs_perm/mine"));
    T_RET(fd = open("own", O_RDWR | O_CREAT, 0666));
    t_mode("own", "own");                          // umask 022, uid/gid 1000
    T_RET(fchmod(fd, 04755));                      // setuid on its own file: fine
    t_mode("own setuid", "own");
    T_RET(fchmod(fd, 02755));                      // setgid with a group it is in: kept
    t_mode("own setgid", "own");
    T_RET(chown("own", 1000, 0));                  // to a group it is not in: EPERM
    T_RET(chown("own", 0, -1));                    // EPERM
    T_RET(chown("own", -1, -1));                   // nothing changes: 0
    T_RET(utimensat(AT_FDCWD, "own", ts, 0));
    times_of("own times", "own", 0);
    close(fd);
    // The sticky /tmp/fs_perm/sticky (1777): others' files cannot be removed.
    T_RET(unlink("/tmp/fs_perm/sticky/roots"));    // EPERM
    T_RET(rename("/tmp/fs_perm/sticky/roots", "/tmp/fs_perm/sticky/x"));  // EPERM
    T_RET(fd = open("/tmp/fs_perm/sticky/users", O_WRONLY | O_CREAT, 0644));
    close(fd);
    T_RET(unlink("/tmp/fs_perm/sticky/users"));
    // faccessat2 with AT_EACCESS vs the real id.
    T_SYS("faccessat2 public W_OK", syscall(SYS_faccessat2, AT_FDCWD, "/tmp/fs_perm/public", W_OK, 0));
    T_SYS("faccessat2 mine/own R_OK AT_EACCESS", syscall(SYS_faccessat2, AT_FDCWD, "own", R_OK, AT_EACCESS));
    T_SYS("faccessat2 bad flags", syscall(SYS_faccessat2, AT_FDCWD, "own", R_OK, 0x1));  // EINVAL
    T_SYS("faccessat2 bad mode", syscall(SYS_faccessat2, AT_FDCWD, "own", 0x10, 0));    // EINVAL
}

static void real_vs_effective(void) {
    // Real uid 1000, effective 0: access() answers for the real id, AT_EACCESS for the effective.
    printf("-- ruid %d euid %d\n", (int)getuid(), (int)geteuid());
    T_RET(access("/tmp/fs_perm/secret", R_OK));    // EACCES
    T_SYS("faccessat2 secret AT_EACCESS", syscall(SYS_faccessat2, AT_FDCWD, "/tmp/fs_perm/secret", R_OK, AT_EACCESS));
    T_RET(open("/tmp/fs_perm/secret", O_RDONLY) >= 0);  // effective id opens
}

int main(void) {
    t_watchdog(10);
    t_scratch("fs_perm");
    int fd;
    // umask.
    T_RET(umask(022));
    T_RET(umask(077));
    T_RET(fd = open("m077", O_WRONLY | O_CREAT, 0666));
    close(fd);
    t_mode("m077", "m077");
    T_RET(mkdir("d077", 0777));
    t_mode("d077", "d077");
    T_RET(umask(0));
    T_RET(fd = open("m000", O_WRONLY | O_CREAT, 0666));
    close(fd);
    t_mode("m000", "m000");
    T_RET(mkfifo("fifo000", 0666));
    t_mode("fifo000", "fifo000");
    T_RET(umask(0777 | 01000));       // only the low bits count: returns 0
    T_RET(umask(022));                // returns 0777

    // chmod / fchmod / fchmodat.
    t_put("f", "x");
    T_RET(chmod("f", 0));
    t_mode("f 0", "f");
    T_RET(chmod("f", 07777));
    t_mode("f 07777", "f");
    T_RET(fd = open("f", O_RDONLY));
    T_RET(fchmod(fd, 0640));
    t_mode("f fchmod", "f");
    close(fd);
    T_RET(fchmod(fd, 0640));          // EBADF
    T_RET(chmod("nothing", 0644));    // ENOENT
    T_RET(symlink("f", "lf"));
    T_RET(chmod("lf", 0600));         // follows the link
    t_mode("f via link", "f");
    t_mode("lf", "lf");
    T_RET(fchmodat(AT_FDCWD, "lf", 0644, AT_SYMLINK_NOFOLLOW));  // EOPNOTSUPP on Linux 6.1

    // chown / fchown / lchown and the set-id bits.
    T_RET(chown("f", 1000, 1000));
    t_mode("f chown", "f");
    T_RET(chmod("f", 06755));
    T_RET(chown("f", 1001, -1));      // clears setuid and setgid (group-exec)
    t_mode("f after chown", "f");
    T_RET(chmod("f", 02745));         // setgid without group exec: kept by chown
    T_RET(chown("f", 1002, -1));
    t_mode("f setgid no gx", "f");
    T_RET(lchown("lf", 7, 8));
    t_mode("lf lchown", "lf");
    t_mode("f unchanged", "f");
    T_RET(fd = open("f", O_RDONLY));
    T_RET(fchown(fd, 0, 0));
    close(fd);
    t_mode("f fchown", "f");
    T_RET(chown("nothing", 0, 0));    // ENOENT

    // utimensat.
    struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 5}};
    T_RET(utimensat(AT_FDCWD, "f", ts, 0));
    times_of("f", "f", 0);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    T_RET(utimensat(AT_FDCWD, "f", omit, 0));
    times_of("f atime omitted", "f", 0);
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    T_RET(utimensat(AT_FDCWD, "f", now, 0));
    struct stat st;
    stat("f", &st);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    printf("UTIME_NOW atime within 5 s of the clock: %s\n",
           st.st_atim.tv_sec <= rt.tv_sec && st.st_atim.tv_sec >= rt.tv_sec - 5 ? "yes" : "no");
    printf("mtime kept: %s\n", st.st_mtim.tv_sec == 1300000000 ? "yes" : "no");
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    T_RET(utimensat(AT_FDCWD, "f", bad, 0));  // EINVAL
    T_RET(utimensat(AT_FDCWD, "lf", ts, AT_SYMLINK_NOFOLLOW));
    times_of("lf itself", "lf", AT_SYMLINK_NOFOLLOW);
    T_RET(utimensat(AT_FDCWD, "nothing", ts, 0));  // ENOENT
    T_RET(utimensat(AT_FDCWD, "f", ts, 0x4000));   // EINVAL
    // A write updates mtime and ctime to now.
    T_RET(utimensat(AT_FDCWD, "f", ts, 0));
    T_RET(fd = open("f", O_WRONLY));
    T_RET(write(fd, "y", 1));
    close(fd);
    stat("f", &st);
    printf("write moved mtime: %s\n", st.st_mtim.tv_sec > 1200000000 ? "yes" : "no");

    // access as root: everything but X on a file with no x bit.
    T_RET(chmod("f", 0));
    T_RET(access("f", R_OK | W_OK));
    T_RET(access("f", X_OK));         // EACCES: root needs one x bit
    T_RET(chmod("f", 0001));
    T_RET(access("f", X_OK));
    T_RET(access("f", 0x10));         // EINVAL
    T_RET(access("nothing", F_OK));   // ENOENT
    T_RET(access("f/x", F_OK));       // ENOTDIR

    // The tree the unprivileged child explores.
    T_RET(chmod(".", 0755));
    T_RET(mkdir("noexec", 0766));
    t_put("noexec/f", "x");
    T_RET(mkdir("noread", 0311));
    t_put("noread/f", "x");
    t_put("secret", "s");
    T_RET(chmod("secret", 0600));
    t_put("public", "p");
    T_RET(chmod("public", 0644));
    t_put("world", "w");
    T_RET(chmod("world", 0666));
    t_put("script", "#!/bin/sh\n");
    T_RET(chmod("script", 0755));
    T_RET(mkdir("mine", 0755));
    T_RET(chown("mine", 1000, 1000));
    T_RET(mkdir("sticky", 01777));
    T_RET(chmod("sticky", 01777));
    t_put("sticky/roots", "r");
    t_as_user(as_user);

    // Real uid 1000 with effective uid 0.
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        setresuid(1000, 0, 0);
        real_vs_effective();
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    t_ls("ls mine", "mine");
    t_exit(0);
}
