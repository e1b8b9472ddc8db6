// The attribute and directory calls the other fs_* programs touch lightly:
// the old getdents and getdents64's d_off with lseek, readdir while names
// come and go, statx's device numbers, attributes and errnos, statfs fields,
// readlinkat on "", utime/utimes/futimesat, fallocate, sync_file_range,
// syncfs, O_PATH descriptors in the calls that take one, truncate past
// RLIMIT_FSIZE, chown clearing set-id bits, chroot and getcwd's "(unreachable)".
#include "tfs.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <utime.h>

struct t_dirent {
    unsigned long d_ino, d_off;
    unsigned short d_reclen;
    char d_name[];
};

// The old getdents: the type is the record's last byte.
static void ls_old(const char* label, const char* path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    char buf[128], names[32][64], *ptr[32];
    int n = 0;
    long r;
    while ((r = syscall(SYS_getdents, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < r;) {
            struct t_dirent* d = (struct t_dirent*)(buf + off);
            if (n < 32) {
                snprintf(names[n], sizeof names[n], "%s/%d", d->d_name, buf[off + d->d_reclen - 1]);
                ptr[n] = names[n];
                n++;
            }
            off += d->d_reclen;
        }
    }
    if (r < 0) printf("%s: getdents -1 %s\n", label, t_errname(errno));
    qsort(ptr, n, sizeof ptr[0], t_cmpstr);
    printf("%s:", label);
    for (int i = 0; i < n; i++) printf(" %s", ptr[i]);
    printf("\n");
    T_SYS("getdents buffer of 20", syscall(SYS_getdents, fd, buf, 20));  // EINVAL only once something is left
    T_RET(lseek(fd, 0, SEEK_SET));
    T_SYS("getdents buffer of 20 at the start", syscall(SYS_getdents, fd, buf, 20));  // "." needs 24
    close(fd);
}

// Every d_off is a place to resume: seeking to entry k's d_off and reading
// again starts with entry k+1.
static void doff_resume(const char* path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    char buf[4096], again[4096];
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    int ok = 1, entries = 0;
    for (long off = 0; off < n;) {
        struct linux_dirent64_t* d = (struct linux_dirent64_t*)(buf + off);
        off += d->d_reclen;
        entries++;
        lseek(fd, d->d_off, SEEK_SET);
        long m = syscall(SYS_getdents64, fd, again, sizeof again);
        if (off < n) ok &= m > 0 && strcmp(((struct linux_dirent64_t*)again)->d_name,
                                            ((struct linux_dirent64_t*)(buf + off))->d_name) == 0;
        else ok &= m == 0;
    }
    printf("entries %d, every d_off resumes at the next: %s\n", entries, ok ? "yes" : "no");
    close(fd);
}

// Names removed and added between two getdents64 calls: a name returned is
// not returned again, and a removed one that was not returned yet never
// appears. (Whether the new name shows up depends on the directory's order:
// Linux lists tmpfs newest first, so it does not; that is not printed.)
static void readdir_while_changing(void) {
    mkdir("chg", 0755);
    t_put("chg/a", "");
    t_put("chg/b", "");
    t_put("chg/c", "");
    int fd = open("chg", O_RDONLY | O_DIRECTORY);
    char buf[4096];
    // "." and ".." (24 bytes each) and one name of 24: 72 bytes.
    long n = syscall(SYS_getdents64, fd, buf, 72);
    char first[8] = "";
    for (long off = 0; off < n;) {
        struct linux_dirent64_t* d = (struct linux_dirent64_t*)(buf + off);
        if (d->d_name[0] != '.') snprintf(first, sizeof first, "%s", d->d_name);
        off += d->d_reclen;
    }
    printf("first call: %ld bytes, one name: %s\n", n, first[0] ? "yes" : "no");
    // Remove the other two and add one.
    for (const char* s = "abc"; *s; s++) {
        char p[8] = {'c', 'h', 'g', '/', *s, 0};
        if (*s != first[0]) unlink(p);
    }
    t_put("chg/d", "");
    n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    int again = 0, removed = 0;
    for (long off = 0; off < n;) {
        struct linux_dirent64_t* d = (struct linux_dirent64_t*)(buf + off);
        again |= strcmp(d->d_name, first) == 0 || d->d_name[0] == '.';
        removed |= strchr("abc", d->d_name[0]) && d->d_name[0] != first[0];
        off += d->d_reclen;
    }
    printf("second call: %s, first name again: %s, a removed name: %s\n", n >= 0 ? "ok" : t_errname(errno),
           again ? "yes" : "no", removed ? "yes" : "no");
    T_RET(rmdir("chg"));  // ENOTEMPTY
    close(fd);
}

static void statx_checks(void) {
    struct t_statx sx;
    struct stat st;
    T_RET(t_statx(AT_FDCWD, "f", 0, T_STATX_BASIC_STATS, &sx));
    stat("f", &st);
    printf("statx mask basic: %s, mnt_id: %s\n", (sx.stx_mask & 0x7ff) == 0x7ff ? "yes" : "no",
           (sx.stx_mask & 0x1000) ? "yes" : "no");
    T_YES(sx.stx_dev_major == major(st.st_dev) && sx.stx_dev_minor == minor(st.st_dev));
    T_YES(sx.stx_ino == st.st_ino && sx.stx_blksize == st.st_blksize && sx.stx_blocks == (unsigned long long)st.st_blocks);
    T_YES(sx.stx_mtime.tv_sec == st.st_mtim.tv_sec && sx.stx_mtime.tv_nsec == st.st_mtim.tv_nsec);
    printf("mount root attribute on f: %s (known: %s)\n", (sx.stx_attributes & 0x2000) ? "yes" : "no",
           (sx.stx_attributes_mask & 0x2000) ? "yes" : "no");
    T_RET(t_statx(AT_FDCWD, "/dev/null", 0, T_STATX_BASIC_STATS, &sx));
    printf("/dev/null rdev %u:%u\n", sx.stx_rdev_major, sx.stx_rdev_minor);
    T_RET(t_statx(AT_FDCWD, "/", 0, T_STATX_BASIC_STATS, &sx));
    printf("mount root attribute on /: %s\n", (sx.stx_attributes & 0x2000) ? "yes" : "no");
    T_RET(t_statx(AT_FDCWD, "f", 0x6000, T_STATX_BASIC_STATS, &sx));   // FORCE_SYNC | DONT_SYNC: EINVAL
    T_RET(t_statx(AT_FDCWD, "f", 0x2000, T_STATX_BASIC_STATS, &sx));   // FORCE_SYNC alone: fine
    T_RET(t_statx(AT_FDCWD, "", 0, T_STATX_BASIC_STATS, &sx));         // ENOENT
    T_RET(t_statx(AT_FDCWD, "f", 0, T_STATX_BASIC_STATS, NULL));       // EFAULT
    T_RET(t_statx(AT_FDCWD, "f", 0x40000000, T_STATX_BASIC_STATS, NULL));  // flags before the buffer: EINVAL
    T_SYS("newfstatat sync flags", syscall(SYS_newfstatat, AT_FDCWD, "f", &st, 0x2000));  // accepted
    T_SYS("newfstatat unknown flag", syscall(SYS_newfstatat, AT_FDCWD, "f", &st, 0x8000));  // EINVAL
}

static void statfs_checks(void) {
    struct statfs s;
    mkdir("m", 0755);
    T_RET(mount("t", "m", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m"));
    T_RET(statfs("m", &s));
    printf("tmpfs: type %#lx bsize %ld frsize %ld namelen %ld blocks %ld flags %#lx\n", (long)s.f_type,
           (long)s.f_bsize, (long)s.f_frsize, (long)s.f_namelen, (long)s.f_blocks, (long)s.f_flags);
    int fd = open("m", O_PATH);
    T_RET(fstatfs(fd, &s));  // O_PATH is enough
    close(fd);
    T_RET(statfs("m/nothing", &s));  // ENOENT
    T_RET(umount("m"));
}

static void readlink_checks(void) {
    char buf[64];
    symlink("f", "sl");
    int fd = open("sl", O_PATH | O_NOFOLLOW);
    long n = syscall(SYS_readlinkat, fd, "", buf, sizeof buf);
    printf("readlinkat(O_PATH symlink, \"\") = %ld %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    close(fd);
    fd = open("f", O_RDONLY);
    T_SYS("readlinkat(file fd, \"\")", syscall(SYS_readlinkat, fd, "", buf, sizeof buf));  // ENOENT
    close(fd);
    T_SYS("readlink bufsiz -1", syscall(SYS_readlink, "sl", buf, -1));  // EINVAL
    T_SYS("readlink to a bad buffer", syscall(SYS_readlink, "sl", (char*)1, 10));  // EFAULT
}

static void times_of(const char* label, const char* path) {
    struct stat st;
    stat(path, &st);
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", label, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static void utime_checks(void) {
    struct utimbuf ub = {100, 200};
    T_RET(utime("f", &ub));
    times_of("utime", "f");
    struct timeval tv[2] = {{300, 5}, {400, 999999}};
    T_RET(utimes("f", tv));
    times_of("utimes", "f");
    tv[1].tv_usec = 1000000;
    T_SYS("utimes usec 1000000", syscall(SYS_utimes, "f", tv));  // EINVAL
    tv[1].tv_usec = 7;
    T_SYS("futimesat", syscall(SYS_futimesat, AT_FDCWD, "f", tv));
    times_of("futimesat", "f");
    T_SYS("utime NULL", syscall(SYS_utime, "f", NULL));
    struct stat st;
    stat("f", &st);
    T_YES(st.st_mtim.tv_sec > 1000000);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    T_RET(utimensat(AT_FDCWD, "nothing", omit, 0));  // nothing to do: the name is not even looked up
    struct timespec ts[2] = {{1, 0}, {2, 0}};
    T_SYS("utimensat(AT_FDCWD, NULL)", syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));  // EFAULT
    int fd = open("f", O_RDONLY);
    T_SYS("utimensat(fd, NULL, nofollow)", syscall(SYS_utimensat, fd, NULL, ts, AT_SYMLINK_NOFOLLOW));  // EINVAL
    close(fd);
    fd = open("f", O_PATH);
    T_SYS("utimensat(O_PATH fd, NULL)", syscall(SYS_utimensat, fd, NULL, ts, 0));  // EBADF
    T_SYS("utimensat(O_PATH fd, \"\", AT_EMPTY_PATH)", syscall(SYS_utimensat, fd, "", ts, AT_EMPTY_PATH));
    close(fd);
    times_of("after AT_EMPTY_PATH", "f");
}

static void fd_calls(void) {
    int fd = open("f", O_RDONLY);
    int p[2];
    pipe(p);
    T_RET(fallocate(fd, 0, 0, 10));                 // EBADF: not open for writing
    close(fd);
    fd = open("f", O_RDWR);
    T_RET(fallocate(fd, 0, 0, 8192));
    struct stat st;
    fstat(fd, &st);
    printf("fallocate size %lld\n", (long long)st.st_size);
    T_RET(fallocate(fd, 0, -1, 10));                // EINVAL
    T_RET(fallocate(fd, 0, 0, 0));                  // EINVAL
    T_RET(fallocate(fd, 0x80, 0, 10));              // EOPNOTSUPP
    T_RET(fallocate(fd, 0x02, 0, 10));              // PUNCH_HOLE without KEEP_SIZE: EOPNOTSUPP
    T_RET(fallocate(fd, 0x08 | 0x01, 0, 10));       // COLLAPSE_RANGE with another bit: EINVAL
    T_RET(fallocate(fd, 0, 0x7fffffffffffffffLL, 10));  // EFBIG
    T_RET(fallocate(p[1], 0, 0, 10));               // ESPIPE
    T_RET(sync_file_range(fd, 0, 0, 0));
    T_RET(sync_file_range(fd, 0, 0, 8));            // EINVAL
    T_RET(sync_file_range(fd, -1, 0, 0));           // EINVAL
    T_RET(sync_file_range(p[0], 0, 0, 0));          // ESPIPE
    T_RET(sync_file_range(99, 0, 0, 0));            // EBADF
    T_RET(syncfs(fd));
    T_RET(syncfs(99));                              // EBADF
    T_RET(fsync(p[0]));                             // EINVAL: a pipe cannot be synced
    T_RET(ftruncate(p[1], 0));                      // EINVAL
    close(fd);
    close(p[0]);
    close(p[1]);

    fd = open(".", O_PATH | O_DIRECTORY);
    char buf[256];
    T_SYS("getdents64 on O_PATH", syscall(SYS_getdents64, fd, buf, sizeof buf));  // EBADF
    T_RET(fstat(fd, &st));
    T_SYS("fsync on O_PATH", syscall(SYS_fsync, fd));  // EBADF
    T_SYS("fchown on O_PATH", syscall(SYS_fchown, fd, 0, 0));  // EBADF
    close(fd);
    fd = open("f", O_PATH);
    T_SYS("ftruncate on O_PATH", syscall(SYS_ftruncate, fd, 0));  // EBADF
    T_SYS("fchdir to a file", syscall(SYS_fchdir, fd));  // ENOTDIR
    close(fd);
    fd = open(".", O_RDONLY | O_DIRECTORY);
    T_SYS("ftruncate on a directory", syscall(SYS_ftruncate, fd, 0));  // EINVAL
    close(fd);
    mkfifo("fifo", 0644);
    T_RET(truncate("fifo", 0));                     // EINVAL
}

static void fsize_limit(void) {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit r = {4096, 4096};
    setrlimit(RLIMIT_FSIZE, &r);
    T_RET(truncate("f", 4096));
    T_RET(truncate("f", 4097));                     // EFBIG (and SIGXFSZ, ignored)
    r.rlim_cur = r.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &r);
    signal(SIGXFSZ, SIG_DFL);
}

static void setid_checks(void) {
    t_put("s", "x");
    chmod("s", 06755);
    T_RET(chown("s", -1, -1));                      // even root's no-op chown clears set-user-id
    t_mode("s after chown -1 -1", "s");
    chmod("s", 06745);
    T_RET(truncate("s", 0));                        // root: truncation keeps the bits
    t_mode("s after root truncate", "s");
    mkdir("sd", 0755);
    chmod("sd", 02755);
    T_RET(chown("sd", 5, 5));                       // a directory keeps its set-group-id
    t_mode("sd", "sd");
}

static void in_jail(void) {
    char buf[256];
    mkdir("jail", 0755);
    T_RET(chroot("jail"));
    long n = syscall(SYS_getcwd, buf, sizeof buf);
    printf("getcwd outside the root: %ld %s\n", n, n > 0 ? buf : "");
    T_RET(chdir("/"));
    n = syscall(SYS_getcwd, buf, sizeof buf);
    printf("getcwd at the new root: %ld %s\n", n, n > 0 ? buf : "");
    T_RET(access("/jail", F_OK));                   // ENOENT: the old tree is out of reach
}

int main(void) {
    t_watchdog(10);
    t_scratch("fs_attr");
    mkdir("d", 0755);
    t_put("d/file", "1");
    mkdir("d/sub", 0755);
    symlink("file", "d/link");
    mkfifo("d/fifo", 0600);
    ls_old("getdents d", "d");
    doff_resume("d");
    readdir_while_changing();
    t_put("f", "data");
    statx_checks();
    statfs_checks();
    readlink_checks();
    utime_checks();
    fd_calls();
    fsize_limit();
    setid_checks();
    T_RET(umask(0777 | 07000));
    T_RET(umask(022));                              // 0777: the special bits are dropped
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        in_jail();
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    t_exit(0);
}
