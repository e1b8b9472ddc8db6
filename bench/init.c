// /init of the benchmark initramfs, the same on Keel and on Linux. First it
// reads the boot clock, so "boot_to_init" is the kernel's own time from its
// clock's start to the first instruction of user space; then the memory in
// use after boot; then it runs each program listed in /b/list (fork, execve,
// wait, each in its own process group, killed after a timeout), framing each
// program's output as "== NAME" ... "== NAME exit N", and powers off.
//
// Kernel command-line words reach init in its environment (NAME=VALUE):
//   bench_only=a,b     run only these programs
//   bench_timeout=S    seconds allowed per program (default 60)
//   bench_diag=1       print /proc/{interrupts,schedstat,stat,vmstat} before
//                      and after each program, lines prefixed "diag NAME"
#include "b.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>

static char *read_file(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    size_t got = 0;
    ssize_t n;
    while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0) got += (size_t)n;
    close(fd);
    buf[got] = 0;
    return buf;
}

static long meminfo_kib(const char *text, const char *key) {
    const char *p = strstr(text, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void diag(const char *prog, const char *when) {
    static const char *files[] = {"/proc/interrupts", "/proc/schedstat", "/proc/stat", "/proc/vmstat"};
    static char buf[65536];
    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (!read_file(files[i], buf, sizeof buf)) {
            printf("diag %s %s %s: cannot read\n", prog, when, files[i]);
            continue;
        }
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
            printf("diag %s %s %s: %s\n", prog, when, files[i] + 6, line);
    }
    fflush(stdout);
}

static void on_alarm(int sig) { (void)sig; }

static int listed(const char *only, const char *name) {
    if (!only) return 1;
    size_t n = strlen(name);
    for (const char *p = only; (p = strstr(p, name)); p += n)
        if ((p == only || p[-1] == ',') && (p[n] == 0 || p[n] == ',')) return 1;
    return 0;
}

static void run(const char *name, int timeout) {
    char path[128];
    snprintf(path, sizeof path, "/b/%s", name);
    printf("== %s\n", name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("== %s fork failed: %s\n", name, strerror(errno));
        return;
    }
    if (pid == 0) {
        char *argv[] = {(char *)name, NULL};
        char *envp[] = {"PATH=/bin", NULL};
        setpgid(0, 0);
        execve(path, argv, envp);
        printf("bench error: execve %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    alarm((unsigned)timeout);
    int st;
    pid_t r = waitpid(pid, &st, 0);
    alarm(0);
    if (r != pid) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        printf("== %s timeout after %d s\n", name, timeout);
    } else if (WIFSIGNALED(st)) {
        printf("== %s killed by signal %d\n", name, WTERMSIG(st));
    } else {
        printf("== %s exit %d\n", name, WEXITSTATUS(st));
    }
    kill(-pid, SIGKILL);  // grandchildren left behind
    while (waitpid(-1, &st, WNOHANG) > 0) {}
    fflush(stdout);
}

int main(void) {
    struct timespec boot;
    clock_gettime(CLOCK_BOOTTIME, &boot);  // the first thing init does
    static char buf[65536];

    if (mount("proc", "/proc", "proc", 0, NULL)) info("mount /proc: %s", strerror(errno));
    if (read_file("/proc/uptime", buf, sizeof buf)) info("/proc/uptime %.*s", (int)strcspn(buf, "\n"), buf);
    // /proc/uptime prints CLOCK_BOOTTIME with 10 ms resolution; the same clock
    // read directly keeps the nanoseconds.
    report("boot_to_init", (double)boot.tv_sec * 1e3 + (double)boot.tv_nsec / 1e6, "ms");
    if (read_file("/proc/meminfo", buf, sizeof buf)) {
        long total = meminfo_kib(buf, "MemTotal:"), fr = meminfo_kib(buf, "MemFree:");
        long avail = meminfo_kib(buf, "MemAvailable:");
        info("meminfo MemTotal %ld kB, MemFree %ld kB, MemAvailable %ld kB", total, fr, avail);
        if (total > 0 && fr >= 0) report("mem_used_after_boot", (double)(total - fr), "KiB");
    }
    if (mount("sysfs", "/sys", "sysfs", 0, NULL)) info("mount /sys: %s", strerror(errno));
    if (read_file("/sys/devices/system/clocksource/clocksource0/current_clocksource", buf, sizeof buf))
        info("clocksource %.*s", (int)strcspn(buf, "\n"), buf);
    if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=300m")) info("mount tmpfs on /tmp: %s", strerror(errno));

    struct sigaction sa = {.sa_handler = on_alarm};  // no SA_RESTART: the alarm interrupts waitpid
    sigaction(SIGALRM, &sa, NULL);
    const char *only = getenv("bench_only");
    int timeout = getenv("bench_timeout") ? atoi(getenv("bench_timeout")) : 60;
    int with_diag = getenv("bench_diag") != NULL;
    if (!read_file("/b/list", buf, sizeof buf)) {
        info("cannot read /b/list: %s", strerror(errno));
        buf[0] = 0;
    }
    static char list[4096];
    snprintf(list, sizeof list, "%s", buf);
    for (char *save, *name = strtok_r(list, " \n", &save); name; name = strtok_r(NULL, " \n", &save)) {
        if (!listed(only, name)) continue;
        if (with_diag) diag(name, "before");
        run(name, timeout);
        if (with_diag) diag(name, "after");
    }
    printf("== bench done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
