// First user program on Keel (tests/boot/user_hello.sh): prints through stdio
// and raw system calls, checks that bad pointers give EFAULT and an unknown
// system call ENOSYS, and powers the machine off. Built with musl-gcc -static.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char* what) {
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    if (!ok) failures++;
}

int main(int argc, char** argv, char** envp) {
    printf("hello from user space: argc=%d argv[0]=%s\n", argc, argv[0]);
    check(envp[0] != NULL && strcmp(envp[0], "HOME=/") == 0, "envp[0] is HOME=/");
    check(getpid() == 1, "getpid() == 1");
    check(getppid() == 0, "getppid() == 0");

    struct utsname u;
    check(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 && strcmp(u.machine, "x86_64") == 0,
          "uname: Linux x86_64");

    // Raw system calls, so the C library cannot catch the bad pointer first.
    long r = syscall(SYS_write, 1, (void*)8, 5);
    check(r == -1 && errno == EFAULT, "write(1, 8, 5) -> EFAULT");
    r = syscall(SYS_write, 1, (void*)0xffff888000000000ul, 5);
    check(r == -1 && errno == EFAULT, "write(1, kernel address, 5) -> EFAULT");
    r = syscall(SYS_uname, (void*)16);
    check(r == -1 && errno == EFAULT, "uname(16) -> EFAULT");
    r = syscall(1000);
    check(r == -1 && errno == ENOSYS, "syscall 1000 -> ENOSYS");

    static const char raw[] = "raw write\n";
    check(syscall(SYS_write, 1, raw, sizeof(raw) - 1) == (long)sizeof(raw) - 1, "raw write returns its length");

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long slept_ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
    check(slept_ns >= 10 * 1000 * 1000, "nanosleep(10 ms) sleeps at least 10 ms");

    // musl's brk() always fails by design; the system call is what is tested.
    char* heap = (char*)syscall(SYS_brk, 0);
    check(syscall(SYS_brk, heap + 65536) == (long)(heap + 65536) && (heap[65535] = 1) == 1, "brk grows the heap");

    printf("user_hello: %d failures\n", failures);
    fflush(stdout);
    reboot(RB_POWER_OFF);
    return 1;
}
