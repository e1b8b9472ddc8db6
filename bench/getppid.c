// getppid round trip: the cheapest system call, so the figure is the cost of
// entering and leaving the kernel (syscall/sysret and the entry code).
#include "b.h"
#include <sys/syscall.h>

static void op(long n) {
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
}

int main(void) {
    report("getppid", per_op(op, 0.3) * 1e9, "ns");
    return 0;
}
