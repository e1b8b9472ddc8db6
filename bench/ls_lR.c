// `ls -lR` of a tree of 10,000 files (100 directories of 100 empty files on
// the tmpfs /tmp) by Debian's busybox-static, unmodified: getdents64, lstat
// of every entry, and busybox's formatting, written to /dev/null. The tree is
// built first, untimed; the figure is fork + execve + wait of busybox,
// measured here with CLOCK_MONOTONIC.
#include "b.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void) {
    char path[64];
    if (mkdir("/tmp/tree", 0755) && errno != EEXIST) die("mkdir /tmp/tree");
    for (int d = 0; d < 100; d++) {
        snprintf(path, sizeof path, "/tmp/tree/d%02d", d);
        if (mkdir(path, 0755) && errno != EEXIST) die("mkdir");
        for (int f = 0; f < 100; f++) {
            snprintf(path, sizeof path, "/tmp/tree/d%02d/f%02d", d, f);
            int fd = open(path, O_CREAT | O_WRONLY, 0644);
            if (fd < 0) die("create");
            close(fd);
        }
    }
    int null = open("/dev/null", O_WRONLY);
    if (null < 0) die("open /dev/null");
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        char *argv[] = {"ls", "-lR", "/tmp/tree", NULL};
        char *envp[] = {"PATH=/bin", NULL};
        dup2(null, 1);
        execve("/bin/busybox", argv, envp);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid) die("waitpid");
    double dt = now_s() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        printf("bench error: busybox ls -lR ended with status 0x%x\n", st);
        return 1;
    }
    report("ls_lR_10k", dt * 1e3, "ms");
    return 0;
}
