// The buddy page allocator: its setup calls, tuning knobs and reports. The
// allocation API itself is in mm/gfp.h, the data structures in mm/mmzone.h.
#pragma once
#include <mm/mmzone.h>
#include <keel/types.h>
#include <mm/gfp.h>
#include <stddef.h>

static inline zone* page_zone(const page* p) {
    return &contig_page_data.node_zones[page_zonenum(p)];
}

// ---- setup, in boot order (mm/mm_init.cpp, mm/mem_init.cpp) ----
// Sizes the zones (max_zone_pfn[i] = first pfn above zone i), allocates and
// initialises struct pages for pfns 0 .. end of RAM from memblock, prints the
// zone ranges.
void free_area_init(const unsigned long max_zone_pfn[MAX_NR_ZONES]);
// Gives every free memblock range to the buddy allocator; the rest stays
// PageReserved. Computes watermarks and per-CPU list sizes.
void memblock_free_all();
// Kernel only: memblock_free_all() plus the "Memory: ...K/...K available" line.
void mem_init();
// The "Memory:" line, given the kernel image's section sizes in bytes.
void mem_init_print_info(unsigned long text, unsigned long rwdata, unsigned long rodata,
                         unsigned long init, unsigned long bss);

// ---- policy (mm/page_alloc.cpp) ----
extern int min_free_kbytes;  // reserve kept free for atomic allocations
// Divisor of the pages of higher zones a lower zone keeps back (0: none).
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
// Derives min_free_kbytes from the memory size (sqrt(lowmem_kbytes * 16)).
void init_per_zone_wmark_min();
// Recomputes watermarks and lowmem reserves from min_free_kbytes.
void setup_per_zone_wmarks();
bool zone_watermark_ok(zone* z, unsigned order, unsigned long mark, unsigned highest_zoneidx,
                       unsigned alloc_flags);
unsigned long totalram_pages();
// Returns every per-CPU list's pages to the buddy (all zones when z is nullptr).
void drain_all_pages(zone* z);

// ---- reports (mm/vmstat.cpp); each writes at most size bytes, returns the length ----
size_t buddyinfo_show(char* buf, size_t size);  // /proc/buddyinfo
size_t zoneinfo_show(char* buf, size_t size);   // a summary of /proc/zoneinfo
// Logs free pages per zone and order, like Linux's show_free_areas() on OOM.
void show_free_areas();
