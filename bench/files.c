// create + stat + unlink of 10,000 files in one tmpfs directory, in three
// passes (create all, stat all, unlink all), so the directory holds 10,000
// entries while they are looked up. The figure is the total; the passes are
// printed as info lines.
#include "b.h"
#include <fcntl.h>
#include <sys/stat.h>

#define N 10000

int main(void) {
    char name[64];
    struct stat st;
    if (mkdir("/tmp/files", 0755) && errno != EEXIST) die("mkdir /tmp/files");
    double t0 = now_s();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "/tmp/files/f%05d", i);
        int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0) die("create");
        close(fd);
    }
    double t1 = now_s();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "/tmp/files/f%05d", i);
        if (stat(name, &st) || !S_ISREG(st.st_mode)) die("stat");
    }
    double t2 = now_s();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "/tmp/files/f%05d", i);
        if (unlink(name)) die("unlink");
    }
    double t3 = now_s();
    info("files: create %.1f ms, stat %.1f ms, unlink %.1f ms", (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3);
    report("files_create_stat_unlink_10k", (t3 - t0) * 1e3, "ms");
    return 0;
}
