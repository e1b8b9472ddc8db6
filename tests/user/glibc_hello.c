// A static glibc program (gcc -static): glibc's startup uses more of the ABI
// than musl's (arch_prctl for TLS, set_tid_address, set_robust_list, rseq,
// prlimit64, getrandom, brk-based malloc, IRELATIVE relocations resolved via
// CPUID), so merely reaching main and printing is a test. Then a few calls.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    printf("hello from glibc, argc %d argv[0] %s\n", argc, argv[0]);
    struct utsname u;
    printf("uname %d sysname %s machine %s\n", uname(&u), u.sysname, u.machine);
    printf("pid is 1: %s, ppid is 0 or 1: %s\n", getpid() == 1 ? "yes" : "no",
           getppid() <= 1 ? "yes" : "no");
    char* big = malloc(1 << 20);  // mmap
    char* small = malloc(100);    // brk
    memset(big, 1, 1 << 20);
    strcpy(small, "malloc works");
    printf("%s, big block %s\n", small, big[(1 << 20) - 1] == 1 ? "ok" : "bad");
    free(big);
    free(small);
    errno = 0;
    long r = syscall(1000);
    printf("syscall(1000) = %ld %s\n", r, strerror(errno));
    void* volatile bad = (void*)1;
    r = write(1, bad, 5);
    printf("write bad pointer = %ld %s\n", r, strerror(errno));
    // fork + waitpid through glibc's wrappers (not as init, where only the
    // program's own system calls are tested, without fork).
    if (getpid() != 1) {
        fflush(stdout);
        pid_t c = fork();
        if (c == 0) _exit(12);
        int st = 0;
        pid_t w = waitpid(c, &st, 0);
        printf("fork+waitpid: %s, exit %d\n", w == c ? "yes" : "no", WEXITSTATUS(st));
    }
    if (getpid() == 1) {
        printf("t_exit 0\n");
        fflush(stdout);
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
