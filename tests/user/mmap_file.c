// File mappings and the memory devices: mmap of a tmpfs file shared (stores
// reach read(2), write(2) shows in the mapping) and private (copy on write,
// also across fork), the open mode's limits (EACCES, and mprotect after),
// ENODEV for files without mmap, EOPNOTSUPP for MAP_SHARED_VALIDATE flags,
// zeros after the end of the file in its last page and SIGBUS beyond it (also
// after the file shrank under the mapping);
// /dev/null, /dev/zero (reads, private and shared mappings), /dev/full,
// /dev/urandom, and /dev/kmsg records and syslog(2) in Linux's formats.
#include "tfs.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#define PG 4096

static sigjmp_buf jump;
static volatile int last_sig, last_code;

static void on_fault(int sig, siginfo_t* si, void* ctx) {
    (void)ctx;
    last_sig = sig;
    last_code = si->si_code;
    siglongjmp(jump, 1);
}

// Reads *p, reporting the byte or the signal it raised.
static void probe(const char* what, volatile const char* p) {
    last_sig = 0;
    if (sigsetjmp(jump, 1) == 0) {
        char c = *p;
        printf("%s: byte 0x%02x\n", what, (unsigned char)c);
    } else {
        printf("%s: signal %s code %d\n", what, last_sig == SIGBUS ? "SIGBUS" : last_sig == SIGSEGV ? "SIGSEGV" : "other",
               last_code);
    }
}

static const char* map_result(void* p) { return p == MAP_FAILED ? t_errname(errno) : "ok"; }

