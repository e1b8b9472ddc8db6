// Pipes: pipe2 flags, data order, EOF when the writers are gone, EPIPE and
// SIGPIPE when the readers are gone, O_NONBLOCK (EAGAIN both ways), the
// capacity (F_GETPIPE_SZ, 65536 bytes fill it), PIPE_BUF atomicity with two
// writers, partial reads, FIONREAD, ESPIPE for lseek/pread, a pipe as a
// child's stdout, and a blocked reader woken by a writer.
#include "tfs.h"
#include <sys/ioctl.h>
#include <sys/uio.h>

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int s) { got_sigpipe = s; }

int main(void) {
    t_watchdog(10);
    int p[2], q[2];
    char buf[8192];

    T_RET(pipe2(p, 0));
    T_RET(fcntl(p[0], F_GETFL) & O_ACCMODE);
    T_RET(fcntl(p[1], F_GETFL) & O_ACCMODE);
    T_RET(fcntl(p[0], F_GETFD));
    struct stat st;
    T_RET(fstat(p[0], &st));
    printf("fifo type: %s size %lld\n", S_ISFIFO(st.st_mode) ? "yes" : "no", (long long)st.st_size);
    T_RET(write(p[1], "hello", 5));
    T_RET(write(p[1], " world", 6));
    int avail = -1;
    T_RET(ioctl(p[0], FIONREAD, &avail));
    printf("FIONREAD: %d\n", avail);
    memset(buf, 0, sizeof buf);
    T_RET(read(p[0], buf, 3));        // a partial read
    T_RET(read(p[0], buf + 3, sizeof buf - 3));  // the rest, not waiting for more
    printf("data: %s\n", buf);
    T_RET(write(p[0], "x", 1));       // EBADF: the read end
    T_RET(read(p[1], buf, 1));        // EBADF: the write end
    T_RET(lseek(p[0], 0, SEEK_SET));  // ESPIPE
    T_RET(pread(p[0], buf, 1, 0));    // ESPIPE
    T_RET(pwrite(p[1], buf, 1, 0));   // ESPIPE
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    T_RET(writev(p[1], iov, 2));
    T_RET(read(p[0], buf, sizeof buf));
    T_RET(close(p[1]));
    T_RET(read(p[0], buf, sizeof buf));  // EOF: 0
    T_RET(close(p[0]));

    // pipe2 flags.
    T_RET(pipe2(p, O_CLOEXEC | O_NONBLOCK));
    T_RET(fcntl(p[0], F_GETFD));
    T_RET(fcntl(p[1], F_GETFL) & O_NONBLOCK ? 1 : 0);
    T_RET(read(p[0], buf, 1));        // EAGAIN: empty, writer open
    T_RET(pipe2(q, O_APPEND));        // EINVAL
    T_RET(pipe2(q, 0x1));             // EINVAL
    // Capacity.
    T_RET(fcntl(p[1], F_GETPIPE_SZ));
    long total = 0;
    for (;;) {
        ssize_t n = write(p[1], buf, 4096);  // page-sized, so no kernel packs them differently
        if (n < 0) {
            printf("full after %ld bytes: %s\n", total, t_errname(errno));
            break;
        }
        total += n;
    }
    T_RET(write(p[1], buf, 1));       // EAGAIN
    avail = -1;
    T_RET(ioctl(p[0], FIONREAD, &avail));
    printf("FIONREAD full: %d\n", avail);
    T_RET(read(p[0], buf, 4096));
    T_RET(write(p[1], buf, 4096));    // room for a page again
    // A PIPE_BUF-sized write into less room than that: all or nothing.
    T_RET(read(p[0], buf, 100));
    T_RET(write(p[1], buf, 4096));    // EAGAIN: 100 free, atomic write must not split
    T_RET(close(p[0]));
    T_RET(close(p[1]));

    // EPIPE and SIGPIPE.
    T_RET(pipe(p));
    T_RET(close(p[0]));
    signal(SIGPIPE, on_sigpipe);
    T_RET(write(p[1], "x", 1));       // EPIPE
    printf("SIGPIPE caught: %s\n", got_sigpipe == SIGPIPE ? "yes" : "no");
    signal(SIGPIPE, SIG_IGN);
    got_sigpipe = 0;
    T_RET(write(p[1], "x", 1));       // EPIPE, no signal
    printf("ignored: %s\n", got_sigpipe == 0 ? "yes" : "no");
    close(p[1]);
    signal(SIGPIPE, SIG_DFL);
    fflush(stdout);
    T_RET(pipe(p));
    close(p[0]);                      // before the fork: no reader anywhere when the child writes
    pid_t c = fork();
    if (c == 0) {
        write(p[1], "x", 1);          // killed here
        _exit(0);
    }
    close(p[1]);
    int status;
    waitpid(c, &status, 0);
    printf("writer killed by SIGPIPE: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE ? "yes" : "no");

    // A blocked reader is woken by the writer; a blocked writer by the reader.
    T_RET(pipe(p));
    fflush(stdout);
    c = fork();
    if (c == 0) {
        usleep(100000);
        write(p[1], "late", 4);
        _exit(0);
    }
    memset(buf, 0, 16);
    T_RET(read(p[0], buf, sizeof buf));
    printf("woken with: %s\n", buf);
    waitpid(c, NULL, 0);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        static char big[200000];
        memset(big, 'b', sizeof big);
        ssize_t n = write(p[1], big, sizeof big);  // blocks until drained
        printf("child wrote %zd\n", n);
        fflush(stdout);
        _exit(0);
    }
    close(p[1]);
    total = 0;
    int all_b = 1;
    for (;;) {
        ssize_t n = read(p[0], buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; i++) all_b &= buf[i] == 'b';
        total += n;
    }
    waitpid(c, NULL, 0);
    printf("read %ld bytes, all b: %s\n", total, all_b ? "yes" : "no");
    close(p[0]);

    // PIPE_BUF atomicity: two writers of 4096-byte records, each record one
    // byte value; the reader must never see a record split.
    T_RET(pipe(p));
    fflush(stdout);
    pid_t w[2];
    for (int k = 0; k < 2; k++) {
        w[k] = fork();
        if (w[k] == 0) {
            close(p[0]);
            char rec[4096];
            memset(rec, 'A' + k, sizeof rec);
            for (int i = 0; i < 64; i++)
                if (write(p[1], rec, sizeof rec) != sizeof rec) _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    static char all[2 * 64 * 4096];
    total = 0;
    for (;;) {
        ssize_t n = read(p[0], all + total, sizeof all - total);
        if (n <= 0) break;
        total += n;
    }
    int split = 0, counts[2] = {0, 0};
    for (long off = 0; off + 4096 <= total; off += 4096) {
        char v = all[off];
        for (int i = 1; i < 4096; i++)
            if (all[off + i] != v) split = 1;
        if (v == 'A' || v == 'B') counts[v - 'A']++;
    }
    for (int k = 0; k < 2; k++) {
        waitpid(w[k], &status, 0);
        printf("writer %d exit %d\n", k, WEXITSTATUS(status));
    }
    printf("atomic: read %ld bytes, records A %d B %d, split: %s\n", total, counts[0], counts[1], split ? "yes" : "no");
    close(p[0]);

    // A pipe as a child's stdout.
    T_RET(pipe(p));
    fflush(stdout);
    c = fork();
    if (c == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        printf("from the child through stdout\n");
        fflush(stdout);
        _exit(0);
    }
    close(p[1]);
    memset(buf, 0, 64);
    ssize_t n = read(p[0], buf, 63);
    waitpid(c, NULL, 0);
    printf("parent got %zd: %s", n, buf);
    close(p[0]);
    T_RET(pipe((int*)1));             // EFAULT
    t_exit(0);
}
