// /proc/buddyinfo, /proc/zoneinfo and /proc/vmstat (Linux's mm/vmstat.c).
// The first two are formatted by mm/vmstat.cpp; vmstat lists the event and
// state counters Keel keeps, under Linux's names and in Linux's order (the
// many counters of reclaim, swap, NUMA and THP have no Keel counterpart and
// are left out: docs/procfs.md).
#include "internal.h"
#include <keel/init.h>
#include <lib/vsprintf.h>
#include <mm/page_alloc.h>

namespace {

int buddyinfo_proc_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return buddyinfo_show(buf, size); });
    return 0;
}

int zoneinfo_proc_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return zoneinfo_show(buf, size); });
    return 0;
}

int vmstat_show(seq_file* m, void*) {
    long free = 0;
    unsigned long pgfree = 0;
    for_each_zone(z) free += z->free_pages.load(memory_order::relaxed);
    seq_printf(m, "nr_free_pages %ld\n", free);
    for_each_zone(z) {
        // Linux's zone names in lower case: pgalloc_dma, pgalloc_dma32, pgalloc_normal.
        char name[16];
        size_t i = 0;
        for (; z->name[i] && i + 1 < sizeof(name); i++)
            name[i] = z->name[i] >= 'A' && z->name[i] <= 'Z' ? char(z->name[i] - 'A' + 'a') : z->name[i];
        name[i] = '\0';
        seq_printf(m, "pgalloc_%s %lu\n", name, z->pgalloc.load(memory_order::relaxed));
        pgfree += z->pgfree.load(memory_order::relaxed);
    }
    seq_printf(m, "pgfree %lu\n", pgfree);
    return 0;
}

int proc_vmstat_init() {
    proc_create_single("buddyinfo", 0, nullptr, buddyinfo_proc_show);
    proc_create_single("zoneinfo", 0, nullptr, zoneinfo_proc_show);
    proc_create_single("vmstat", 0, nullptr, vmstat_show);
    return 0;
}
fs_initcall(proc_vmstat_init);

}  // namespace
