// Probe (not a metric of make bench): the cost of stat() of a name in a tmpfs
// directory as the directory grows. With a hashed dentry cache the cost stays
// flat; if every name of one directory lands in one hash chain, it grows with
// the number of entries. Figures: stat per name with 100, 1000 and 10,000
// entries in the directory.
#include "../b.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>

static double stat_cost(int n) {
    char name[64];
    struct stat st;
    snprintf(name, sizeof name, "/tmp/d%d", n);
    if (mkdir(name, 0755)) die("mkdir");
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/tmp/d%d/f%05d", n, i);
        int fd = open(name, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) die("create");
        close(fd);
    }
    int rounds = 20000 / n + 1;
    double t0 = now_s();
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof name, "/tmp/d%d/f%05d", n, i);
            if (stat(name, &st)) die("stat");
        }
    return (now_s() - t0) / ((double)rounds * n);
}

int main(void) {
    if (getpid() == 1) mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
    report("stat_in_dir_of_100", stat_cost(100) * 1e6, "us");
    report("stat_in_dir_of_1000", stat_cost(1000) * 1e6, "us");
    report("stat_in_dir_of_10000", stat_cost(10000) * 1e6, "us");
    if (getpid() == 1) reboot(RB_POWER_OFF);
    return 0;
}
