// tmpfs: write a 64 MiB file in 1 MiB writes (allocating its page cache),
// then read it back in 1 MiB reads. The init mounts a tmpfs on /tmp. MB/s
// means 10^6 bytes per second.
#include "b.h"
#include <fcntl.h>

#define SIZE (64L << 20)
#define CHUNK (1L << 20)

int main(void) {
    static char buf[CHUNK];
    memset(buf, 0x5a, sizeof buf);
    const char *path = "/tmp/bench-tmpfs";
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0) die("open for writing");
    double t0 = now_s();
    for (long done = 0; done < SIZE; done += CHUNK)
        if (write(fd, buf, CHUNK) != CHUNK) die("write");
    if (close(fd)) die("close");
    double tw = now_s() - t0;

    fd = open(path, O_RDONLY);
    if (fd < 0) die("open for reading");
    long got = 0;
    ssize_t r;
    t0 = now_s();
    while ((r = read(fd, buf, CHUNK)) > 0) got += r;
    double tr = now_s() - t0;
    if (r < 0) die("read");
    close(fd);
    if (got != SIZE) {
        errno = EIO;
        die("short read");
    }
    if (buf[CHUNK - 1] != 0x5a) {
        errno = EIO;
        die("read back wrong data");
    }
    unlink(path);
    report("tmpfs_write_64M", SIZE / tw / 1e6, "MB/s");
    report("tmpfs_read_64M", SIZE / tr / 1e6, "MB/s");
    return 0;
}