static void file_mappings(void) {
    char data[5000];
    for (int i = 0; i < 5000; i++) data[i] = 'a' + i % 26;
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    T_RET(write(fd, data, sizeof data));

    // Shared: one set of pages for the mapping and the file.
    char* s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared map: %s\n", map_result(s));
    if (s == MAP_FAILED) return;
    printf("mapping shows the file: %.5s\n", s);
    memcpy(s + 10, "STORE", 5);
    char buf[16] = {0};
    T_RET(pread(fd, buf, 5, 10));
    printf("read sees the store: %s\n", buf);
    T_RET(pwrite(fd, "WRITE", 5, 4096));
    printf("mapping sees the write: %.5s\n", s + 4096);
    T_RET(msync(s, 3 * PG, MS_SYNC));
    T_RET(msync(s, 3 * PG, MS_ASYNC | MS_INVALIDATE));
    // The end of the file: zeros to the end of its page, SIGBUS after.
    probe("last byte of the file", s + 4999);
    probe("past the end, same page", s + 5000);
    probe("the page after the end", s + 2 * PG);
    T_RET(munmap(s, 3 * PG));

    // Private: the file until written, then the mapping's own copy.
    char* p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private map: %s\n", map_result(p));
    if (p != MAP_FAILED) {
        T_RET(pwrite(fd, "AGAIN", 5, 0));
        printf("private sees the file before writing: %.5s\n", p);
        memcpy(p, "MINE!", 5);
        memset(buf, 0, sizeof buf);
        T_RET(pread(fd, buf, 5, 0));
        printf("the file keeps: %s, the mapping has: %.5s\n", buf, p);
        fflush(stdout);
        pid_t c = fork();
        if (c == 0) {
            memcpy(p + PG, "CHILD", 5);
            _exit(memcmp(p, "MINE!", 5) != 0);
        }
        int st;
        waitpid(c, &st, 0);
        printf("child saw the parent's copy: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "no");
        printf("parent's page after the child wrote: %.5s\n", p + PG);
        memset(buf, 0, sizeof buf);
        T_RET(pread(fd, buf, 5, PG));
        printf("file after the child wrote: %s\n", buf);
        T_RET(munmap(p, 2 * PG));
    }
    // Flags.
    T_OK(mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x80000, fd, 0));  // MAP_SYNC: EOPNOTSUPP
    T_OK(mmap(NULL, PG, PROT_READ, 0x0f, fd, 0));                           // no such type: EINVAL
    T_OK(syscall(SYS_mmap, NULL, PG, PROT_READ, MAP_SHARED, fd, 1UL << 63));  // offset too big: EOVERFLOW
    char* far = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 16 * PG);         // past the end: allowed
    printf("mapping past the end: %s\n", map_result(far));
    if (far != MAP_FAILED) probe("its page", far);
    close(fd);

    // The open mode bounds the mapping.
    int ro = open("f", O_RDONLY);
    T_OK(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));  // EACCES
    char* r = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
    printf("read-only shared map: %s\n", map_result(r));
    if (r != MAP_FAILED) T_RET(mprotect(r, PG, PROT_READ | PROT_WRITE));  // EACCES
    char* rp = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    printf("writable private map of a read-only fd: %s\n", map_result(rp));
    close(ro);
    int wo = open("f", O_WRONLY);
    T_OK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0));  // EACCES
    T_OK(mmap(NULL, PG, PROT_WRITE, MAP_SHARED, wo, 0));  // EACCES
    close(wo);
    T_OK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 1000, 0));  // EBADF
    // Files without mmap.
    int d = open(".", O_RDONLY | O_DIRECTORY);
    T_OK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, d, 0));  // ENODEV
    close(d);
    // A noexec mount: no executable mapping, now or later.
    mkdir("nx", 0755);
    if (mount("nx", "nx", "tmpfs", MS_NOEXEC, NULL) == 0) {
        t_put("nx/f", "code");
        int x = open("nx/f", O_RDONLY);
        T_OK(mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, x, 0));  // EPERM
        char* xr = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, x, 0);
        printf("readable map on noexec: %s\n", map_result(xr));
        if (xr != MAP_FAILED) T_RET(mprotect(xr, PG, PROT_READ | PROT_EXEC));  // EACCES
        close(x);
    }
    // Shrinking a mapped file: the pages past the new end fault again, SIGBUS.
    int m = memfd_create("shrink", 0);
    T_RET(ftruncate(m, 3 * PG));
    char* ms = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
    char* mp = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, m, 0);
    if (ms != MAP_FAILED && mp != MAP_FAILED) {
        ms[2 * PG] = 's';
        mp[2 * PG] = 'p';
        ms[10] = 'x';
        T_RET(ftruncate(m, 5));
        probe("shared, past the new end", ms + 2 * PG);
        probe("private copy, past the new end", mp + 2 * PG);
        probe("shared, the kept page past the end", ms + 10);
        T_RET(ftruncate(m, 3 * PG));
        probe("shared, grown again", ms + 2 * PG);
        ms[PG] = 'f';  // a page that arrives by a fault alone
        struct stat st;
        T_RET(fstat(m, &st));
        printf("blocks after faults: %lld\n", (long long)st.st_blocks);
    }
    close(m);
    int pfd[2];
    T_RET(pipe(pfd));
    T_OK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0));  // ENODEV
    T_OK(mmap(NULL, PG, PROT_READ, MAP_SHARED, pfd[1], 0));   // EACCES: write end
    close(pfd[0]);
    close(pfd[1]);
}

static int open_dev(const char* name, unsigned minor, int flags) {
    mknod(name, S_IFCHR | 0666, makedev(1, minor));
    return open(name, flags);
}

