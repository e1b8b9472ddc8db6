// procfs, /proc/sys and sysfs read through the VFS (filp_open + kernel_read on
// private mounts), each value checked against the kernel's own view: the
// task's fields, the page allocator's counts, the clocks, the interrupt
// counters, the sysctl variables. Also the seq_file machinery: a file read in
// small pieces and after a seek equals the file read at once.
#include <keel/delay.h>
#include <keel/fs_struct.h>
#include <keel/irqdesc.h>
#include <keel/kernel_stat.h>
#include <keel/mount.h>
#include <keel/namei.h>
#include <keel/sched.h>
#include <keel/seq_file.h>
#include <keel/smp.h>
#include <keel/timekeeping.h>
#include <keel/utsname.h>
#include <kernel/printk/printk.h>
#include <kernel/sched/sched.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/gfp.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <tests/kernel/ktest.h>
#include <uapi/linux/fcntl.h>

namespace {

vfsmount* private_mount(const char* type) {
    static vfsmount* proc_mnt;
    static vfsmount* sys_mnt;
    vfsmount** slot = strcmp(type, "proc") == 0 ? &proc_mnt : &sys_mnt;
    if (!*slot) {
        file_system_type* fs = get_fs_type(type);
        if (!fs) return nullptr;
        Result<vfsmount*> m = kern_mount(fs);
        if (m.is_error()) return nullptr;
        *slot = m.value();
    }
    return *slot;
}

// Opens name relative to the root of a private mount of `type`.
Result<file*> open_in(const char* type, const char* name, int flags) {
    vfsmount* mnt = private_mount(type);
    if (!mnt) return Error{ENODEV};
    path saved;
    get_fs_pwd(current->fs, &saved);
    path root{mnt, mnt->mnt_root};
    set_fs_pwd(current->fs, &root);
    Result<file*> f = filp_open(name, flags, 0);
    set_fs_pwd(current->fs, &saved);
    path_put(&saved);
    return f;
}

// The whole file (NUL-terminated) in buf; its length or -errno.
ssize_t read_file(const char* type, const char* name, char* buf, size_t size) {
    Result<file*> f = open_in(type, name, O_RDONLY);
    if (f.is_error()) return -f.error();
    loff_t pos = 0;
    size_t total = 0;
    for (;;) {
        ssize_t n = kernel_read(f.value(), buf + total, size - 1 - total, &pos);
        if (n < 0) {
            fput(f.value());
            return n;
        }
        if (n == 0 || total + size_t(n) >= size - 1) {
            total += size_t(n);
            break;
        }
        total += size_t(n);
    }
    buf[total] = '\0';
    fput(f.value());
    return ssize_t(total);
}

ssize_t write_file(const char* type, const char* name, const char* text) {
    Result<file*> f = open_in(type, name, O_WRONLY);
    if (f.is_error()) return -f.error();
    loff_t pos = 0;
    ssize_t n = kernel_write(f.value(), text, strlen(text), &pos);
    fput(f.value());
    return n;
}

ssize_t read_proc(const char* name, char* buf, size_t size) { return read_file("proc", name, buf, size); }

// The value after "key" at the start of a line ("MemTotal:", "Pid:\t").
bool field(const char* text, const char* key, unsigned long long* value) {
    size_t len = strlen(key);
    for (const char* line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : nullptr) {
        if (strncmp(line, key, len) != 0) continue;
        const char* p = line + len;
        while (*p == ' ' || *p == '\t') p++;
        *value = simple_strtoull(p, nullptr, 10);
        return true;
    }
    return false;
}

// Splits /proc/PID/stat after the ") ": fields[0] is field 3 (state).
unsigned stat_fields(char* stat, const char** fields, unsigned max) {
    char* p = strrchr(stat, ')');
    if (!p) return 0;
    p += 2;
    unsigned n = 0;
    while (*p && n < max) {
        fields[n++] = p;
        char* sp = strchr(p, ' ');
        if (!sp) break;
        *sp = '\0';
        p = sp + 1;
    }
    return n + 2;  // plus pid and comm
}

unsigned long long num(const char* s) { return simple_strtoull(s, nullptr, 10); }

constexpr size_t BUF = 16384;

struct kbuf {
    char* p = static_cast<char*>(kmalloc(BUF, GFP_KERNEL));
    ~kbuf() { kfree(p); }
};

void self_stat_matches_task(ktest* t) {
    kbuf b;
    KTEST_ASSERT_TRUE(t, b.p);
    KTEST_ASSERT_TRUE(t, read_proc("self/stat", b.p, BUF) > 0);
    char expect[64];
    snprintf(expect, sizeof(expect), "%d (%s) R ", current->pid, current->comm);
    KTEST_EXPECT_EQ(t, strncmp(b.p, expect, strlen(expect)), 0);
    const char* f[60];
    KTEST_ASSERT_TRUE(t, stat_fields(b.p, f, 60) == 52);
    KTEST_EXPECT_EQ(t, num(f[1]), (unsigned long long)current->real_parent->tgid);  // field 4: ppid
    KTEST_EXPECT_EQ(t, num(f[6]), (unsigned long long)current->flags);            // field 9
    KTEST_EXPECT_EQ(t, num(f[17]), 1ull);                                           // field 20: num_threads
    KTEST_EXPECT_EQ(t, num(f[19]), current->start_boottime / 10000000);            // field 22: starttime
    KTEST_EXPECT_EQ(t, num(f[15]), (unsigned long long)(current->prio - MAX_RT_PRIO));  // field 18
    KTEST_EXPECT_EQ(t, num(f[36]), (unsigned long long)current->cpu);             // field 39: processor
}

void self_status_matches_task(ktest* t) {
    kbuf b;
    KTEST_ASSERT_TRUE(t, b.p);
    KTEST_ASSERT_TRUE(t, read_proc("self/status", b.p, BUF) > 0);
    char name[32];
    snprintf(name, sizeof(name), "Name:\t%s\n", current->comm);
    KTEST_EXPECT_EQ(t, strncmp(b.p, name, strlen(name)), 0);
    unsigned long long v;
    KTEST_EXPECT_TRUE(t, field(b.p, "Pid:", &v) && v == (unsigned long long)current->pid);
    KTEST_EXPECT_TRUE(t, field(b.p, "Tgid:", &v) && v == (unsigned long long)current->tgid);
    KTEST_EXPECT_TRUE(t, field(b.p, "Threads:", &v) && v == 1);
    KTEST_EXPECT_TRUE(t, strstr(b.p, "State:\tR (running)\n") != nullptr);
    KTEST_EXPECT_TRUE(t, strstr(b.p, "\nCpus_allowed_list:\t") != nullptr);
}

void other_task_and_missing_pid(ktest* t) {
    kbuf b;
    KTEST_ASSERT_TRUE(t, b.p);
    // PID 2 is kthreadd, asleep waiting for work.
    KTEST_ASSERT_TRUE(t, read_proc("2/stat", b.p, BUF) > 0);
    KTEST_EXPECT_EQ(t, strncmp(b.p, "2 (kthreadd) S ", 15), 0);
    KTEST_EXPECT_EQ(t, read_proc("99999/stat", b.p, BUF), ssize_t(-ENOENT));
    KTEST_EXPECT_EQ(t, read_proc("2/nonexistent", b.p, BUF), ssize_t(-ENOENT));
    KTEST_EXPECT_EQ(t, read_proc("02/stat", b.p, BUF), ssize_t(-ENOENT));
}

void meminfo_matches_allocator(ktest* t) {
    kbuf b;
    KTEST_ASSERT_TRUE(t, b.p);
    KTEST_ASSERT_TRUE(t, read_proc("meminfo", b.p, BUF) > 0);
    unsigned long long total, free;
    KTEST_ASSERT_TRUE(t, field(b.p, "MemTotal:", &total) && field(b.p, "MemFree:", &free));
    KTEST_EXPECT_EQ(t, total, (unsigned long long)totalram_pages() * 4);
    unsigned long long now = (unsigned long long)nr_free_pages() * 4;
    unsigned long long diff = now > free ? now - free : free - now;
    KTEST_EXPECT_LT(t, diff, 2048ull);  // other CPUs allocate meanwhile
    KTEST_EXPECT_LE(t, free, total);
}

void uptime_between_clock_reads(ktest* t) {
    char buf[64];
    u64 before = u64(ktime_get_boottime()) / 10000000;
    KTEST_ASSERT_TRUE(t, read_proc("uptime", buf, sizeof(buf)) > 0);
    u64 after = u64(ktime_get_boottime()) / 10000000;
    char* dot;
    u64 secs = simple_strtoull(buf, &dot, 10);
    KTEST_ASSERT_TRUE(t, *dot == '.');
    u64 centi = secs * 100 + simple_strtoull(dot + 1, nullptr, 10);
    KTEST_EXPECT_GE(t, centi, before);
    KTEST_EXPECT_LE(t, centi, after);
}

// The LOC (local timer) row of CPU 0.
unsigned long long loc_count(ktest* t, char* buf) {
    if (read_proc("interrupts", buf, BUF) <= 0) return 0;
    const char* loc = strstr(buf, "LOC:");
    KTEST_EXPECT_TRUE(t, loc != nullptr);
    if (!loc) return 0;
    loc += 4;
    while (*loc == ' ') loc++;
    return simple_strtoull(loc, nullptr, 10);
}

void interrupts_counts_rise(ktest* t) {
    if (!ktest_clocks_running(t)) return;
    kbuf b;
    KTEST_ASSERT_TRUE(t, b.p);
    unsigned long long first = loc_count(t, b.p);
    msleep(20);  // a few ticks
    unsigned long long second = loc_count(t, b.p);
    KTEST_EXPECT_GT(t, second, first);
}

void stat_counters(ktest* t) {
    kbuf b;
    KTEST_ASSERT_TRUE(t, b.p);
    unsigned long forks_before = total_forks;
    unsigned long long ctxt_before = nr_context_switches();
    KTEST_ASSERT_TRUE(t, read_proc("stat", b.p, BUF) > 0);
    KTEST_EXPECT_EQ(t, strncmp(b.p, "cpu  ", 5), 0);
    unsigned long long v;
    KTEST_EXPECT_TRUE(t, field(b.p, "processes", &v) && v >= forks_before && v <= total_forks);
    KTEST_EXPECT_TRUE(t, field(b.p, "ctxt", &v) && v >= ctxt_before && v <= nr_context_switches());
    KTEST_EXPECT_TRUE(t, field(b.p, "btime", &v) &&
                              (long long)v == ktime_get_real_seconds() - ktime_get_boottime() / NSEC_PER_SEC);
    // The first line has ten counters, idle fourth (this CPU's idle time only grows).
    unsigned fields = 0;
    for (const char* p = b.p + 4; *p && *p != '\n'; p++)
        if (*p == ' ' && p[1] != ' ') fields++;
    KTEST_EXPECT_EQ(t, fields, 10u);
    const char* col = b.p + 5;
    for (int i = 0; i < 3; i++) col = strchr(col, ' ') + 1;
    u64 idle_ns = 0;
    unsigned c;
    for_each_possible_cpu(c) idle_ns += kcpustat_cpu(c).cpustat[CPUTIME_IDLE];
    KTEST_EXPECT_LE(t, num(col), idle_ns / 10000000);
    KTEST_EXPECT_GE(t, num(col) + 2, idle_ns / 10000000);
    KTEST_ASSERT_TRUE(t, read_proc("loadavg", b.p, BUF) > 0);
    char* slash = strchr(b.p, '/');
    KTEST_ASSERT_TRUE(t, slash != nullptr);
    int last = int(simple_strtoull(strchr(slash, ' ') + 1, nullptr, 10));
    KTEST_EXPECT_LE(t, last, __atomic_load_n(&last_pid, __ATOMIC_RELAXED));
    KTEST_EXPECT_GT(t, last, 0);
}

// kallsyms is far bigger than a page: reading it in 37-byte pieces, or from a
// seek in the middle, must give the same bytes as one big read.
void seq_file_pieces_and_seek(ktest* t) {
    char* whole = static_cast<char*>(vmalloc(65536));
    KTEST_ASSERT_TRUE(t, whole);
    Result<file*> f = open_in("proc", "kallsyms", O_RDONLY);
    KTEST_ASSERT_TRUE(t, !f.is_error());
    loff_t pos = 0;
    size_t total = 0;
    while (total < 65536) {
        ssize_t n = kernel_read(f.value(), whole + total, 65536 - total, &pos);
        if (n <= 0) break;
        total += size_t(n);
    }
    KTEST_EXPECT_EQ(t, total, size_t(65536));
    char piece[37];
    pos = 0;
    bool same = true;
    for (size_t off = 0; off + sizeof(piece) <= 20000; off += sizeof(piece)) {
        ssize_t n = kernel_read(f.value(), piece, sizeof(piece), &pos);
        if (n != ssize_t(sizeof(piece)) || memcmp(piece, whole + off, sizeof(piece)) != 0) same = false;
    }
    KTEST_EXPECT_TRUE(t, same);
    pos = 30001;  // a jump forward: regenerated up to there
    KTEST_EXPECT_EQ(t, kernel_read(f.value(), piece, sizeof(piece), &pos), ssize_t(sizeof(piece)));
    KTEST_EXPECT_EQ(t, memcmp(piece, whole + 30001, sizeof(piece)), 0);
    pos = 5;  // and back
    KTEST_EXPECT_EQ(t, kernel_read(f.value(), piece, sizeof(piece), &pos), ssize_t(sizeof(piece)));
    KTEST_EXPECT_EQ(t, memcmp(piece, whole + 5, sizeof(piece)), 0);
    fput(f.value());
    vfree(whole);
}

void sysctl_reads_and_validates(ktest* t) {
    char buf[128];
    KTEST_ASSERT_TRUE(t, read_proc("sys/kernel/sched_latency_ns", buf, sizeof(buf)) > 0);
    unsigned saved = sysctl_sched_latency;
    KTEST_EXPECT_EQ(t, num(buf), (unsigned long long)saved);
    KTEST_EXPECT_EQ(t, write_file("proc", "sys/kernel/sched_latency_ns", "12000000\n"), ssize_t(9));
    KTEST_EXPECT_EQ(t, sysctl_sched_latency, 12000000u);
    KTEST_EXPECT_EQ(t, write_file("proc", "sys/kernel/sched_latency_ns", "abc\n"), ssize_t(-EINVAL));
    KTEST_EXPECT_EQ(t, write_file("proc", "sys/kernel/sched_latency_ns", "5\n"), ssize_t(-EINVAL));  // below 0.1 ms
    KTEST_EXPECT_EQ(t, sysctl_sched_latency, 12000000u);
    snprintf(buf, sizeof(buf), "%u", saved);
    write_file("proc", "sys/kernel/sched_latency_ns", buf);
    KTEST_EXPECT_EQ(t, sysctl_sched_latency, saved);

    // kernel.printk: the console level first, tab-separated.
    int saved_level = console_loglevel;
    char expect[32];
    snprintf(expect, sizeof(expect), "%d\t4\t1\t7\n", saved_level);
    KTEST_ASSERT_TRUE(t, read_proc("sys/kernel/printk", buf, sizeof(buf)) > 0);
    KTEST_EXPECT_EQ(t, strcmp(buf, expect), 0);
    KTEST_EXPECT_EQ(t, write_file("proc", "sys/kernel/printk", "3\n"), ssize_t(2));
    KTEST_EXPECT_EQ(t, console_loglevel, 3);
    snprintf(expect, sizeof(expect), "%d", saved_level);
    write_file("proc", "sys/kernel/printk", expect);
    KTEST_EXPECT_EQ(t, console_loglevel, saved_level);

    char old_host[__NEW_UTS_LEN + 1];
    memcpy(old_host, uts_nodename, sizeof(old_host));
    KTEST_EXPECT_EQ(t, write_file("proc", "sys/kernel/hostname", "ktest-host\n"), ssize_t(11));
    KTEST_EXPECT_EQ(t, strcmp(uts_nodename, "ktest-host"), 0);
    KTEST_ASSERT_TRUE(t, read_proc("sys/kernel/hostname", buf, sizeof(buf)) > 0);
    KTEST_EXPECT_EQ(t, strcmp(buf, "ktest-host\n"), 0);
    write_file("proc", "sys/kernel/hostname", old_host);
    KTEST_EXPECT_EQ(t, strcmp(uts_nodename, old_host), 0);
    // 0444 entries refuse writers, root included; plain read-only files fail the write.
    KTEST_EXPECT_EQ(t, write_file("proc", "sys/kernel/ostype", "x"), ssize_t(-EACCES));
    KTEST_EXPECT_EQ(t, write_file("proc", "version", "x"), ssize_t(-EIO));
}

void comm_is_writable(ktest* t) {
    char saved[sizeof(current->comm)];
    memcpy(saved, current->comm, sizeof(saved));
    KTEST_EXPECT_EQ(t, write_file("proc", "self/comm", "renamed"), ssize_t(7));
    KTEST_EXPECT_EQ(t, strcmp(current->comm, "renamed"), 0);
    char buf[32];
    KTEST_ASSERT_TRUE(t, read_proc("self/comm", buf, sizeof(buf)) > 0);
    KTEST_EXPECT_EQ(t, strcmp(buf, "renamed\n"), 0);
    write_file("proc", "self/comm", saved);
    KTEST_EXPECT_EQ(t, strcmp(current->comm, saved), 0);
}

void sysfs_cpu_masks(ktest* t) {
    char buf[128], expect[128];
    KTEST_ASSERT_TRUE(t, read_file("sysfs", "devices/system/cpu/online", buf, sizeof(buf)) > 0);
    size_t len = cpumap_print(expect, sizeof(expect) - 1, true, cpu_online_mask);
    expect[len++] = '\n';
    expect[len] = '\0';
    KTEST_EXPECT_EQ(t, strcmp(buf, expect), 0);
    KTEST_ASSERT_TRUE(t, read_file("sysfs", "devices/system/cpu/kernel_max", buf, sizeof(buf)) > 0);
    KTEST_EXPECT_EQ(t, num(buf), (unsigned long long)(NR_CPUS - 1));
    KTEST_EXPECT_EQ(t, write_file("sysfs", "devices/system/cpu/online", "0"), ssize_t(-EACCES));
    KTEST_EXPECT_EQ(t, read_file("sysfs", "devices/system/cpu/cpu0/nothing", buf, sizeof(buf)), ssize_t(-ENOENT));
}

const ktest_case procfs_cases[] = {
    KTEST_CASE(self_stat_matches_task),
    KTEST_CASE(self_status_matches_task),
    KTEST_CASE(other_task_and_missing_pid),
    KTEST_CASE(meminfo_matches_allocator),
    KTEST_CASE(uptime_between_clock_reads),
    KTEST_CASE(interrupts_counts_rise),
    KTEST_CASE(stat_counters),
    KTEST_CASE(seq_file_pieces_and_seek),
    KTEST_CASE(sysctl_reads_and_validates),
    KTEST_CASE(comm_is_writable),
    KTEST_CASE(sysfs_cpu_masks),
    {},
};

}  // namespace

KTEST_SUITE(procfs, procfs_cases);
