// Memory management: brk, mmap, munmap, mprotect, mremap and madvise — what
// succeeds, what the memory then holds, and the errno of each misuse. Faults
// are caught by a SIGSEGV handler that reports si_code (MAPERR: nothing
// mapped, ACCERR: mapped without that permission) and jumps back.
#define _GNU_SOURCE
#include "t.h"
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PG 4096UL
static sigjmp_buf jb;
static volatile int last_code;

static void on_segv(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    last_code = si->si_code;
    siglongjmp(jb, 1);
}

// Touch one byte (read or write) and say whether it faulted and how.
static void probe(const char* what, volatile char* p, int write) {
    if (sigsetjmp(jb, 1) == 0) {
        if (write)
            *p = 1;
        else
            (void)*p;
        printf("%s: ok\n", what);
    } else {
        printf("%s: SIGSEGV %s\n", what,
               last_code == SEGV_MAPERR ? "SEGV_MAPERR" : last_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
    }
}

static int all_bytes(const char* p, size_t n, char v) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != v) return 0;
    return 1;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    // brk: the raw call returns the new break, or the old one when refused.
    // (musl's brk()/sbrk(n) wrappers refuse to move the break, so use syscall.)
    uintptr_t b0 = syscall(SYS_brk, 0);
    T_YES(b0 % PG == 0);  // the initial break is page-aligned
    T_YES(syscall(SYS_brk, b0 + 10 * PG) == (long)(b0 + 10 * PG));
    T_YES(all_bytes((char*)b0, 10 * PG, 0));  // new heap is zeroed
    memset((char*)b0, 7, 10 * PG);
    T_YES(syscall(SYS_brk, b0 + PG) == (long)(b0 + PG));  // shrink
    probe("read above shrunk brk", (char*)b0 + 5 * PG, 0);
    T_YES(syscall(SYS_brk, b0 + 10 * PG) == (long)(b0 + 10 * PG));  // grow again: zero
    T_YES(all_bytes((char*)b0 + PG, 9 * PG, 0));
    T_YES(all_bytes((char*)b0, PG, 7));                           // kept below
    T_YES(syscall(SYS_brk, b0 + (1UL << 47)) == (long)(b0 + 10 * PG));  // past user space: unchanged
    T_YES(syscall(SYS_brk, 4096) == (long)(b0 + 10 * PG));              // below start: unchanged
    T_YES(syscall(SYS_brk, b0) == (long)b0);

    // Anonymous private mapping: zero-filled, readable, writable.
    char* p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    T_YES(p != MAP_FAILED);
    T_YES((uintptr_t)p % PG == 0);
    T_YES(all_bytes(p, 4 * PG, 0));
    memset(p, 0x5a, 4 * PG);
    T_YES(all_bytes(p, 4 * PG, 0x5a));

    // mmap misuse.
    T_OK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));              // EINVAL
    T_OK(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0));                           // neither private nor shared: EINVAL
    T_OK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0));                             // file mapping, bad fd: EBADF
    T_OK(mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));  // unaligned: EINVAL
    T_OK(mmap(NULL, 1UL << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));      // too big: ENOMEM
    // (musl's mmap refuses an unaligned offset itself; ask the kernel.)
    T_OK(syscall(SYS_mmap, NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1));  // unaligned offset: EINVAL
    T_OK(mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));  // taken: EEXIST
    T_YES(p[0] == 0x5a);  // and left alone

    // MAP_FIXED replaces what was there with fresh zero pages.
    char* q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    T_YES(q == p + PG);
    T_YES(all_bytes(q, PG, 0));
    T_YES(p[0] == 0x5a && p[2 * PG] == 0x5a);

    // A hint that is free is honoured; MAP_FIXED_NOREPLACE on a free range works.
    char* hint = p + 64 * PG;
    char* r = mmap(hint, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    T_YES(r == hint);
    T_RET(munmap(hint, PG));

    // mprotect: read-only pages fault on write (ACCERR), PROT_NONE on read too.
    T_RET(mprotect(p, PG, PROT_READ));
    probe("write to PROT_READ page", p, 1);
    probe("read PROT_READ page", p, 0);
    T_RET(mprotect(p, PG, PROT_NONE));
    probe("read PROT_NONE page", p, 0);
    T_RET(mprotect(p, PG, PROT_READ | PROT_WRITE));
    probe("write after restoring PROT_WRITE", p, 1);
    T_RET(syscall(SYS_mprotect, p + 1, PG, PROT_READ));  // unaligned: EINVAL (musl's mprotect would round)
    T_RET(mprotect(p, PG, 0x100));                    // unknown bit: EINVAL
    T_RET(mprotect(p + 64 * PG, PG, PROT_READ));      // unmapped: ENOMEM

    // munmap: the middle page goes, its neighbours stay.
    T_RET(munmap(p + PG, PG));
    probe("read unmapped middle page", p + PG, 0);
    probe("read page after the hole", p + 2 * PG, 0);
    T_RET(munmap(p + 1, PG));        // unaligned: EINVAL
    T_RET(munmap(p, 0));             // empty: EINVAL
    T_RET(munmap(p + 64 * PG, PG));  // nothing mapped there: fine
    T_RET(munmap(p + PG, PG));       // already gone: fine

    // mremap: grow with MREMAP_MAYMOVE keeps the contents; without it, growth
    // into a neighbour fails; shrinking always works.
    char* m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(m, 0x33, 2 * PG);
    T_RET(mprotect(m + PG, PG, PROT_READ));  // second page now a separate area
    T_OK(mremap(m, PG, 2 * PG, 0));          // ENOMEM
    T_OK(mremap(m, PG, 2 * PG, 42));         // bad flags: EINVAL
    T_OK(mremap(m + 1, PG, 2 * PG, MREMAP_MAYMOVE));  // unaligned: EINVAL
    T_OK(mremap(m, PG, 0, MREMAP_MAYMOVE));  // zero new size: EINVAL
    char* m2 = mremap(m, PG, 8 * PG, MREMAP_MAYMOVE);
    T_YES(m2 != MAP_FAILED);
    T_YES(all_bytes(m2, PG, 0x33));
    T_YES(all_bytes(m2 + PG, 7 * PG, 0));
    probe("old address of moved page", m, 0);
    char* m3 = mremap(m2, 8 * PG, 2 * PG, 0);
    T_YES(m3 == m2);
    probe("page cut off by shrinking mremap", m2 + 4 * PG, 0);

    // madvise: MADV_DONTNEED on private anonymous memory drops the contents.
    memset(m3, 0x44, 2 * PG);
    T_RET(madvise(m3, PG, MADV_DONTNEED));
    T_YES(all_bytes(m3, PG, 0));
    T_YES(all_bytes(m3 + PG, PG, 0x44));
    T_RET(madvise(m3, 2 * PG, MADV_NORMAL));
    T_RET(madvise(m3, 2 * PG, MADV_WILLNEED));
    T_RET(madvise(m3 + 1, PG, MADV_NORMAL));    // unaligned: EINVAL
    T_RET(madvise(m3, PG, 12345));              // unknown advice: EINVAL
    T_RET(madvise(m3 + 64 * PG, PG, MADV_NORMAL));  // unmapped: ENOMEM

    // A large mapping is demand-paged: touch one byte every page.
    size_t big = 64UL << 20;
    char* g = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    T_YES(g != MAP_FAILED);
    long sum = 0;
    for (size_t i = 0; i < big; i += PG) g[i] = 1;
    for (size_t i = 0; i < big; i += PG) sum += g[i];
    printf("pages touched %ld\n", sum);
    T_RET(munmap(g, big));
    // malloc of a big block uses mmap in musl; small blocks use brk or mmap.
    char* h = malloc(1 << 20);
    T_YES(h != NULL);
    memset(h, 1, 1 << 20);
    free(h);
    t_exit(0);
}
