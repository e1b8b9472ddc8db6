// Mounts: tmpfs on a directory (what it hides and shows again), bind mounts
// of a directory and of a file, read-only mounts and remount, EBUSY, lazy
// unmount, EXDEV across mounts, mount errnos (ENOENT, ENODEV, ENOTDIR, EINVAL,
// EPERM), statfs (f_type printed for tmpfs and proc only), tmpfs size=,
// chroot, and mknod of FIFOs and character devices (null, zero, a major with
// no driver: ENXIO).
#include "tfs.h"
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

static void fstype(const char* label, const char* path) {
    struct statfs s;
    if (statfs(path, &s) < 0) {
        printf("%s: -1 %s\n", label, t_errname(errno));
        return;
    }
    const char* t = s.f_type == 0x01021994 ? "tmpfs" : s.f_type == 0x9fa0 ? "proc" : "other";
    printf("%s: %s\n", label, t);
}

static void unpriv(void) {
    T_RET(mount("none", "/tmp/fs_mount/m", "tmpfs", 0, NULL));  // EPERM
    T_RET(umount2("/tmp/fs_mount/m", 0));                       // EPERM
    T_RET(chroot("/tmp"));                                      // EPERM
    T_RET(mknod("/tmp/fs_mount/mine/node", S_IFCHR | 0600, makedev(1, 3)));  // EPERM
    T_RET(mknod("/tmp/fs_mount/mine/fifo", S_IFIFO | 0600, 0));  // a FIFO needs no privilege
}

