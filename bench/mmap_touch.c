// mmap + touch + munmap of 16 MiB of anonymous memory: 4096 page faults that
// each allocate and zero a 4 KiB page, then the unmapping that frees them.
// Debian's kernel has transparent huge pages "always", which would make it
// 8 faults of 2 MiB: MADV_NOHUGEPAGE asks both kernels for 4 KiB pages, and
// the minor-fault count from getrusage shows what happened. The figure is
// pages touched per second, whole cycle included.
#include "b.h"
#include <sys/mman.h>
#include <sys/resource.h>

#define SIZE (16L << 20)
#define PAGES (SIZE / 4096)

static void op(long n) {
    for (long i = 0; i < n; i++) {
        char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) die("mmap");
        madvise(p, SIZE, MADV_NOHUGEPAGE);  // errors ignored: a kernel without THP has nothing to turn off
        for (long off = 0; off < SIZE; off += 4096) p[off] = 1;
        if (munmap(p, SIZE)) die("munmap");
    }
}

int main(void) {
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    op(1);
    getrusage(RUSAGE_SELF, &r1);
    info("minor faults for one 16 MiB cycle: %ld (4 KiB pages: %ld)", r1.ru_minflt - r0.ru_minflt, PAGES);
    double s = per_op(op, 0.4);
    report("mmap_touch_munmap", (double)PAGES / s, "faults/s");
    return 0;
}
