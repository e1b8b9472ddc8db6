// Probe (not a metric of make bench): the parts of a vDSO clock_gettime under
// QEMU's TCG, in user mode: `lfence; rdtsc` alone, then with the 128-bit
// multiply-and-shift Keel's vDSO uses to turn cycles into nanoseconds
// (include/vdso/gettimeofday.h), then with the 64-bit multiply and shift of
// Linux 6.1's vdso_calc_delta.
#include "../b.h"
#include <sys/reboot.h>

static volatile unsigned long sink;
static inline unsigned long rdtsc_ordered(void) {
    unsigned lo, hi;
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((unsigned long)hi << 32) | lo;
}
static void bare(long n) {
    for (long i = 0; i < n; i++) sink = rdtsc_ordered();
}
static void wide(long n) {  // (delta * mult + base) >> shift in 128 bits
    unsigned mult = 6451000, shift = 24;
    for (long i = 0; i < n; i++) {
        unsigned __int128 x = (unsigned __int128)(rdtsc_ordered() - 12345) * mult + sink;
        sink = (unsigned long)(x >> shift);
    }
}
static void narrow(long n) {  // (base + delta * mult) >> shift in 64 bits
    unsigned mult = 6451000, shift = 24;
    for (long i = 0; i < n; i++) sink = (sink + ((rdtsc_ordered() - 12345) & 0xffffffffff) * mult) >> shift;
}

int main(void) {
    report("lfence_rdtsc", per_op(bare, 0.3) * 1e9, "ns");
    report("rdtsc_mul128_shift", per_op(wide, 0.3) * 1e9, "ns");
    report("rdtsc_mul64_shift", per_op(narrow, 0.3) * 1e9, "ns");
    if (getpid() == 1) reboot(RB_POWER_OFF);
    return 0;
}
