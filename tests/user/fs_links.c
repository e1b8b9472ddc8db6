// Hard and symbolic links: link/symlink/readlink, lstat against stat, link
// counts and the same inode through two names, unlink of an open file,
// O_NOFOLLOW, dangling links, O_CREAT through a dangling link, symlink chains
// (40 followed, the 41st gives ELOOP), loops, and links to directories.
#include "tfs.h"

static int same_ino(const char* a, const char* b) {
    struct stat sa, sb;
    if (stat(a, &sa) < 0 || stat(b, &sb) < 0) return -1;
    return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

static void rl(const char* path) {
    char buf[300];
    ssize_t n = readlink(path, buf, sizeof buf);
    if (n < 0) printf("readlink %s: -1 %s\n", path, t_errname(errno));
    else printf("readlink %s: %.*s (%zd)\n", path, (int)n, buf, n);
}

int main(void) {
    t_watchdog(10);
    t_scratch("fs_links");
    int fd;
    char buf[64];

    // Hard links.
    t_put("a", "contents");
    T_RET(link("a", "b"));
    T_RET(link("a", "b"));            // EEXIST
    T_RET(link("nothing", "c"));      // ENOENT
    T_RET(mkdir("dir", 0755));
    T_RET(link("dir", "dirlink"));    // EPERM: no hard links to directories
    T_RET(link("a", "nodir/b"));      // ENOENT
    t_mode("a", "a");
    printf("same ino a b: %s\n", same_ino("a", "b") == 1 ? "yes" : "no");
    t_put("b", "changed");            // through one name, seen through the other
    t_cat("a", "a");
    T_RET(unlink("a"));
    t_mode("b", "b");
    T_RET(unlink("a"));               // ENOENT

    // An unlinked file stays alive while open.
    T_RET(fd = open("b", O_RDWR));
    T_RET(unlink("b"));
    struct stat st;
    T_RET(fstat(fd, &st));
    printf("open unlinked: nlink %lu size %lld\n", (unsigned long)st.st_nlink, (long long)st.st_size);
    T_RET(write(fd, "+more", 5));
    memset(buf, 0, sizeof buf);
    T_RET(pread(fd, buf, sizeof buf, 0));
    printf("still readable: %s\n", buf);
    T_RET(close(fd));
    T_RET(access("b", F_OK));         // ENOENT

    // Symbolic links.
    t_put("target", "target data");
    T_RET(symlink("target", "sl"));
    T_RET(symlink("target", "sl"));   // EEXIST
    T_RET(symlink("", "empty"));      // ENOENT: empty target
    T_RET(symlink("whatever", "nodir/sl"));  // ENOENT
    rl("sl");
    rl("target");                     // EINVAL: not a link
    rl("nothing");                    // ENOENT
    T_RET(readlink("sl", buf, 3));    // truncated, no NUL: 3
    printf("truncated: %.3s\n", buf);
    T_SYS("raw readlink bufsiz 0", syscall(SYS_readlink, "sl", buf, 0));  // EINVAL
    t_mode("lstat sl", "sl");         // size = strlen(target), mode 0777
    T_RET(stat("sl", &st));
    printf("stat through sl: size %lld\n", (long long)st.st_size);
    printf("same ino sl target: %s\n", same_ino("sl", "target") == 1 ? "yes" : "no");
    t_cat("cat sl", "sl");
    T_RET(open("sl", O_RDONLY | O_NOFOLLOW));  // ELOOP
    T_RET(fd = open("sl", O_RDONLY | O_NOFOLLOW | O_PATH));
    if (fd >= 0) {
        T_RET(fstat(fd, &st));
        printf("O_PATH|O_NOFOLLOW is the link: %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
        T_RET(read(fd, buf, 1));      // EBADF
        close(fd);
    }
    T_RET(open("target", O_RDONLY | O_NOFOLLOW) >= 0);  // not a link: fine

    // A hard link to a symlink links the symlink itself (linkat without FOLLOW).
    T_RET(link("sl", "hl"));
    t_mode("lstat hl", "hl");
    rl("hl");

    // Dangling links.
    T_RET(symlink("missing", "dangling"));
    t_mode("lstat dangling", "dangling");
    T_RET(stat("dangling", &st));     // ENOENT
    T_RET(open("dangling", O_RDONLY));  // ENOENT
    T_RET(open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644));  // EEXIST: the link exists
    T_RET(fd = open("dangling", O_RDWR | O_CREAT, 0644));  // creates "missing"
    if (fd >= 0) close(fd);
    t_mode("missing now", "missing");
    T_RET(unlink("dangling"));        // removes the link, not the target
    t_mode("missing still", "missing");

    // Relative targets resolve from the link's directory, absolute from root.
    T_RET(mkdir("sub", 0755));
    t_put("sub/inner", "inner data");
    T_RET(symlink("inner", "sub/rel"));
    t_cat("sub/rel", "sub/rel");
    T_RET(symlink("/tmp/fs_links/sub/inner", "abs"));
    t_cat("abs", "abs");
    T_RET(symlink("../target", "sub/up"));
    t_cat("sub/up", "sub/up");

    // Links to directories: followed in the middle of a path, and by chdir.
    T_RET(symlink("sub", "dl"));
    t_cat("dl/inner", "dl/inner");
    T_RET(chdir("dl"));
    char cwd[256];
    printf("cwd via link: %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    T_RET(chdir("/tmp/fs_links"));
    T_RET(rmdir("dl"));               // ENOTDIR: rmdir does not follow
    T_RET(unlink("dl/"));             // EISDIR on Linux: the trailing slash follows
    t_mode("lstat dl/", "dl/");       // follows
    T_RET(mkdir("dl", 0755));         // EEXIST
    t_ls("ls .", ".");

    // Chains: 40 links are followed, the 41st gives ELOOP.
    t_put("c0", "end of chain");
    char name[16], prev[16];
    for (int i = 1; i <= 41; i++) {
        snprintf(prev, sizeof prev, "c%d", i - 1);
        snprintf(name, sizeof name, "c%d", i);
        if (symlink(prev, name) < 0) printf("symlink %s: %s\n", name, t_errname(errno));
    }
    t_cat("c40", "c40");              // 40 links: fine
    t_cat("c41", "c41");              // ELOOP
    T_RET(stat("c40", &st));
    T_RET(stat("c41", &st));          // ELOOP
    T_RET(lstat("c41", &st));         // the link itself: fine
    // Loops.
    T_RET(symlink("loop2", "loop1"));
    T_RET(symlink("loop1", "loop2"));
    T_RET(open("loop1", O_RDONLY));   // ELOOP
    T_RET(stat("loop1/x", &st));      // ELOOP
    T_RET(symlink("self", "self"));
    T_RET(access("self", F_OK));      // ELOOP
    T_RET(open("self", O_RDWR | O_CREAT, 0644));  // ELOOP
    T_RET(chdir("self"));             // ELOOP
    T_RET(mkdir("self/x", 0755));     // ELOOP
    T_RET(unlink("self"));            // the link itself goes
    // A loop made of directory links in the middle of a path.
    T_RET(symlink(".", "dot"));
    t_cat("dot/dot/dot/target", "dot/dot/dot/target");
    char deep[512] = "";
    for (int i = 0; i < 41; i++) strcat(deep, "dot/");
    strcat(deep, "target");
    T_RET(open(deep, O_RDONLY));      // 41 links in one walk: ELOOP
    deep[4 * 41 - 4] = 0;             // 40 "dot/": fine
    strcat(deep, "target");
    T_RET(open(deep, O_RDONLY) >= 0);
    t_exit(0);
}
