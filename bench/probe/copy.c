// Probe (not a metric of make bench): what the copy and clear idioms of the
// two kernels cost under QEMU's TCG, run in user mode on 1 MiB buffers. Keel's
// memcpy/memset/copy_*_user use `rep movsb`/`rep stosb`; Linux 6.1 on QEMU's
// default CPU (REP_GOOD, no ERMS) uses `rep movsq`/`rep stosq` with a byte
// tail. TCG runs a rep-prefixed instruction one element per iteration, so the
// element size matters.
#include "../b.h"
#include <sys/reboot.h>

#define SZ (1 << 20)
static char a[SZ], b[SZ];

static void movsb(long n) {
    for (long i = 0; i < n; i++) {
        void *d = b;
        const void *s = a;
        long c = SZ;
        asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(c)::"memory");
    }
}
static void movsq(long n) {
    for (long i = 0; i < n; i++) {
        void *d = b;
        const void *s = a;
        long c = SZ / 8;
        asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(c)::"memory");
    }
}
static void stosb(long n) {
    for (long i = 0; i < n; i++) {
        void *d = b;
        long c = SZ;
        asm volatile("rep stosb" : "+D"(d), "+c"(c) : "a"(0) : "memory");
    }
}
static void stosq(long n) {
    for (long i = 0; i < n; i++) {
        void *d = b;
        long c = SZ / 8;
        asm volatile("rep stosq" : "+D"(d), "+c"(c) : "a"(0L) : "memory");
    }
}

int main(void) {
    memset(a, 1, SZ);
    memset(b, 2, SZ);
    report("copy_rep_movsb", SZ / per_op(movsb, 0.3) / 1e6, "MB/s");
    report("copy_rep_movsq", SZ / per_op(movsq, 0.3) / 1e6, "MB/s");
    report("clear_rep_stosb", SZ / per_op(stosb, 0.3) / 1e6, "MB/s");
    report("clear_rep_stosq", SZ / per_op(stosq, 0.3) / 1e6, "MB/s");
    if (getpid() == 1) reboot(RB_POWER_OFF);
    return 0;
}
