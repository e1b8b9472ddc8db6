// /proc/meminfo (Linux's fs/proc/meminfo.c): "Name:   N kB" lines in
// Linux's order and layout, for the counters Keel keeps. Keel reclaims
// nothing (no page-cache writeback, no shrinkers), so MemAvailable is the
// free memory above the allocator's reserves, and all slab memory is
// unreclaimable. The lines Keel has no counter for yet (Cached, Shmem,
// PageTables, Vmalloc use, ...) are left out: docs/procfs.md.
#include "internal.h"
#include <asm/page_types.h>
#include <keel/init.h>
#include <mm/gfp.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>

namespace {

void show_val_kb(seq_file* m, const char* name, unsigned long pages) {
    seq_printf(m, "%-16s%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

// Pages the allocator keeps back from ordinary allocations (Linux's
// totalreserve_pages): each zone's high watermark plus its largest lowmem reserve.
unsigned long totalreserve_pages() {
    unsigned long reserve = 0;
    for_each_zone(z) {
        if (!populated_zone(z)) continue;
        long max = 0;
        for (long r : z->lowmem_reserve)
            if (r > max) max = r;
        unsigned long zone_reserve = (unsigned long)max + high_wmark_pages(z);
        reserve += zone_reserve < z->managed_pages ? zone_reserve : z->managed_pages;
    }
    return reserve;
}

unsigned long nr_tasks() {
    unsigned long n = 0;
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) n++;
    return n;
}

int meminfo_proc_show(seq_file* m, void*) {
    unsigned long free = nr_free_pages();
    unsigned long reserve = totalreserve_pages();
    unsigned long slab = slab_total_pages();
    show_val_kb(m, "MemTotal:", totalram_pages());
    show_val_kb(m, "MemFree:", free);
    show_val_kb(m, "MemAvailable:", free > reserve ? free - reserve : 0);
    show_val_kb(m, "Buffers:", 0);  // no block devices
    show_val_kb(m, "SwapTotal:", 0);  // no swap
    show_val_kb(m, "SwapFree:", 0);
    show_val_kb(m, "Slab:", slab);
    show_val_kb(m, "SReclaimable:", 0);
    show_val_kb(m, "SUnreclaim:", slab);
    seq_printf(m, "%-16s%8lu kB\n", "KernelStack:", nr_tasks() * (THREAD_SIZE >> 10));
    seq_printf(m, "%-16s%8lu kB\n", "VmallocTotal:", (VMALLOC_END - VMALLOC_START) >> 10);
    return 0;
}

int proc_meminfo_init() {
    proc_create_single("meminfo", 0, nullptr, meminfo_proc_show);
    return 0;
}
fs_initcall(proc_meminfo_init);

}  // namespace
