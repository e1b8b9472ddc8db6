// FIFOs (named pipes): open blocks until the other end is opened (reader
// waits for a writer and the reverse), O_NONBLOCK opens (reader: at once;
// writer without reader: ENXIO), O_RDWR never blocks, data and EOF between
// two processes, a FIFO reopened after both ends closed starts empty, and
// stat/unlink of the node.
#include "tfs.h"
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    t_watchdog(10);
    t_scratch("fifo");
    int fd, status;
    char buf[64];
    T_RET(mkfifo("f", 0600));
    T_RET(mkfifo("f", 0600));         // EEXIST
    t_mode("f", "f");

    // The reader blocks in open until a writer comes (0.2 s later).
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        usleep(200000);
        int w = open("f", O_WRONLY);
        write(w, "through the fifo", 16);
        close(w);
        _exit(0);
    }
    double t0 = now();
    T_RET(fd = open("f", O_RDONLY));
    double waited = now() - t0;
    printf("reader open waited for the writer: %s\n", waited >= 0.15 ? "yes" : "no");
    memset(buf, 0, sizeof buf);
    ssize_t got = 0, n;
    while ((n = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += n;
    printf("read %zd: %s, then EOF %zd\n", got, buf, n);
    close(fd);
    waitpid(c, &status, 0);

    // The writer blocks in open until a reader comes.
    fflush(stdout);
    c = fork();
    if (c == 0) {
        usleep(200000);
        int r = open("f", O_RDONLY);
        char b[16] = {0};
        ssize_t k = read(r, b, sizeof b - 1);
        close(r);
        _exit(k == 4 && strcmp(b, "ping") == 0 ? 0 : 1);  // the parent prints, in order
    }
    t0 = now();
    T_RET(fd = open("f", O_WRONLY));
    waited = now() - t0;
    printf("writer open waited for the reader: %s\n", waited >= 0.15 ? "yes" : "no");
    T_RET(write(fd, "ping", 4));
    waitpid(c, &status, 0);
    printf("child read ping: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
    // The reader is gone: EPIPE.
    signal(SIGPIPE, SIG_IGN);
    T_RET(write(fd, "x", 1));
    close(fd);

    // Non-blocking opens.
    T_RET(open("f", O_WRONLY | O_NONBLOCK));  // ENXIO: no reader
    int r;
    T_RET(r = open("f", O_RDONLY | O_NONBLOCK));  // at once
    T_RET(read(r, buf, 1));           // no writer has ever been there: 0 (EOF)
    T_RET(fd = open("f", O_WRONLY | O_NONBLOCK));  // a reader exists now
    T_RET(read(r, buf, 1));           // EAGAIN: a writer, no data
    T_RET(write(fd, "abc", 3));
    T_RET(read(r, buf, sizeof buf));
    close(fd);
    T_RET(read(r, buf, 1));           // the writer left: EOF
    close(r);

    // O_RDWR opens at once (Linux) and sees its own data.
    T_RET(fd = open("f", O_RDWR));
    T_RET(write(fd, "self", 4));
    T_RET(read(fd, buf, sizeof buf));
    close(fd);
    // Data left in a FIFO when every end closes is thrown away.
    T_RET(fd = open("f", O_RDWR));
    T_RET(write(fd, "lost", 4));
    close(fd);
    T_RET(fd = open("f", O_RDWR | O_NONBLOCK));
    T_RET(read(fd, buf, sizeof buf)); // EAGAIN
    close(fd);

    // The node itself.
    struct stat st;
    T_RET(stat("f", &st));
    printf("size stays 0: %lld\n", (long long)st.st_size);
    T_RET(truncate("f", 0));          // EINVAL on a FIFO? Linux: EINVAL
    T_RET(lseek(open("f", O_RDWR), 0, SEEK_SET));  // ESPIPE
    T_RET(unlink("f"));
    T_RET(open("f", O_RDONLY | O_NONBLOCK));  // ENOENT
    // mknod with S_IFIFO is the same thing.
    T_RET(mknod("g", S_IFIFO | 0644, 0));
    T_RET(fd = open("g", O_RDWR));
    T_RET(write(fd, "g", 1));
    T_RET(read(fd, buf, 1));
    close(fd);
    t_exit(0);
}
