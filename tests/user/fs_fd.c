// The fd table: dup/dup2/dup3, fcntl F_DUPFD/F_DUPFD_CLOEXEC/F_GETFD/F_SETFD/
// F_GETFL/F_SETFL, lowest-free allocation, shared offsets and status flags
// between duplicates and across fork, close-on-exec through execve, and
// RLIMIT_NOFILE (EMFILE).
#include "tfs.h"
#include <sys/resource.h>

int main(int argc, char** argv) {
    if (argc > 1) {  // re-executed: which fds survived?
        for (int fd = 3; fd < 12; fd++) printf("after exec fd %d: %s\n", fd, fcntl(fd, F_GETFD) >= 0 ? "open" : t_errname(errno));
        fflush(stdout);
        _exit(0);
    }
    t_watchdog(10);
    t_scratch("fs_fd");
    int fd, d;
    char buf[16];
    t_put("f", "0123456789");
    T_RET(fd = open("f", O_RDWR));
    T_RET(d = dup(fd));
    T_RET(read(fd, buf, 4));
    T_RET(lseek(d, 0, SEEK_CUR));     // shared offset: 4
    T_RET(dup(99));                   // EBADF
    T_RET(dup2(fd, 10));
    T_RET(lseek(10, 0, SEEK_CUR));
    T_RET(dup2(fd, fd));              // same fd, open: returns it
    T_RET(dup2(99, 11));              // EBADF
    T_RET(dup2(fd, -1));              // EBADF
    T_RET(dup3(fd, fd, 0));           // EINVAL
    T_RET(dup3(fd, 11, O_CLOEXEC));
    T_RET(fcntl(11, F_GETFD));        // FD_CLOEXEC
    T_SYS("raw dup3 flag 0x4", syscall(SYS_dup3, fd, 12, 0x4));  // EINVAL
    T_SYS("raw dup3 flag O_NONBLOCK", syscall(SYS_dup3, fd, 12, O_NONBLOCK));  // EINVAL
    T_RET(fcntl(10, F_GETFD));        // dup2 clears it: 0
    // dup2 onto an open fd closes it first.
    int other;
    T_RET(other = open(".", O_RDONLY));
    T_RET(dup2(fd, other));
    T_RET(lseek(other, 0, SEEK_CUR)); // the file now, not the directory
    // Lowest free number.
    T_RET(close(d));
    T_RET(dup(fd));                   // reuses d
    T_RET(fcntl(fd, F_DUPFD, 20));
    T_RET(fcntl(fd, F_DUPFD, 20));    // 20 is taken: 21
    T_RET(fcntl(fd, F_DUPFD_CLOEXEC, 30));
    T_RET(fcntl(30, F_GETFD));
    T_RET(fcntl(fd, F_DUPFD, -1));    // EINVAL
    T_RET(fcntl(fd, F_DUPFD, 1 << 20));  // EINVAL (beyond RLIMIT_NOFILE)
    // F_SETFD / F_GETFD.
    T_RET(fcntl(20, F_SETFD, FD_CLOEXEC));
    T_RET(fcntl(20, F_GETFD));
    T_RET(fcntl(20, F_SETFD, 0));
    T_RET(fcntl(20, F_GETFD));
    T_RET(fcntl(99, F_GETFD));        // EBADF
    // F_GETFL / F_SETFL: the access mode stays, O_APPEND and O_NONBLOCK change,
    // and the flags are shared by duplicates.
    T_RET(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    T_RET(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY));
    T_RET(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    T_RET(fcntl(20, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));  // shared
    T_RET(write(20, "AB", 2));        // appended
    T_RET(fcntl(fd, F_SETFL, 0));
    T_RET(fcntl(20, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    int ro;
    T_RET(ro = open("f", O_RDONLY | O_CLOEXEC));
    T_RET(fcntl(ro, F_GETFD));
    T_RET(fcntl(ro, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    T_RET(fcntl(fd, 12345));          // EINVAL
    t_cat("f", "f");

    // fork shares the open file: the child's read moves the parent's offset.
    T_RET(lseek(fd, 0, SEEK_SET));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        read(fd, buf, 3);
        close(fd);                    // closing in the child does not close the parent's
        _exit(0);
    }
    waitpid(c, NULL, 0);
    T_RET(lseek(fd, 0, SEEK_CUR));
    T_RET(fcntl(fd, F_GETFD));

    // close-on-exec through execve: fds 3-11 with cloexec on some.
    for (int i = 3; i < 12; i++) close(i);
    for (int i = 3; i < 12; i++) {
        int n = open("f", O_RDONLY | (i % 2 ? O_CLOEXEC : 0));
        if (n != i) printf("open gave %d, wanted %d\n", n, i);
    }
    T_RET(fcntl(4, F_SETFD, FD_CLOEXEC));  // even and now cloexec
    T_RET(fcntl(5, F_SETFD, 0));           // odd and now kept
    fflush(stdout);
    c = fork();
    if (c == 0) {
        char* av[] = {argv[0], "child", NULL};
        char* ev[] = {NULL};
        execve(argv[0], av, ev);
        printf("execve: %s\n", t_errname(errno));
        _exit(1);
    }
    waitpid(c, NULL, 0);

    // RLIMIT_NOFILE.
    struct rlimit rl = {16, 16};
    T_RET(setrlimit(RLIMIT_NOFILE, &rl));
    int last = -1, n = 0;
    for (;;) {
        int x = dup(0);
        if (x < 0) {
            printf("dup failed after %d more: %s\n", n, t_errname(errno));
            break;
        }
        last = x;
        n++;
    }
    printf("highest fd: %d\n", last);
    T_RET(open("f", O_RDONLY));       // EMFILE
    T_RET(dup2(0, 16));               // EBADF: beyond the limit
    T_RET(fcntl(0, F_DUPFD, 16));     // EINVAL
    T_RET(close(15));
    T_RET(open("f", O_RDONLY));       // 15
    t_exit(0);
}
