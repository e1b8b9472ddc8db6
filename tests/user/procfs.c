// procfs checked against the process's own view of itself: every field read
// from /proc is compared with what system calls say (getpid, getppid,
// getpgrp, getsid, the signal mask, umask, uname, sysinfo, clock_gettime,
// its own mappings and open files). Only "NAME: ok" or "NAME: FAIL ..." lines
// are printed, so the output is the same on every kernel that gets the
// fields right, whatever the pids, addresses and times are. Mounts proc at
// /proc itself when it is not mounted.
#include "tfs.h"
#include <ctype.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

static int failures;
#define CHECK(name, cond, ...)                                                   \
    do {                                                                         \
        if (cond) printf("%s: ok\n", name);                                      \
        else {                                                                   \
            printf("%s: FAIL ", name);                                           \
            printf(__VA_ARGS__);                                                 \
            printf("\n");                                                        \
            failures++;                                                          \
        }                                                                        \
    } while (0)

static char text[65536];

// Reads a whole /proc file into text (NUL-terminated); returns its length or -1.
static long slurp(const char* path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long len = 0;
    ssize_t n;
    while (len < (long)sizeof text - 1 && (n = read(fd, text + len, sizeof text - 1 - len)) > 0) len += n;
    close(fd);
    text[len] = 0;
    return len;
}

// The value after "Key:" in a "Key:\tvalue" file (status, meminfo), or NULL.
static const char* field(const char* key) {
    static char val[256];
    size_t k = strlen(key);
    for (const char* l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        if (strncmp(l, key, k) == 0 && l[k] == ':') {
            const char* v = l + k + 1;
            while (*v == ' ' || *v == '\t') v++;
            size_t n = strcspn(v, "\n");
            if (n >= sizeof val) n = sizeof val - 1;
            memcpy(val, v, n);
            val[n] = 0;
            return val;
        }
    }
    return NULL;
}

