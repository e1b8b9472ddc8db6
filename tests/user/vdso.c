// The vDSO: AT_SYSINFO_EHDR points at an ELF shared object whose symbols are
// looked up here the way musl does (src/internal/vdso.c: PT_LOAD and
// PT_DYNAMIC, then DT_SYMTAB/DT_STRTAB with DT_HASH or DT_GNU_HASH for the
// symbol count, DT_VERSYM/DT_VERDEF for the version), and whose functions agree
// with the system calls: clock_gettime between two syscall readings, coarse
// clocks behind them, gettimeofday and time within a second, getcpu on a CPU
// that exists, an unknown clock's EINVAL from the fallback. Only comparisons
// are printed.
#define _GNU_SOURCE
#include "t.h"
#include <elf.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

static const Elf64_Sym* syms;
static const char* strings;
static const Elf64_Half* versym;
static const Elf64_Verdef* verdef;
static size_t nsyms;
static uintptr_t base;  // load bias: the vDSO's address minus its link address

static int load(const unsigned char* image) {
    const Elf64_Ehdr* eh = (const void*)image;
    const Elf64_Phdr* ph = (const void*)(image + eh->e_phoff);
    const Elf64_Dyn* dyn = NULL;
    base = (uintptr_t)-1;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD) base = (uintptr_t)image + ph[i].p_offset - ph[i].p_vaddr;
        else if (ph[i].p_type == PT_DYNAMIC) dyn = (const void*)(image + ph[i].p_offset);
    }
    if (!dyn || base == (uintptr_t)-1) return 0;
    const Elf32_Word* hash = NULL;
    const Elf32_Word* gnu_hash = NULL;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        const void* p = (const void*)(base + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_STRTAB: strings = p; break;
        case DT_SYMTAB: syms = p; break;
        case DT_HASH: hash = p; break;
        case DT_GNU_HASH: gnu_hash = p; break;
        case DT_VERSYM: versym = p; break;
        case DT_VERDEF: verdef = p; break;
        }
    }
    if (hash) {
        nsyms = hash[1];  // nchain
    } else if (gnu_hash) {  // the highest symbol in any chain, plus one
        Elf32_Word nbuckets = gnu_hash[0], symoffset = gnu_hash[1], bloom = gnu_hash[2];
        const Elf32_Word* buckets = gnu_hash + 4 + bloom * 2;
        const Elf32_Word* chains = buckets + nbuckets - symoffset;
        Elf32_Word last = 0;
        for (Elf32_Word b = 0; b < nbuckets; b++) if (buckets[b] > last) last = buckets[b];
        if (last) while (!(chains[last] & 1)) last++;
        nsyms = last + 1;
    }
    return syms && strings && nsyms;
}

static int version_is(size_t i, const char* name) {
    if (!versym) return 1;  // unversioned: musl accepts it
    const Elf64_Verdef* d = verdef;
    for (;;) {
        if (!(d->vd_flags & VER_FLG_BASE) && (d->vd_ndx & 0x7fff) == (versym[i] & 0x7fff)) {
            const Elf64_Verdaux* aux = (const void*)((const char*)d + d->vd_aux);
            return strcmp(name, strings + aux->vda_name) == 0;
        }
        if (!d->vd_next) return 0;
        d = (const void*)((const char*)d + d->vd_next);
    }
}

static void* lookup(const char* name, const char* version) {
    for (size_t i = 0; i < nsyms; i++) {
        unsigned type = ELF64_ST_TYPE(syms[i].st_info), bind = ELF64_ST_BIND(syms[i].st_info);
        if (type != STT_FUNC || (bind != STB_GLOBAL && bind != STB_WEAK) || !syms[i].st_shndx) continue;
        if (strcmp(name, strings + syms[i].st_name) == 0 && version_is(i, version))
            return (void*)(base + syms[i].st_value);
    }
    return NULL;
}

static long long ns(const struct timespec* t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }
static long long sys_now(clockid_t c) {
    struct timespec t;
    syscall(SYS_clock_gettime, c, &t);
    return ns(&t);
}

typedef int (*clock_gettime_t)(clockid_t, struct timespec*);
static clock_gettime_t vdso_clock_gettime;

