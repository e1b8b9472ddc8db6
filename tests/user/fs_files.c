// Regular files on the root tmpfs: open flags (O_CREAT, O_EXCL, O_TRUNC,
// O_APPEND, access modes), read/write/readv/writev/pread64/pwrite64, lseek
// with holes past the end, truncate/ftruncate, stat/fstat sizes and blocks,
// fsync/fdatasync/sync, and the errnos of each.
#include "tfs.h"
#include <sys/uio.h>

int main(void) {
    t_watchdog(10);
    t_scratch("fs_files");
    int fd, fd2;
    char buf[64];

    // O_CREAT, O_EXCL, O_TRUNC.
    T_RET(open("f", O_RDONLY));
    T_RET(fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0640));
    T_RET(open("f", O_RDWR | O_CREAT | O_EXCL, 0640));
    T_RET(write(fd, "hello world\n", 12));
    T_RET(lseek(fd, 0, SEEK_CUR));
    T_RET(lseek(fd, 0, SEEK_SET));
    memset(buf, 0, sizeof buf);
    T_RET(read(fd, buf, sizeof buf));
    printf("read: %s", buf);
    T_RET(read(fd, buf, sizeof buf));  // at the end: 0
    T_RET(close(fd));
    T_RET(close(fd));                  // EBADF
    t_mode("f", "f");
    T_RET(fd = open("f", O_RDWR | O_CREAT, 0600));  // exists: mode unchanged, size kept
    t_mode("f again", "f");
    T_RET(close(fd));
    T_RET(fd = open("f", O_WRONLY | O_TRUNC));
    t_mode("f truncated", "f");
    T_RET(close(fd));
    T_RET(open("", O_RDONLY));
    T_RET(open("f", O_RDONLY | O_CREAT | O_EXCL | O_DIRECTORY, 0600));  // EINVAL on 6.1

    // Access modes.
    t_put("g", "abcdef");
    T_RET(fd = open("g", O_RDONLY));
    T_RET(write(fd, "x", 1));  // EBADF
    T_RET(close(fd));
    T_RET(fd = open("g", O_WRONLY));
    T_RET(read(fd, buf, 1));   // EBADF
    T_RET(close(fd));
    T_RET(fd = open("g", O_RDONLY | O_WRONLY | O_RDWR));  // access mode 3
    if (fd >= 0) close(fd);

    // O_APPEND: every write goes to the end, even after lseek; pwrite too on Linux.
    T_RET(fd = open("g", O_WRONLY | O_APPEND));
    T_RET(lseek(fd, 0, SEEK_SET));
    T_RET(write(fd, "GH", 2));
    T_RET(lseek(fd, 0, SEEK_CUR));
    T_RET(pwrite(fd, "IJ", 2, 0));  // appends: Linux ignores the offset with O_APPEND
    T_RET(close(fd));
    t_cat("g", "g");

    // Two descriptors, two offsets.
    T_RET(fd = open("g", O_RDONLY));
    T_RET(fd2 = open("g", O_RDONLY));
    T_RET(read(fd, buf, 3));
    T_RET(read(fd2, buf, 1));
    printf("first byte via fd2: %c\n", buf[0]);
    T_RET(lseek(fd, 0, SEEK_CUR));
    T_RET(lseek(fd2, 0, SEEK_CUR));
    close(fd);
    close(fd2);

    // readv / writev.
    T_RET(fd = open("v", O_RDWR | O_CREAT | O_TRUNC, 0644));
    struct iovec iov[3] = {{"one ", 4}, {"", 0}, {"two three\n", 10}};
    T_RET(writev(fd, iov, 3));
    T_RET(lseek(fd, 0, SEEK_SET));
    char a[3], b[5], c[20];
    struct iovec riov[3] = {{a, sizeof a}, {b, sizeof b}, {c, sizeof c}};
    memset(c, 0, sizeof c);
    T_RET(readv(fd, riov, 3));
    printf("readv: [%.3s] [%.5s] [%.5s]\n", a, b, c);
    T_RET(readv(fd, riov, -1));   // EINVAL
    T_RET(writev(fd, iov, 0));    // nothing: 0
    T_RET(writev(fd, iov, 1025)); // more than IOV_MAX: EINVAL

    // pread / pwrite do not move the offset.
    T_RET(lseek(fd, 2, SEEK_SET));
    memset(buf, 0, sizeof buf);
    T_RET(pread(fd, buf, 3, 4));
    printf("pread: %s\n", buf);
    T_RET(pwrite(fd, "TWO", 3, 4));
    T_RET(lseek(fd, 0, SEEK_CUR));
    T_RET(pread(fd, buf, 3, -1));  // EINVAL
    T_RET(pread(fd, buf, 10, 1000));  // past the end: 0
    t_cat("v", "v");

    // lseek: whence values, negative results, holes past EOF read back as zeros.
    T_RET(lseek(fd, 0, SEEK_END));
    T_RET(lseek(fd, -100, SEEK_SET));  // EINVAL
    T_RET(lseek(fd, -100, SEEK_CUR));  // EINVAL
    T_RET(lseek(fd, 0, 7));            // EINVAL
    T_RET(lseek(fd, 10000, SEEK_END));
    T_RET(write(fd, "Z", 1));
    struct stat st;
    T_RET(fstat(fd, &st));
    printf("size after hole: %lld\n", (long long)st.st_size);
    T_YES(st.st_blocks * 512 < st.st_size);  // the hole takes no blocks
    T_RET(pread(fd, buf, 8, 5000));
    int zeros = 1;
    for (int i = 0; i < 8; i++) zeros &= buf[i] == 0;
    T_YES(zeros);
    T_RET(lseek(fd, 1 << 20, SEEK_SET));  // beyond the end is fine
    T_RET(read(fd, buf, 1));              // and reads 0
    T_RET(fsync(fd));
    T_RET(fdatasync(fd));
    sync();
    printf("sync done\n");
    T_RET(close(fd));
    T_RET(fsync(fd));  // EBADF
    T_RET(lseek(fd, 0, SEEK_SET));  // EBADF

    // truncate / ftruncate grow (zeros) and shrink.
    t_put("t", "0123456789");
    T_RET(truncate("t", 4));
    t_cat("t shrunk", "t");
    T_RET(truncate("t", 6));
    t_cat("t grown", "t");
    T_RET(truncate("t", -1));        // EINVAL
    T_RET(truncate("nothere", 0));   // ENOENT
    T_RET(truncate(".", 0));         // EISDIR
    T_RET(fd = open("t", O_RDONLY));
    T_RET(ftruncate(fd, 0));         // not open for writing: EINVAL
    close(fd);
    T_RET(fd = open("t", O_RDWR));
    T_RET(ftruncate(fd, 2));
    T_RET(lseek(fd, 0, SEEK_END));
    close(fd);
    t_cat("t ftruncated", "t");
    T_RET(ftruncate(99, 0));         // EBADF

    // Directories are not files.
    T_RET(open(".", O_WRONLY));      // EISDIR
    T_RET(open(".", O_RDWR));        // EISDIR
    T_RET(fd = open(".", O_RDONLY));
    T_RET(read(fd, buf, 1));         // EISDIR
    T_RET(write(fd, buf, 1));        // EBADF
    close(fd);
    T_RET(open("f/x", O_RDONLY));    // ENOTDIR
    T_RET(open("nodir/x", O_RDWR | O_CREAT, 0644));  // ENOENT

    // Large write and read back across page boundaries.
    static char big[3 * 4096 + 100];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7 + 3);
    T_RET(fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644));
    T_RET(write(fd, big, sizeof big));
    static char back[sizeof big];
    T_RET(pread(fd, back, sizeof back, 0));
    T_YES(memcmp(big, back, sizeof big) == 0);
    T_RET(pread(fd, back, 200, 4000));
    T_YES(memcmp(big + 4000, back, 200) == 0);
    T_RET(fstat(fd, &st));
    printf("big size %lld blksize %ld\n", (long long)st.st_size, (long)st.st_blksize);
    close(fd);

    // statx sees the same.
    struct t_statx sx;
    T_RET(t_statx(AT_FDCWD, "big", 0, T_STATX_BASIC_STATS, &sx));
    T_YES((sx.stx_mask & T_STATX_BASIC_STATS) == T_STATX_BASIC_STATS);
    printf("statx size %llu mode %o nlink %u\n", (unsigned long long)sx.stx_size, sx.stx_mode, sx.stx_nlink);
    T_YES(sx.stx_ino == (unsigned long long)st.st_ino);
    T_RET(t_statx(AT_FDCWD, "big", 0x40000000, T_STATX_BASIC_STATS, &sx));  // unknown flag: EINVAL
    T_RET(t_statx(AT_FDCWD, "big", 0, 0x80000000u, &sx));                 // reserved mask: EINVAL
    t_exit(0);
}