static void mem_devices(void) {
    char buf[64];
    int null = open_dev("null", 3, O_RDWR);
    T_RET(read(null, buf, sizeof buf));
    T_RET(write(null, "gone", 4));
    T_RET(lseek(null, 100, SEEK_SET));
    T_OK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, null, 0));  // ENODEV
    close(null);

    int zero = open_dev("zero", 5, O_RDWR);
    memset(buf, 'x', sizeof buf);
    T_RET(read(zero, buf, sizeof buf));
    T_YES(buf[0] == 0 && buf[63] == 0);
    T_RET(write(zero, "gone", 4));
    char* zp = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    printf("private /dev/zero map: %s\n", map_result(zp));
    if (zp != MAP_FAILED) {
        T_YES(zp[0] == 0 && zp[PG + 5] == 0);
        zp[1] = 'p';
        T_YES(zp[1] == 'p');
    }
    char* zs = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    printf("shared /dev/zero map: %s\n", map_result(zs));
    if (zs != MAP_FAILED) {
        fflush(stdout);
        pid_t c = fork();
        if (c == 0) {
            strcpy(zs, "shared");
            _exit(0);
        }
        waitpid(c, NULL, 0);
        printf("parent sees the child's store: %s\n", zs);
    }
    close(zero);

    int full = open_dev("full", 7, O_RDWR);
    T_RET(write(full, "x", 1));  // ENOSPC
    T_RET(read(full, buf, 8));
    T_RET(lseek(full, 5, SEEK_CUR));
    close(full);

    int ur = open_dev("urandom", 9, O_RDONLY);
    T_RET(read(ur, buf, 16));
    T_RET(read(ur, buf, 0));
    close(ur);
    int rnd = open_dev("random", 8, O_RDWR);
    T_RET(write(rnd, "entropy?", 8));
    T_RET(read(rnd, buf, 33));
    close(rnd);
}

static void kmsg(void) {
    char buf[2048];
    int k = open_dev("kmsg", 11, O_RDWR | O_NONBLOCK);
    T_RET(lseek(k, 0, SEEK_END));
    T_RET(read(k, buf, sizeof buf));  // EAGAIN
    T_RET(lseek(k, 1, SEEK_SET));     // ESPIPE
    T_RET(lseek(k, 0, SEEK_CUR));     // EINVAL
    T_RET(write(k, "<5>mmap_file: hello\\world\n", 26));
    T_RET(write(k, "mmap_file: plain", 16));
    T_RET(write(k, "<30>mmap_file: daemon", 21));
    for (int i = 0; i < 3; i++) {
        ssize_t n = read(k, buf, sizeof buf);
        if (n <= 0) {
            printf("read: -1 %s\n", t_errname(errno));
            continue;
        }
        buf[n] = 0;
        char* body = strchr(buf, ';');
        printf("record: prio %d, %s", atoi(buf), body ? body : "(no ;)\n");
    }
    T_RET(write(k, "mmap_file: small", 16));
    T_RET(read(k, buf, 8));   // EINVAL: the record does not fit, and is skipped
    T_RET(read(k, buf, sizeof buf));  // EAGAIN
    char big[1200];
    memset(big, 'b', sizeof big);
    T_RET(write(k, big, sizeof big));  // EINVAL: longer than a record
    close(k);

    // syslog(2), as busybox dmesg uses it.
    int size = klogctl(10, NULL, 0);
    T_YES(size >= 4096);
    char* all = malloc(size + 1);
    int n = klogctl(3, all, size);
    T_YES(n > 0);
    if (n > 0) {
        all[n] = 0;
        T_YES(strstr(all, "<13>[") != NULL);
        T_YES(strstr(all, "] mmap_file: hello\\world\n") != NULL);
        T_YES(strstr(all, "<30>[") != NULL);
        T_YES(all[n - 1] == '\n');
    }
    T_RET(klogctl(3, NULL, 10));  // EINVAL
    T_RET(klogctl(3, all, -1));   // EINVAL
    T_RET(klogctl(8, NULL, 0));   // EINVAL: console level 0
    T_RET(klogctl(42, NULL, 0));  // EINVAL
    T_RET(klogctl(0, NULL, 0));
    free(all);
}

int main(void) {
    t_watchdog(20);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    t_scratch("mmap_file");
    file_mappings();
    mem_devices();
    kmsg();
    t_exit(0);
}