// The vDSO's reading lies between two system-call readings, over many tries.
static int between(clockid_t c) {
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        struct timespec t;
        long long before = sys_now(c);
        int r = vdso_clock_gettime(c, &t);
        long long after = sys_now(c);
        ok &= r == 0 && before <= ns(&t) && ns(&t) <= after && t.tv_nsec < 1000000000L;
    }
    return ok;
}

int main(void) {
    const unsigned char* image = (const void*)getauxval(AT_SYSINFO_EHDR);
    T_YES(image != NULL);
    if (!image) t_exit(1);
    T_YES(memcmp(image, ELFMAG, SELFMAG) == 0 && image[EI_CLASS] == ELFCLASS64);
    T_YES(((const Elf64_Ehdr*)image)->e_type == ET_DYN);
    T_YES(load(image));
    T_YES(versym != NULL && verdef != NULL);
    static const char* names[] = {"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                                  "__vdso_getcpu", "clock_gettime", "gettimeofday", "time", "getcpu"};
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        printf("%s@LINUX_2.6 found: %s\n", names[i], lookup(names[i], "LINUX_2.6") ? "yes" : "no");
    printf("__vdso_clock_gettime@LINUX_2.4 found: %s\n", lookup("__vdso_clock_gettime", "LINUX_2.4") ? "yes" : "no");

    vdso_clock_gettime = (clock_gettime_t)lookup("__vdso_clock_gettime", "LINUX_2.6");
    int (*vdso_gettimeofday)(struct timeval*, struct timezone*) = lookup("__vdso_gettimeofday", "LINUX_2.6");
    time_t (*vdso_time)(time_t*) = lookup("__vdso_time", "LINUX_2.6");
    long (*vdso_getcpu)(unsigned*, unsigned*, void*) = lookup("__vdso_getcpu", "LINUX_2.6");
    if (!vdso_clock_gettime || !vdso_gettimeofday || !vdso_time || !vdso_getcpu) t_exit(1);

    printf("MONOTONIC between syscall readings: %s\n", between(CLOCK_MONOTONIC) ? "yes" : "no");
    printf("REALTIME between syscall readings: %s\n", between(CLOCK_REALTIME) ? "yes" : "no");
    printf("BOOTTIME between syscall readings: %s\n", between(CLOCK_BOOTTIME) ? "yes" : "no");

    struct timespec t;
    T_RET(vdso_clock_gettime(CLOCK_MONOTONIC_COARSE, &t));
    long long coarse = ns(&t), now = sys_now(CLOCK_MONOTONIC);
    T_YES(coarse <= now && now - coarse < 1000000000LL);  // the last tick, a few ms back
    T_RET(vdso_clock_gettime(CLOCK_REALTIME_COARSE, &t));
    coarse = ns(&t), now = sys_now(CLOCK_REALTIME);
    T_YES(coarse <= now && now - coarse < 1000000000LL);
    // Clocks the vDSO does not compute go to the kernel, errors included.
    T_RET(vdso_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t));
    printf("vdso clock_gettime(100) = %d\n", vdso_clock_gettime(100, &t));
    // The C library's clock_gettime agrees too (musl calls the vDSO).
    long long a = sys_now(CLOCK_MONOTONIC);
    clock_gettime(CLOCK_MONOTONIC, &t);
    T_YES(a <= ns(&t) && ns(&t) <= sys_now(CLOCK_MONOTONIC));

    struct timeval tv;
    struct timezone tz = {-1, -1};
    T_RET(vdso_gettimeofday(&tv, &tz));
    long long rt = sys_now(CLOCK_REALTIME) / 1000000000LL;
    T_YES(tv.tv_sec <= rt && rt - tv.tv_sec <= 1);
    T_YES(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    T_YES(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
    T_RET(vdso_gettimeofday(NULL, NULL));

    time_t v1, v2 = vdso_time(&v1);
    long sys_t = syscall(SYS_time, NULL);
    T_YES(v1 == v2);
    T_YES(v2 <= sys_t && sys_t - v2 <= 1);
    T_YES(v2 <= tv.tv_sec + 1);

    unsigned cpu = ~0u, node = ~0u;
    T_RET(vdso_getcpu(&cpu, &node, NULL));
    T_YES(cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF));
    T_YES(node == 0);
    T_RET(vdso_getcpu(NULL, NULL, NULL));
    t_exit(0);
}