int main(void) {
    t_watchdog(10);
    t_scratch("fs_mount");
    int fd;
    char buf[64];
    struct statfs sf;
    fstype("statfs /", "/");
    T_RET(mkdir("m", 0755));
    t_put("m/hidden", "under the mount");
    T_RET(mount("none", "m", "tmpfs", 0, "mode=0700"));
    t_mode("m", "m");
    t_ls("ls m mounted", "m");
    fstype("statfs m", "m");
    t_put("m/new", "on tmpfs");
    T_RET(mount("none", "nothing", "tmpfs", 0, NULL));  // ENOENT
    T_RET(mount("none", "m/new", "tmpfs", 0, NULL));    // ENOTDIR
    T_RET(mount("none", "m", "nosuchfs", 0, NULL));     // ENODEV

    // EXDEV: no rename or link across mounts.
    T_RET(rename("m/new", "new"));    // EXDEV
    T_RET(link("m/new", "new"));      // EXDEV
    T_RET(t_renameat2(AT_FDCWD, "m/new", AT_FDCWD, "m/new2", 0));
    T_RET(rename("m", "m2"));         // EBUSY: a mount point

    // EBUSY while in use, and the lazy way out.
    T_RET(chdir("m"));
    T_RET(umount2("/tmp/fs_mount/m", 0));  // EBUSY: our cwd
    T_RET(chdir(".."));
    T_RET(fd = open("m/new2", O_RDONLY));
    T_RET(umount2("m", 0));           // EBUSY: an open file
    T_RET(umount2("m", MNT_DETACH));  // lazy: gone from the tree now
    t_ls("ls m after detach", "m");
    memset(buf, 0, sizeof buf);
    T_RET(read(fd, buf, sizeof buf)); // the open file still works
    printf("read: %s\n", buf);
    close(fd);
    T_RET(umount2("m", 0));           // EINVAL: not a mount point
    T_RET(umount2("nothing", 0));     // ENOENT
    T_RET(umount2("m", 0x100));       // EINVAL: unknown flag

    // Stacked mounts: the top one is seen, unmounting reveals the one below.
    T_RET(mount("a", "m", "tmpfs", 0, NULL));
    t_put("m/first", "1");
    T_RET(mount("b", "m", "tmpfs", 0, NULL));
    t_ls("ls m top", "m");
    T_RET(umount("m"));
    t_ls("ls m below", "m");
    T_RET(umount("m"));

    // Bind mounts: a directory and a single file.
    T_RET(mkdir("src", 0755));
    t_put("src/a", "bound");
    T_RET(mkdir("dst", 0755));
    T_RET(mount("src", "dst", NULL, MS_BIND, NULL));
    t_cat("dst/a", "dst/a");
    t_put("dst/b", "through the bind");
    t_cat("src/b", "src/b");
    struct stat s1, s2;
    stat("src/a", &s1);
    stat("dst/a", &s2);
    printf("same ino through bind: %s\n", s1.st_ino == s2.st_ino ? "yes" : "no");
    T_RET(rename("dst/b", "src/c"));  // EXDEV: different mounts of one fs
    T_RET(mount("nothing", "dst", NULL, MS_BIND, NULL));  // ENOENT
    t_put("file1", "file one");
    t_put("file2", "file two");
    T_RET(mount("file1", "file2", NULL, MS_BIND, NULL));
    t_cat("file2", "file2");
    T_RET(mount("src", "file2", NULL, MS_BIND, NULL));  // ENOTDIR: dir on a file
    T_RET(umount("file2"));
    t_cat("file2 after", "file2");
    // Read-only bind and remount.
    T_RET(mount(NULL, "dst", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    T_RET(open("dst/x", O_WRONLY | O_CREAT, 0644));  // EROFS
    T_RET(open("dst/a", O_WRONLY));   // EROFS
    T_RET(unlink("dst/a"));           // EROFS
    T_RET(mkdir("dst/d", 0755));      // EROFS
    T_RET(access("dst/a", W_OK));     // EROFS
    T_RET(statfs("dst", &sf));
    printf("ST_RDONLY: %s\n", sf.f_flags & ST_RDONLY ? "yes" : "no");
    T_RET(open("src/x", O_WRONLY | O_CREAT, 0644) >= 0);  // the source stays writable
    T_RET(umount("dst"));
    T_RET(mount("ro", "m", "tmpfs", MS_RDONLY, NULL));
    T_RET(mkdir("m/x", 0755));        // EROFS
    T_RET(mount(NULL, "m", NULL, MS_REMOUNT, NULL));
    T_RET(mkdir("m/x", 0755));
    T_RET(umount("m"));

    // tmpfs size=: statfs shows it, writing past it gives ENOSPC.
    T_RET(mount("small", "m", "tmpfs", 0, "size=64k"));
    T_RET(statfs("m", &sf));
    printf("size=64k: bsize %ld blocks %ld free %ld\n", (long)sf.f_bsize, (long)sf.f_blocks, (long)sf.f_bfree);
    T_RET(fd = open("m/big", O_WRONLY | O_CREAT, 0644));
    static char chunk[16384];
    long total = 0;
    int err = 0;
    for (int i = 0; i < 10; i++) {
        ssize_t n = write(fd, chunk, sizeof chunk);
        if (n < 0) {
            err = errno;
            break;
        }
        total += n;
    }
    printf("wrote %ld then %s\n", total, t_errname(err));
    close(fd);
    T_RET(mount("none", "m", "tmpfs", 0, "size=bogus"));  // EINVAL
    T_RET(umount("m"));

    // proc is a filesystem like the others.
    T_RET(mkdir("p", 0755));
    T_RET(mount("proc", "p", "proc", 0, NULL));
    fstype("statfs p", "p");
    T_RET(access("p/self/stat", R_OK));
    T_RET(umount("p"));
    T_RET(statfs("nothing", &sf));    // ENOENT
    T_RET(fstatfs(99, &sf));          // EBADF

    // mknod: FIFOs and character devices.
    T_RET(mknod("fifo", S_IFIFO | 0644, 0));
    t_mode("fifo", "fifo");
    T_RET(mknod("null", S_IFCHR | 0666, makedev(1, 3)));
    T_RET(mknod("zero", S_IFCHR | 0666, makedev(1, 5)));
    T_RET(stat("null", &s1));
    printf("null rdev %u:%u\n", major(s1.st_rdev), minor(s1.st_rdev));
    T_RET(fd = open("null", O_RDWR));
    T_RET(write(fd, "discarded", 9));
    T_RET(read(fd, buf, sizeof buf));  // 0
    close(fd);
    T_RET(fd = open("zero", O_RDONLY));
    memset(buf, 'x', sizeof buf);
    T_RET(read(fd, buf, 8));
    printf("zero gives zeros: %s\n", buf[0] == 0 && buf[7] == 0 && buf[8] == 'x' ? "yes" : "no");
    close(fd);
    T_RET(mknod("nodrv", S_IFCHR | 0600, makedev(240, 77)));
    T_RET(open("nodrv", O_RDONLY));   // ENXIO
    T_RET(mknod("null", S_IFCHR | 0666, makedev(1, 3)));  // EEXIST
    T_RET(mknod("bad", 0170000 | 0644, 0));  // EINVAL: no such type
    T_RET(mknod("reg", S_IFREG | 0600, 0));  // a regular file
    t_mode("reg", "reg");
    T_RET(mkdir("mine", 0777));
    T_RET(chmod("mine", 0777));       // past the umask
    t_as_user(unpriv);
    t_mode("mine/fifo", "mine/fifo");

    // chroot: a child sees the new root and cannot walk out of it with "..".
    T_RET(mkdir("jail", 0755));
    T_RET(mkdir("jail/etc", 0755));
    t_put("jail/etc/name", "inside");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        T_RET(chroot("jail"));
        T_RET(chdir("/"));
        t_cat("/etc/name", "/etc/name");
        t_cat("/../../etc/name", "/../../etc/name");
        char cwd[64];
        printf("cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : t_errname(errno));
        T_RET(access("/tmp", F_OK));  // ENOENT: outside
        T_RET(chroot("/nothing"));    // ENOENT
        T_RET(chroot("/etc/name"));   // ENOTDIR
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    T_RET(access("/tmp/fs_mount/jail", F_OK));  // the parent's root is unchanged
    t_exit(0);
}