static int has_line(const char* line) {
    size_t n = strlen(line);
    for (const char* l = text; *l;) {
        if (strncmp(l, line, n) == 0 && (l[n] == '\n' || l[n] == 0)) return 1;
        const char* nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    return 0;
}

static double timespec_s(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

// /proc/PID/stat: fields after "(comm)". Returns the count parsed.
struct pstat {
    int pid;
    char comm[64];
    char state;
    long f[60];  // f[4] = field 4 (ppid) ... by Linux's 1-based numbering
};
static int read_stat(const char* path, struct pstat* s) {
    if (slurp(path) < 0) return -1;
    char* open_paren = strchr(text, '(');
    char* close_paren = strrchr(text, ')');
    if (!open_paren || !close_paren) return -1;
    s->pid = atoi(text);
    size_t n = close_paren - open_paren - 1;
    if (n >= sizeof s->comm) n = sizeof s->comm - 1;
    memcpy(s->comm, open_paren + 1, n);
    s->comm[n] = 0;
    char* p = close_paren + 2;
    s->state = *p;
    p += 1;
    int i = 4;
    while (*p && *p != '\n' && i < 60) {
        s->f[i++] = strtol(p, &p, 10);
    }
    return i - 1;  // the number of the last field
}

static char state_of(pid_t pid) {
    char path[64];
    struct pstat s;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    return read_stat(path, &s) > 0 ? s.state : '?';
}

// Polls a process's state until it is WANT (up to 3 s): the other process may
// not have got there yet on a busy host.
static char wait_state(pid_t pid, char want) {
    char st = '?';
    for (int i = 0; i < 300; i++) {
        st = state_of(pid);
        if (st == want) break;
        usleep(10000);
    }
    return st;
}

static void as_user(void) {
    CHECK("uid 1000 cannot open /proc/self/stat for writing", open("/proc/self/stat", O_WRONLY) < 0 && errno == EACCES,
          "%s", t_errname(errno));
    CHECK("uid 1000 cannot open /proc/uptime for writing", open("/proc/uptime", O_WRONLY) < 0 && errno == EACCES,
          "%s", t_errname(errno));
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", getppid());
    CHECK("uid 1000 cannot read root's environ", open(path, O_RDONLY) < 0 && errno == EACCES, "%s", t_errname(errno));
}

int main(int argc, char** argv, char** envp) {
    t_watchdog(10);
    struct stat st;
    if (stat("/proc/self", &st) < 0) {
        mkdir("/proc", 0555);
        if (mount("proc", "/proc", "proc", 0, NULL) < 0) printf("mount proc: %s\n", t_errname(errno));
    }
    t_scratch("procfs");
    pid_t me = getpid();
    char path[256], buf[4096];

    // /proc/self and /proc/thread-self.
    ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("/proc/self links to the pid", atoi(buf) == me && n > 0, "%s", buf);
    n = readlink("/proc/thread-self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "%d/task/%d", me, me);
    CHECK("/proc/thread-self links to pid/task/tid", strcmp(buf, path) == 0, "%s", buf);

    // /proc/self/stat.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGUSR2, SIG_IGN);
    struct pstat s;
    int last = read_stat("/proc/self/stat", &s);
    CHECK("stat has 52 fields", last == 52, "%d", last);
    CHECK("stat pid", s.pid == me, "%d", s.pid);
    CHECK("stat comm", strcmp(s.comm, "procfs") == 0, "%s", s.comm);
    CHECK("stat state R", s.state == 'R', "%c", s.state);
    CHECK("stat ppid", s.f[4] == getppid(), "%ld", s.f[4]);
    CHECK("stat pgrp", s.f[5] == getpgrp(), "%ld", s.f[5]);
    CHECK("stat session", s.f[6] == getsid(0), "%ld", s.f[6]);
    CHECK("stat num_threads", s.f[20] == 1, "%ld", s.f[20]);
    long hz = sysconf(_SC_CLK_TCK);
    double up = timespec_s(CLOCK_BOOTTIME);
    CHECK("stat starttime not in the future", s.f[22] <= (long)(up * hz) + 1 && s.f[22] > 0, "%ld vs %f", s.f[22], up * hz);
    unsigned long vsize = (unsigned long)s.f[23];
    long rss = s.f[24];
    CHECK("stat vsize > 0", vsize > 0, "%lu", vsize);
    CHECK("stat rss > 0", rss > 0, "%ld", rss);
    CHECK("stat blocked: SIGUSR1", (s.f[32] & (1L << (SIGUSR1 - 1))) != 0, "%lx", s.f[32]);
    CHECK("stat sigignore: SIGUSR2", (s.f[33] & (1L << (SIGUSR2 - 1))) != 0, "%lx", s.f[33]);
    CHECK("stat exit_signal SIGCHLD", s.f[38] == SIGCHLD, "%ld", s.f[38]);
    CHECK("stat utime+stime not above the cpu clock",
          (s.f[14] + s.f[15]) <= (long)(timespec_s(CLOCK_PROCESS_CPUTIME_ID) * hz) + 2, "%ld %ld", s.f[14], s.f[15]);

    // /proc/self/statm: agrees with stat.
    slurp("/proc/self/statm");
    unsigned long sm[7] = {0};
    int k = sscanf(text, "%lu %lu %lu %lu %lu %lu %lu", &sm[0], &sm[1], &sm[2], &sm[3], &sm[4], &sm[5], &sm[6]);
    CHECK("statm has 7 numbers", k == 7, "%d", k);
    CHECK("statm size = stat vsize / page", sm[0] == vsize / 4096, "%lu vs %lu", sm[0], vsize / 4096);
    CHECK("statm resident >= shared", sm[1] >= sm[2], "%lu %lu", sm[1], sm[2]);
    CHECK("statm resident close to stat rss", labs((long)sm[1] - rss) <= 4, "%lu vs %ld", sm[1], rss);
    CHECK("statm lib and dt are 0", sm[4] == 0 && sm[6] == 0, "%lu %lu", sm[4], sm[6]);

    // /proc/self/status.
    mode_t old = umask(027);
    slurp("/proc/self/status");
    umask(old);
    const char* v;
    CHECK("status Name", (v = field("Name")) && strcmp(v, "procfs") == 0, "%s", v ? v : "missing");
    CHECK("status Umask", (v = field("Umask")) && strcmp(v, "0027") == 0, "%s", v ? v : "missing");
    CHECK("status State", (v = field("State")) && strcmp(v, "R (running)") == 0, "%s", v ? v : "missing");
    CHECK("status Tgid", (v = field("Tgid")) && atoi(v) == me, "%s", v ? v : "missing");
    CHECK("status Pid", (v = field("Pid")) && atoi(v) == me, "%s", v ? v : "missing");
    CHECK("status PPid", (v = field("PPid")) && atoi(v) == getppid(), "%s", v ? v : "missing");
    CHECK("status TracerPid", (v = field("TracerPid")) && strcmp(v, "0") == 0, "%s", v ? v : "missing");
    CHECK("status Uid", (v = field("Uid")) && strcmp(v, "0\t0\t0\t0") == 0, "%s", v ? v : "missing");
    CHECK("status Gid", (v = field("Gid")) && strcmp(v, "0\t0\t0\t0") == 0, "%s", v ? v : "missing");
    CHECK("status Threads", (v = field("Threads")) && strcmp(v, "1") == 0, "%s", v ? v : "missing");
    CHECK("status SigBlk", (v = field("SigBlk")) && strcmp(v, "0000000000000200") == 0, "%s", v ? v : "missing");
    CHECK("status SigIgn has SIGUSR2", (v = field("SigIgn")) && (strtoull(v, NULL, 16) & (1ull << (SIGUSR2 - 1))), "%s",
          v ? v : "missing");
    CHECK("status SigPnd", (v = field("SigPnd")) && strcmp(v, "0000000000000000") == 0, "%s", v ? v : "missing");
    CHECK("status VmSize = vsize", (v = field("VmSize")) && strtoul(v, NULL, 10) == vsize / 1024, "%s", v ? v : "missing");
    CHECK("status VmRSS in kB", (v = field("VmRSS")) && strstr(v, " kB") && strtoul(v, NULL, 10) > 0, "%s", v ? v : "missing");
    CHECK("status VmPeak >= VmSize", (v = field("VmPeak")) && strtoul(v, NULL, 10) >= vsize / 1024, "%s", v ? v : "missing");
    CHECK("status Cpus_allowed_list", (v = field("Cpus_allowed_list")) && strcmp(v, "0") == 0, "%s", v ? v : "missing");
    CHECK("status voluntary_ctxt_switches", field("voluntary_ctxt_switches") != NULL, "missing");
    CHECK("status CapEff of root", (v = field("CapEff")) && strlen(v) == 16 && strtoull(v, NULL, 16) != 0, "%s", v ? v : "missing");

    // cmdline, environ, comm.
    long len = slurp("/proc/self/cmdline");
    long want = 0;
    int same = 1;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        if (want + (long)l > len || memcmp(text + want, argv[i], l) != 0) same = 0;
        want += l;
    }
    CHECK("cmdline is argv", same && len == want, "%ld bytes", len);
    len = slurp("/proc/self/environ");
    want = 0;
    same = 1;
    for (char** e = envp; *e; e++) {
        size_t l = strlen(*e) + 1;
        if (want + (long)l > len || memcmp(text + want, *e, l) != 0) same = 0;
        want += l;
    }
    CHECK("environ is envp", same && len == want, "%ld bytes", len);
    slurp("/proc/self/comm");
    CHECK("comm", strcmp(text, "procfs\n") == 0, "%s", text);
    prctl(PR_SET_NAME, "renamed-by-prctl-long");  // cut to 15 bytes
    slurp("/proc/self/comm");
    CHECK("comm after PR_SET_NAME", strcmp(text, "renamed-by-prct\n") == 0, "%s", text);
    int fd = open("/proc/self/comm", O_WRONLY);
    if (fd >= 0) {
        write(fd, "written", 7);
        close(fd);
    }
    slurp("/proc/self/comm");
    CHECK("comm written", strcmp(text, "written\n") == 0, "%s", text);
    read_stat("/proc/self/stat", &s);
    CHECK("stat comm follows", strcmp(s.comm, "written") == 0, "%s", s.comm);
    prctl(PR_SET_NAME, "procfs");

    // maps: the program's text, the stack, an mmap with two protections, the vdso.
    char* area = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(area + 4096, 4096, PROT_READ);
    slurp("/proc/self/maps");
    int text_ok = 0, stack_ok = 0, vdso = 0, area_rw = 0, area_r = 0, well_formed = 1, lines = 0;
    unsigned long prev_end = 0;
    int local;
    for (char* l = text; *l;) {
        char* nl = strchr(l, '\n');
        if (nl) *nl = 0;
        unsigned long a, b, off;
        char perms[8], dev[16], name[256] = "";
        unsigned long ino;
        int c = sscanf(l, "%lx-%lx %7s %lx %15s %lu %255s", &a, &b, perms, &off, dev, &ino, name);
        lines++;
        if (c < 6 || a >= b || a < prev_end || strlen(perms) != 4) well_formed = 0;
        prev_end = b;
        unsigned long pc = (unsigned long)&main;
        if (pc >= a && pc < b && perms[2] == 'x' && strcmp(name, argv[0]) == 0) text_ok = 1;
        unsigned long sp = (unsigned long)&local;
        if (sp >= a && sp < b && strcmp(name, "[stack]") == 0 && strcmp(perms, "rw-p") == 0) stack_ok = 1;
        if (strcmp(name, "[vdso]") == 0 && perms[2] == 'x') vdso = 1;
        if (a <= (unsigned long)area && (unsigned long)area + 4096 <= b && strcmp(perms, "rw-p") == 0) area_rw++;
        if (a <= (unsigned long)area + 4096 && (unsigned long)area + 8192 <= b && strcmp(perms, "r--p") == 0) area_r++;
        if (!nl) break;
        l = nl + 1;
    }
    CHECK("maps lines well formed and sorted", well_formed && lines > 3, "%d lines", lines);
    CHECK("maps: text of the program, executable, named by path", text_ok, "not found");
    CHECK("maps: [stack] holds a local variable", stack_ok, "not found");
    CHECK("maps: [vdso]", vdso, "not found");
    CHECK("maps: the mmap split in rw-p and r--p", area_rw == 1 && area_r == 1, "%d %d", area_rw, area_r);
    munmap(area, 3 * 4096);

    // fd/ and the links of the process.
    t_put("f", "x");
    int f = open("f", O_RDONLY);
    int p[2];
    pipe(p);
    int dead = open("deleted", O_RDWR | O_CREAT, 0644);
    unlink("deleted");
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("fd link of a file", strcmp(buf, "/tmp/procfs/f") == 0, "%s", buf);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("fd link of a pipe", strncmp(buf, "pipe:[", 6) == 0, "%s", buf);
    snprintf(path, sizeof path, "/proc/self/fd/%d", dead);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("fd link of a deleted file", strcmp(buf, "/tmp/procfs/deleted (deleted)") == 0, "%s", buf);
    n = readlink("/proc/self/fd/0", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("fd 0 is the console", strcmp(buf, "/dev/console") == 0, "%s", buf);
    snprintf(path, sizeof path, "/proc/self/fd/%d", f);
    int f2 = open(path, O_RDONLY);
    CHECK("opening the fd link opens the file", f2 >= 0 && read(f2, buf, 1) == 1 && buf[0] == 'x', "%s", t_errname(errno));
    close(f2);
    // The listing is exactly the open fds: ours, the listing's own, and any
    // the runner left open; every listed number is an open fd.
    DIR* d = opendir("/proc/self/fd");
    int mine = 0, own = 0, closed = 0;
    struct dirent* e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int x = atoi(e->d_name);
        if (x == 0 || x == 1 || x == 2 || x == f || x == p[0] || x == p[1] || x == dead) mine++;
        if (x == dirfd(d)) own++;
        if (fcntl(x, F_GETFD) < 0) closed++;
    }
    CHECK("fd/ lists our fds and the listing's own, and only open ones", d && mine == 7 && own == 1 && closed == 0,
          "%d %d %d", mine, own, closed);
    if (d) closedir(d);
    close(dead);
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("cwd link", strcmp(buf, "/tmp/procfs") == 0, "%s", buf);
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("exe link", strcmp(buf, argv[0]) == 0, "%s", buf);
    n = readlink("/proc/self/root", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK("root link", strcmp(buf, "/") == 0, "%s", buf);
    d = opendir("/proc/self/task");
    int count = 0;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') count += atoi(e->d_name) == me ? 1 : 100;
    CHECK("task/ holds only the main thread", count == 1, "%d", count);
    if (d) closedir(d);

    // Another process seen from outside: sleeping, stopped, zombie.
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        prctl(PR_SET_NAME, "kid");
        for (;;) pause();
    }
    char cs = wait_state(c, 'S');
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    read_stat(path, &s);
    CHECK("child comm", strcmp(s.comm, "kid") == 0, "%s", s.comm);
    CHECK("child ppid", s.f[4] == me, "%ld", s.f[4]);
    CHECK("child sleeping: S", cs == 'S', "%c", cs);
    kill(c, SIGSTOP);
    cs = wait_state(c, 'T');
    CHECK("child stopped: T", cs == 'T', "%c", cs);
    kill(c, SIGKILL);
    cs = wait_state(c, 'Z');
    CHECK("child zombie: Z", cs == 'Z', "%c", cs);
    snprintf(path, sizeof path, "/proc/%d/status", c);
    slurp(path);
    CHECK("zombie status State", (v = field("State")) && strcmp(v, "Z (zombie)") == 0, "%s", v ? v : "missing");
    waitpid(c, NULL, 0);
    CHECK("reaped: gone", state_of(c) == '?', "%c", state_of(c));
    snprintf(path, sizeof path, "/proc/%d", c);
    CHECK("reaped: no directory", access(path, F_OK) < 0 && errno == ENOENT, "%s", t_errname(errno));

    // /proc listing: our pid and 1 are there, "self" too.
    d = opendir("/proc");
    int found_me = 0, found_1 = 0, found_self = 0;
    while (d && (e = readdir(d))) {
        if (atoi(e->d_name) == me) found_me = 1;
        if (strcmp(e->d_name, "1") == 0) found_1 = 1;
        if (strcmp(e->d_name, "self") == 0) found_self = 1;
    }
    if (d) closedir(d);
    CHECK("/proc lists our pid, 1 and self", found_me && found_1 && found_self, "%d %d %d", found_me, found_1, found_self);

    // meminfo against sysinfo.
    struct sysinfo si;
    sysinfo(&si);
    slurp("/proc/meminfo");
    CHECK("meminfo starts with MemTotal, MemFree, MemAvailable",
          strncmp(text, "MemTotal:", 9) == 0 && strstr(text, "\nMemFree:") && strstr(text, "\nMemAvailable:") &&
              strstr(text, "\nMemFree:") < strstr(text, "\nMemAvailable:"),
          "%.40s", text);
    unsigned long total = (v = field("MemTotal")) ? strtoul(v, NULL, 10) : 0;
    CHECK("meminfo MemTotal = sysinfo totalram", total == si.totalram * si.mem_unit / 1024, "%lu vs %lu", total,
          (unsigned long)(si.totalram * si.mem_unit / 1024));
    CHECK("meminfo MemTotal below 512 MiB", total > 0 && total < 512 * 1024, "%lu", total);
    unsigned long mfree = (v = field("MemFree")) ? strtoul(v, NULL, 10) : 0;
    CHECK("meminfo MemFree <= MemTotal", mfree > 0 && mfree <= total, "%lu", mfree);
    unsigned long avail = (v = field("MemAvailable")) ? strtoul(v, NULL, 10) : 0;
    CHECK("meminfo MemAvailable <= MemTotal", avail > 0 && avail <= total, "%lu", avail);
    CHECK("meminfo lines are 'Key:   N kB'", strstr(text, "MemTotal:       ") == text && strstr(text, " kB\n"), "%.30s", text);
    const char* keys[] = {"Buffers", "Cached", "SwapCached", "Active", "Inactive", "SwapTotal", "SwapFree", "Dirty",
                          "AnonPages", "Mapped", "Shmem", "Slab", "KernelStack", "PageTables", "CommitLimit",
                          "Committed_AS", "VmallocTotal", NULL};
    int missing = 0;
    for (int i = 0; keys[i]; i++) missing += field(keys[i]) == NULL;
    CHECK("meminfo has the usual keys", missing == 0, "%d missing", missing);
    CHECK("meminfo SwapTotal 0", (v = field("SwapTotal")) && strcmp(v, "0 kB") == 0, "%s", v ? v : "missing");

    // stat.
    slurp("/proc/stat");
    unsigned long long cpu[10] = {0};
    k = sscanf(text, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &cpu[0], &cpu[1], &cpu[2], &cpu[3],
               &cpu[4], &cpu[5], &cpu[6], &cpu[7], &cpu[8], &cpu[9]);
    CHECK("stat: cpu line with 10 numbers", k == 10, "%d", k);
    CHECK("stat: cpu0 line", strstr(text, "\ncpu0 ") != NULL, "missing");
    CHECK("stat: no cpu1 with one CPU", strstr(text, "\ncpu1 ") == NULL, "present");
    unsigned long long sum = 0;
    for (int i = 0; i < 8; i++) sum += cpu[i];
    up = timespec_s(CLOCK_BOOTTIME);
    CHECK("stat: cpu time adds up to about the uptime", sum <= (up + 1) * hz && sum + 2 * hz >= (up - 1) * hz * 0.5,
          "%llu ticks, uptime %f", sum, up);
    const char* b = strstr(text, "\nbtime ");
    long btime = b ? atol(b + 7) : 0;
    double real = timespec_s(CLOCK_REALTIME);
    CHECK("stat: btime = now - uptime", labs(btime - (long)(real - up)) <= 2, "%ld vs %f", btime, real - up);
    b = strstr(text, "\nprocesses ");
    CHECK("stat: processes counts our forks", b && atol(b + 11) >= 3, "%s", b ? b : "missing");
    b = strstr(text, "\nprocs_running ");
    CHECK("stat: procs_running >= 1", b && atol(b + 15) >= 1, "%s", b ? b : "missing");
    CHECK("stat: intr, ctxt, procs_blocked, softirq lines",
          strstr(text, "\nintr ") && strstr(text, "\nctxt ") && strstr(text, "\nprocs_blocked ") && strstr(text, "\nsoftirq "),
          "missing");

    // uptime against CLOCK_BOOTTIME.
    slurp("/proc/uptime");
    double u1 = timespec_s(CLOCK_BOOTTIME);
    double pu = -1, pidle = -1;
    k = sscanf(text, "%lf %lf", &pu, &pidle);
    int shape = 0, dots = 0;
    for (char* q = text; *q && *q != '\n'; q++) dots += *q == '.';
    char* dot = strchr(text, '.');
    shape = k == 2 && dots == 2 && dot && isdigit((unsigned char)dot[1]) && isdigit((unsigned char)dot[2]) && dot[3] == ' ';
    CHECK("uptime shape 'N.NN N.NN'", shape, "%s", text);
    CHECK("uptime = CLOCK_BOOTTIME", pu <= u1 + 0.02 && pu >= u1 - 0.5, "%f vs %f", pu, u1);
    CHECK("uptime idle >= 0", pidle >= 0, "%f", pidle);

    // loadavg.
    slurp("/proc/loadavg");
    double l1, l5, l15;
    int running, threads, lastpid;
    k = sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &threads, &lastpid);
    CHECK("loadavg shape", k == 6 && l1 >= 0 && l5 >= 0 && l15 >= 0, "%s", text);
    CHECK("loadavg running/total", running >= 1 && threads >= running && threads >= 2, "%d/%d", running, threads);
    CHECK("loadavg last pid >= the child's", lastpid >= c, "%d vs %d", lastpid, c);

    // version against uname.
    struct utsname un;
    uname(&un);
    slurp("/proc/version");
    snprintf(buf, sizeof buf, "%s version %s ", un.sysname, un.release);
    CHECK("version starts 'sysname version release '", strncmp(text, buf, strlen(buf)) == 0, "%.60s", text);
    CHECK("version contains uname's version", strstr(text, un.version) != NULL, "%.80s", text);

    // mounts: our own tmpfs with known options, and proc.
    mkdir("m", 0755);
    mount("testfs", "/tmp/procfs/m", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
    slurp("/proc/mounts");
    CHECK("mounts: our tmpfs line", has_line("testfs /tmp/procfs/m tmpfs rw,nosuid,nodev,relatime,mode=755,inode64 0 0"), "%s", text);
    int procline = 0;
    for (char* l = text; *l;) {
        if (strncmp(l, "proc /proc proc rw", 18) == 0) procline = 1;
        char* nl = strchr(l, '\n');
        if (!nl) break;
        l = nl + 1;
    }
    CHECK("mounts: proc on /proc", procline, "missing");
    umount("/tmp/procfs/m");
    slurp("/proc/mounts");
    CHECK("mounts: gone after umount", strstr(text, "/tmp/procfs/m") == NULL, "still there");
    long l1n = slurp("/proc/self/mounts");
    CHECK("self/mounts = mounts", l1n > 0, "empty");

    // filesystems.
    slurp("/proc/filesystems");
    CHECK("filesystems: nodev proc, tmpfs, sysfs, devtmpfs",
          has_line("nodev\tproc") && has_line("nodev\ttmpfs") && has_line("nodev\tsysfs") && has_line("nodev\tdevtmpfs"),
          "%s", text);

    // Writes to read-only files.
    // Writes to read-only files: root may open them (DAC override), the write fails.
    fd = open("/proc/uptime", O_WRONLY);
    errno = 0;
    n = fd >= 0 ? write(fd, "1", 1) : -2;
    CHECK("root writes /proc/uptime: EIO", fd >= 0 && n == -1 && errno == EIO, "%d %s", fd, t_errname(errno));
    close(fd);
    fd = open("/proc/self/stat", O_WRONLY);
    errno = 0;
    n = fd >= 0 ? write(fd, "1", 1) : -2;
    CHECK("root writes /proc/self/stat: EINVAL", fd >= 0 && n == -1 && errno == EINVAL, "%d %s", fd, t_errname(errno));
    close(fd);
    fd = open("/proc/sys/kernel/ostype", O_WRONLY);  // a read-only sysctl: even root
    CHECK("root opens /proc/sys/kernel/ostype for writing: EACCES", fd < 0 && errno == EACCES, "%d %s", fd,
          t_errname(errno));
    if (fd >= 0) close(fd);
    slurp("/proc/sys/kernel/ostype");
    CHECK("/proc/sys/kernel/ostype is uname's sysname", strncmp(text, un.sysname, strlen(un.sysname)) == 0 &&
          text[strlen(un.sysname)] == '\n', "%s", text);
    gethostname(buf, sizeof buf);
    slurp("/proc/sys/kernel/hostname");
    CHECK("/proc/sys/kernel/hostname is the hostname", strncmp(text, buf, strlen(buf)) == 0, "%s", text);
    fd = open("/proc/self/stat", O_RDONLY);
    CHECK("write to a read-only fd of /proc/self/stat: EBADF", write(fd, "x", 1) < 0 && errno == EBADF, "%s",
          t_errname(errno));
    close(fd);
    CHECK("creating a file in /proc: EACCES or ENOENT", open("/proc/newfile", O_WRONLY | O_CREAT, 0644) < 0 &&
          (errno == EACCES || errno == ENOENT), "%s", t_errname(errno));
    CHECK("mkdir in /proc: ENOENT", mkdir("/proc/newdir", 0755) < 0 && errno == ENOENT, "%s", t_errname(errno));
    CHECK("/proc/self/nothing: ENOENT", open("/proc/self/nothing", O_RDONLY) < 0 && errno == ENOENT, "%s", t_errname(errno));
    t_as_user(as_user);

    printf("procfs failures: %d\n", failures);
    t_exit(0);
}
