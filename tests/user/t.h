// Helpers shared by the user-space differential test programs (tests/user/*.c).
//
// Every program prints deterministic facts — return values, errno names,
// yes/no answers to equality checks — never addresses, times or random values,
// so its output on Linux and on Keel can be compared line for line. Programs
// finish with t_exit(): when a program runs directly as init (rdinit=/t/NAME)
// it is PID 1 and must power the machine off itself instead of exiting (Linux
// panics when init exits).
#pragma once
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

static inline const char* t_errname(int e) {
    switch (e) {
#define E(x) case x: return #x;
        E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
        E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(ENODEV)
        E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(EFBIG) E(ENOSPC)
        E(ESPIPE) E(EROFS) E(EPIPE) E(ERANGE) E(ENAMETOOLONG) E(ENOSYS) E(ETIMEDOUT)
        E(EOVERFLOW) E(EOPNOTSUPP) E(ERESTART) E(ELOOP) E(ENOTEMPTY) E(EXDEV) E(ETXTBSY)
        E(EMLINK) E(ENOTBLK) E(ENODATA) E(ESTALE) E(ENOTSOCK) E(EDEADLK)
#undef E
    default: {
        static char buf[16];
        snprintf(buf, sizeof buf, "errno%d", e);
        return buf;
    }
    }
}

// T_RET(expr): print "expr = value", or "expr = -1 ENAME" on failure. Only for
// calls whose success value is deterministic (0, a count, a known id).
#define T_RET(expr)                                                              \
    do {                                                                         \
        errno = 0;                                                               \
        long t_r_ = (long)(expr);                                                \
        if (t_r_ == -1 && errno)                                                 \
            printf("%s = -1 %s\n", #expr, t_errname(errno));                     \
        else                                                                     \
            printf("%s = %ld\n", #expr, t_r_);                                   \
    } while (0)

// T_OK(expr): like T_RET but prints "ok" instead of a success value that may
// differ between kernels or runs (a pointer, a PID).
#define T_OK(expr)                                                               \
    do {                                                                         \
        errno = 0;                                                               \
        long t_r_ = (long)(expr);                                                \
        if (t_r_ == -1 && errno)                                                 \
            printf("%s = -1 %s\n", #expr, t_errname(errno));                     \
        else                                                                     \
            printf("%s = ok\n", #expr);                                          \
    } while (0)

// T_YES(cond): print "cond: yes" or "cond: no".
#define T_YES(cond) printf("%s: %s\n", #cond, (cond) ? "yes" : "no")

// Raw system calls return -errno; print the name or the value.
static inline void t_raw(const char* what, long r) {
    if (r < 0 && r > -4096)
        printf("%s = -%s\n", what, t_errname((int)-r));
    else
        printf("%s = %ld\n", what, r);
}

// The end of every program. As PID 1 (rdinit=/t/NAME) it says how it ended
// and powers off; under the runner it just exits.
static inline void __attribute__((noreturn)) t_exit(int code) {
    if (getpid() == 1) {
        printf("t_exit %d\n", code);
        fflush(stdout);
        fflush(stderr);
        sync();
        reboot(RB_POWER_OFF);
    }
    fflush(stdout);
    fflush(stderr);
    exit(code);
}
