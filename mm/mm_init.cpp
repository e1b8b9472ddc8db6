// Bringing the page allocator up: zone sizes from the memblock map, the struct
// page array, the hand-over of free memory from memblock, and the numbers
// derived from memory size (watermarks, per-CPU list sizes).
#include <mm/internal.h>
#include <mm/memblock.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <lib/string.h>

namespace {
const char* const zone_names[MAX_NR_ZONES] = {"DMA", "DMA32", "Normal"};

unsigned long clamp_pfn(unsigned long pfn, unsigned long lo, unsigned long hi) {
    return pfn < lo ? lo : pfn > hi ? hi : pfn;
}

// Pages of memblock memory within [start, end).
unsigned long present_pages_in(unsigned long start, unsigned long end) {
    unsigned long n = 0;
    for_each_mem_region(r) {
        unsigned long s = clamp_pfn(PFN_UP(r->base), start, end);
        unsigned long e = clamp_pfn(PFN_DOWN(r->base + r->size), start, end);
        n += e - s;
    }
    return n;
}

void print_range(const char* prefix, unsigned long start_pfn, unsigned long end_pfn) {
    pr_info("%s[mem 0x%016llx-0x%016llx]\n", prefix, (unsigned long long)PFN_PHYS(start_pfn),
            (unsigned long long)PFN_PHYS(end_pfn) - 1);
}

void zone_init(zone* z, unsigned idx, unsigned long start, unsigned long end) {
    z->name = zone_names[idx];
    z->zone_start_pfn = start;
    z->spanned_pages = end - start;
    z->present_pages = present_pages_in(start, end);
    z->managed_pages = 0;
    for (unsigned w = 0; w < NR_WMARK; w++) z->_watermark[w] = 0;
    for (unsigned j = 0; j < MAX_NR_ZONES; j++) z->lowmem_reserve[j] = 0;
    z->free_pages.store(0, memory_order::relaxed);
    z->pgalloc.store(0, memory_order::relaxed);
    z->pgfree.store(0, memory_order::relaxed);
    for (free_area& a : z->free_area) {
        INIT_LIST_HEAD(&a.free_list);
        a.nr_free = 0;
    }
    for (per_cpu_pages& pcp : z->pcp) {
        INIT_LIST_HEAD(&pcp.list);
        pcp.count = 0;
        pcp.batch = 1;
        pcp.high = 0;
    }
}

// Frees [start, end) in the largest naturally aligned blocks that stay inside
// one zone, so the buddy starts with as few, as large, blocks as possible.
void free_pfn_range(unsigned long start, unsigned long end) {
    while (start < end) {
        unsigned order = start ? unsigned(__builtin_ctzl(start)) : MAX_ORDER - 1;
        if (order > MAX_ORDER - 1) order = MAX_ORDER - 1;
        while (start + (1ul << order) > end ||
               page_zonenum(pfn_to_page(start)) !=
                   page_zonenum(pfn_to_page(start + (1ul << order) - 1)))
            order--;
        __free_pages_core(pfn_to_page(start), order);
        start += 1ul << order;
    }
}

unsigned long int_sqrt(unsigned long x) {
    unsigned long r = 0;
    for (unsigned long bit = 1ul << 62; bit; bit >>= 2) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
    }
    return r;
}

void setup_per_zone_lowmem_reserve() {
    zone* zones = contig_page_data.node_zones;
    for (unsigned i = 0; i < MAX_NR_ZONES; i++) {
        int ratio = sysctl_lowmem_reserve_ratio[i];
        bool clear = ratio <= 0 || !zones[i].managed_pages;
        unsigned long upper = 0;
        zones[i].lowmem_reserve[i] = 0;
        for (unsigned j = i + 1; j < MAX_NR_ZONES; j++) {
            upper += zones[j].managed_pages;
            zones[i].lowmem_reserve[j] = clear ? 0 : long(upper / unsigned(ratio));
        }
    }
}
}  // namespace

unsigned long max_pfn;

