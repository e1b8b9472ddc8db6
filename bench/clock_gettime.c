// clock_gettime(CLOCK_MONOTONIC) through the vDSO (musl finds it through
// AT_SYSINFO_EHDR): no kernel entry at all when the vDSO can read the clock.
// Linux falls back to the system call inside its vDSO when its clocksource
// cannot be read from user space (the init prints the clocksource).
#include "b.h"
#include <sys/auxv.h>

static void op(long n) {
    struct timespec ts;
    for (long i = 0; i < n; i++) clock_gettime(CLOCK_MONOTONIC, &ts);
}

int main(void) {
    info("vdso %s", getauxval(AT_SYSINFO_EHDR) ? "mapped" : "absent");
    report("clock_gettime", per_op(op, 0.3) * 1e9, "ns");
    return 0;
}
