// sendfile: file to file and file to pipe, with and without an offset
// pointer (the pointer moves, the file offset does not), counts past the end
// (short), at the end (0), and the errnos: EBADF (bad fds, wrong access
// modes), EINVAL (negative offset), ESPIPE (an offset on a pipe input).
#include "tfs.h"
#include <sys/sendfile.h>

int main(void) {
    t_watchdog(10);
    t_scratch("sendfile");
    static char data[20000];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('a' + i % 26);
    int in = open("in", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(in, data, sizeof data);
    int out;
    T_RET(out = open("out", O_RDWR | O_CREAT | O_TRUNC, 0644));
    T_RET(lseek(in, 0, SEEK_SET));
    T_RET(sendfile(out, in, NULL, 5000));  // uses and moves in's offset
    T_RET(lseek(in, 0, SEEK_CUR));
    T_RET(lseek(out, 0, SEEK_CUR));
    off_t off = 10000;
    T_RET(sendfile(out, in, &off, 3000));  // from 10000; in's offset stays
    printf("off now %lld\n", (long long)off);
    T_RET(lseek(in, 0, SEEK_CUR));
    static char back[20000];
    T_RET(pread(out, back, sizeof back, 0));
    printf("first part matches: %s\n", memcmp(back, data, 5000) == 0 ? "yes" : "no");
    printf("second part matches: %s\n", memcmp(back + 5000, data + 10000, 3000) == 0 ? "yes" : "no");
    off = 19000;
    T_RET(sendfile(out, in, &off, 5000));  // short: 1000
    printf("off now %lld\n", (long long)off);
    T_RET(sendfile(out, in, &off, 5000));  // at the end: 0
    T_RET(sendfile(out, in, NULL, 0));     // 0 bytes

    // To a pipe.
    int p[2];
    pipe(p);
    off = 26;
    T_RET(sendfile(p[1], in, &off, 26));
    char buf[64] = {0};
    T_RET(read(p[0], buf, sizeof buf));
    printf("pipe got: %s\n", buf);
    // Big transfer into a pipe with a reader in another process.
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        long total = 0;
        ssize_t n;
        int ok = 1;
        char b[4096];
        while ((n = read(p[0], b, sizeof b)) > 0) {
            for (ssize_t i = 0; i < n; i++) ok &= b[i] == data[(total + i) % sizeof data];
            total += n;
        }
        printf("reader got %ld bytes, in order: %s\n", total, ok ? "yes" : "no");
        fflush(stdout);
        _exit(0);
    }
    close(p[0]);
    long sent = 0;
    off = 0;
    while (sent < 20000) {
        ssize_t n = sendfile(p[1], in, &off, 20000 - sent);
        if (n <= 0) break;
        sent += n;
    }
    close(p[1]);
    waitpid(c, NULL, 0);
    printf("sent %ld\n", sent);

    // Errors.
    int ro = open("in", O_RDONLY);
    int wo = open("out", O_WRONLY);
    T_RET(sendfile(ro, in, NULL, 1));  // EBADF: out not writable
    T_RET(sendfile(out, wo, NULL, 1)); // EBADF: in not readable
    T_RET(sendfile(99, in, NULL, 1));  // EBADF
    T_RET(sendfile(out, 99, NULL, 1)); // EBADF
    off = -1;
    T_RET(sendfile(out, in, &off, 1)); // EINVAL
    pipe(p);
    write(p[1], "pp", 2);
    off = 0;
    T_RET(sendfile(out, p[0], &off, 1));  // ESPIPE: an offset on a pipe
    int ap = open("app", O_WRONLY | O_CREAT | O_APPEND, 0644);
    T_RET(sendfile(ap, in, NULL, 1));  // EINVAL: O_APPEND output
    t_exit(0);
}
