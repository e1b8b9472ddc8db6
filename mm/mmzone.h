// Zones and their free areas, as in Linux's include/linux/mmzone.h. Physical
// memory is split by what devices can address: ZONE_DMA (< 16 MiB, ISA DMA),
// ZONE_DMA32 (< 4 GiB, 32-bit devices) and ZONE_NORMAL (the rest). Each zone runs
// its own buddy allocator: free_area[k] lists free blocks of 2^k pages.
#pragma once
#include <keel/atomic.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <lib/list.h>

enum zone_type : unsigned { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, MAX_NR_ZONES };
// Orders 0 .. MAX_ORDER-1 (the meaning Linux gave MAX_ORDER up to 6.3): 4 MiB blocks at most.
enum : unsigned { MAX_ORDER = 11 };
enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
    list_head free_list;
    unsigned long nr_free;  // blocks, not pages
};

// Order-0 pages cached per CPU in front of the buddy: most allocations and
// frees touch only this list, and the zone lock is taken once per `batch` pages.
struct per_cpu_pages {
    int count;  // pages on the list
    int high;   // above this, `batch` pages go back to the buddy
    int batch;  // pages moved per refill/drain
    list_head list;
};

struct zone {
    unsigned long _watermark[NR_WMARK];
    // Pages kept back from allocations that could have used a higher zone.
    long lowmem_reserve[MAX_NR_ZONES];
    unsigned long zone_start_pfn;
    unsigned long spanned_pages;  // pfns from start to end, holes included
    unsigned long present_pages;  // pages of RAM in the span
    unsigned long managed_pages;  // pages the buddy allocator was given
    const char* name;
    spinlock_t lock;
    Atomic<long> free_pages;  // NR_FREE_PAGES: in free_area, not on pcp lists
    Atomic<unsigned long> pgalloc;  // pages allocated / freed (vmstat counters)
    Atomic<unsigned long> pgfree;
    ::free_area free_area[MAX_ORDER];
    per_cpu_pages pcp[NR_CPUS];
};

// One memory node: Keel is UMA (CONFIG_NUMA=n), so there is exactly one.
struct pglist_data {
    zone node_zones[MAX_NR_ZONES];
    unsigned long node_start_pfn;
    unsigned long node_present_pages;
    unsigned long node_spanned_pages;
};
extern pglist_data contig_page_data;
#define NODE_DATA(nid) (&contig_page_data)

#define for_each_zone(z) \
    for (zone* z = contig_page_data.node_zones; z < contig_page_data.node_zones + MAX_NR_ZONES; z++)

static inline unsigned zone_idx(const zone* z) {
    return unsigned(z - contig_page_data.node_zones);
}
static inline bool populated_zone(const zone* z) { return z->present_pages != 0; }
static inline unsigned long zone_end_pfn(const zone* z) {
    return z->zone_start_pfn + z->spanned_pages;
}
static inline unsigned long wmark_pages(const zone* z, zone_watermarks w) {
    return z->_watermark[w];
}
static inline unsigned long min_wmark_pages(const zone* z) { return z->_watermark[WMARK_MIN]; }
static inline unsigned long low_wmark_pages(const zone* z) { return z->_watermark[WMARK_LOW]; }
static inline unsigned long high_wmark_pages(const zone* z) { return z->_watermark[WMARK_HIGH]; }
