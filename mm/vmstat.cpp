// Reports of the page allocator's state in the formats of /proc/buddyinfo and
// /proc/zoneinfo (Linux's mm/vmstat.c), written to a buffer so procfs can serve
// them later; show_free_areas() logs the same for allocation failures.
#include <mm/page_alloc.h>
#include <keel/printk.h>
#include <keel/vmstat.h>
#include <lib/vsprintf.h>

Atomic<long> vm_node_stat[NR_VM_NODE_STAT_ITEMS];

size_t buddyinfo_show(char* buf, size_t size) {
    size_t len = 0;
    for_each_zone(z) {
        if (!populated_zone(z)) continue;
        Guard<IrqSave> g(z->lock);
        len += scnprintf(buf + len, size - len, "Node 0, zone %8s ", z->name);
        for (const free_area& a : z->free_area)
            len += scnprintf(buf + len, size - len, "%6lu ", a.nr_free);
        len += scnprintf(buf + len, size - len, "\n");
    }
    return len;
}

size_t zoneinfo_show(char* buf, size_t size) {
    size_t len = 0;
    for_each_zone(z) {
        len += scnprintf(buf + len, size - len,
                         "Node 0, zone %8s\n  pages free     %ld\n        min      %lu\n"
                         "        low      %lu\n        high     %lu\n        spanned  %lu\n"
                         "        present  %lu\n        managed  %lu\n        protection: (",
                         z->name, z->free_pages.load(memory_order::relaxed), min_wmark_pages(z), low_wmark_pages(z),
                         high_wmark_pages(z), z->spanned_pages, z->present_pages, z->managed_pages);
        for (unsigned j = 0; j < MAX_NR_ZONES; j++)
            len += scnprintf(buf + len, size - len, "%s%ld", j ? ", " : "", z->lowmem_reserve[j]);
        len += scnprintf(buf + len, size - len,
                         ")\n      nr_free_pages %ld\n      pgalloc %lu\n      pgfree  %lu\n"
                         "  pagesets\n    cpu: %u\n              count: %d\n"
                         "              high:  %d\n              batch: %d\n  start_pfn:           %lu\n",
                         z->free_pages.load(memory_order::relaxed), z->pgalloc.load(memory_order::relaxed), z->pgfree.load(memory_order::relaxed),
                         smp_processor_id(), z->pcp[smp_processor_id()].count,
                         z->pcp[smp_processor_id()].high, z->pcp[smp_processor_id()].batch,
                         z->zone_start_pfn);
    }
    return len;
}

void show_free_areas() {
    for_each_zone(z) {
        if (!populated_zone(z)) continue;
        char line[256];
        size_t len = scnprintf(line, sizeof(line), "%s free:%ldkB min:%lukB: ", z->name,
                               z->free_pages.load(memory_order::relaxed) << (PAGE_SHIFT - 10),
                               min_wmark_pages(z) << (PAGE_SHIFT - 10));
        for (unsigned o = 0; o < MAX_ORDER; o++)
            len += scnprintf(line + len, sizeof(line) - len, "%lu*%lukB ",
                             z->free_area[o].nr_free, (PAGE_SIZE >> 10) << o);
        pr_info("%s\n", line);
    }
}