void free_area_init(const unsigned long max_zone_pfn[MAX_NR_ZONES]) {
    unsigned long start_pfn = PFN_UP(memblock_start_of_DRAM());
    // RAM above the last zone's limit (the architecture's reach) gets no struct page.
    unsigned long end_pfn = PFN_DOWN(memblock_end_of_DRAM());
    if (end_pfn > max_zone_pfn[MAX_NR_ZONES - 1]) end_pfn = max_zone_pfn[MAX_NR_ZONES - 1];
    max_pfn = end_pfn;

    pr_info("Zone ranges:\n");
    unsigned long lo = start_pfn;
    for (unsigned i = 0; i < MAX_NR_ZONES; i++) {
        unsigned long hi = max_zone_pfn[i] > lo ? max_zone_pfn[i] : lo;
        unsigned long zs = clamp_pfn(lo, start_pfn, end_pfn), ze = clamp_pfn(hi, start_pfn, end_pfn);
        zone_init(&contig_page_data.node_zones[i], i, zs, ze);
        if (lo == hi)
            pr_info("  %-8s empty\n", zone_names[i]);
        else
            pr_info("  %-8s [mem 0x%016llx-0x%016llx]\n", zone_names[i],
                    (unsigned long long)PFN_PHYS(lo), (unsigned long long)PFN_PHYS(hi) - 1);
        lo = hi;
    }
    pr_info("Movable zone start for each node\n");
    pr_info("Early memory node ranges\n");
    for_each_mem_region(r) print_range("  node   0: ", PFN_UP(r->base), PFN_DOWN(r->base + r->size));
    print_range("Initmem setup node 0 ", start_pfn, end_pfn);

    pglist_data* pgdat = NODE_DATA(0);
    pgdat->node_start_pfn = start_pfn;
    pgdat->node_spanned_pages = end_pfn - start_pfn;
    pgdat->node_present_pages = present_pages_in(start_pfn, end_pfn);

    // Every pfn below max_pfn gets a struct page, holes included, so that
    // pfn_to_page() is plain arithmetic; all start reserved with one reference.
    size_t bytes = max_pfn * sizeof(page);
    void* map = memblock_alloc(bytes, PAGE_SIZE);
    if (!map) panic("free_area_init: cannot allocate %zu bytes of struct page", bytes);
    vmemmap_base = reinterpret_cast<unsigned long>(map);
    for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
        page* p = pfn_to_page(pfn);
        unsigned z = MAX_NR_ZONES - 1;
        while (z > 0 && pfn < contig_page_data.node_zones[z].zone_start_pfn) z--;
        p->flags = 1ul << PG_reserved;
        set_page_zone(p, z);
        INIT_LIST_HEAD(&p->lru);
        set_page_count(p, 1);
    }
    set_page_alloc_ready(false);
}

void memblock_free_all() {
    phys_addr_t s, e;
    for_each_free_mem_range(i, &s, &e) {
        unsigned long start = PFN_UP(s), end = PFN_DOWN(e);
        if (end > max_pfn) end = max_pfn;
        if (start < end) free_pfn_range(start, end);
    }
    memblock_mark_handed_over();
    init_per_zone_wmark_min();
    zone_pcp_update_all();
    set_page_alloc_ready(true);
}

void init_per_zone_wmark_min() {
    unsigned long lowmem_kbytes = totalram_pages() * (PAGE_SIZE >> 10);
    unsigned long kb = int_sqrt(lowmem_kbytes * 16);
    min_free_kbytes = int(kb < 128 ? 128 : kb > 262144 ? 262144 : kb);
    setup_per_zone_wmarks();
}

// Each zone's share of min_free_kbytes is its min watermark; low and high sit
// 0.1% of the zone (or a quarter of min) above it, as with Linux's defaults.
void setup_per_zone_wmarks() {
    unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
    unsigned long total = totalram_pages();
    for_each_zone(z) {
        unsigned long min = total ? pages_min * z->managed_pages / total : 0;
        unsigned long step = z->managed_pages * 10 / 10000;
        if (step < min / 4) step = min / 4;
        z->_watermark[WMARK_MIN] = min;
        z->_watermark[WMARK_LOW] = min + step;
        z->_watermark[WMARK_HIGH] = min + 2 * step;
    }
    setup_per_zone_lowmem_reserve();
}

// batch: about a quarter of a thousandth of the zone, at most 64 pages, a
// 2^n - 1 number so successive batches spread over cache colours; high = 6 batches.
void zone_pcp_update_all() {
    for_each_zone(z) {
        unsigned long batch = z->managed_pages / 1024;
        if (batch > 256) batch = 256;
        batch /= 4;
        batch += batch / 2;
        unsigned long pow2 = 1;
        while (pow2 * 2 <= batch) pow2 *= 2;
        int b = pow2 > 1 ? int(pow2 - 1) : 1;
        for (per_cpu_pages& pcp : z->pcp) {
            pcp.batch = b;
            pcp.high = 6 * b;
        }
    }
}

void mem_init_print_info(unsigned long text, unsigned long rwdata, unsigned long rodata,
                         unsigned long init, unsigned long bss) {
    unsigned long physpages = NODE_DATA(0)->node_present_pages;
    pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, "
            "%luK bss, %luK reserved)\n",
            nr_free_pages() << (PAGE_SHIFT - 10), physpages << (PAGE_SHIFT - 10), text >> 10,
            rwdata >> 10, rodata >> 10, init >> 10, bss >> 10,
            (physpages - totalram_pages()) << (PAGE_SHIFT - 10));
}
