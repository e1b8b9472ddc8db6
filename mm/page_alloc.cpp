// The buddy allocator. A free block of 2^k pages sits on its zone's free_area[k]
// list, its head page marked PG_buddy with order k. Allocation takes the
// smallest block that fits and splits off the unused halves; freeing merges a
// block with its buddy (the block whose pfn differs only in bit k) for as long
// as the buddy is free too. Order-0 traffic goes through per-CPU lists.
#include <mm/internal.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <lib/string.h>

pglist_data contig_page_data;
int min_free_kbytes = 1024;
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {256, 256, 32};

namespace {
bool ready;

void add_to_free_list(page* p, zone* z, unsigned order) {
    p->order = order;
    __SetPageBuddy(p);
    list_add(&p->lru, &z->free_area[order].free_list);
    z->free_area[order].nr_free++;
}

void del_page_from_free_list(page* p, zone* z, unsigned order) {
    list_del_init(&p->lru);
    __ClearPageBuddy(p);
    z->free_area[order].nr_free--;
}

bool page_is_buddy(const page* buddy, unsigned order, unsigned zone_id) {
    return PageBuddy(buddy) && buddy->order == order && page_zonenum(buddy) == zone_id;
}

// Merges the freed block with free buddies and puts the result on its list.
// Caller holds z->lock.
void __free_one_page(page* p, unsigned long pfn, zone* z, unsigned order) {
    unsigned zone_id = zone_idx(z);
    z->free_pages.fetch_add(1l << order, memory_order::relaxed);
    while (order < MAX_ORDER - 1) {
        unsigned long buddy_pfn = pfn ^ (1ul << order);
        if (!pfn_valid(buddy_pfn)) break;
        page* buddy = pfn_to_page(buddy_pfn);
        if (!page_is_buddy(buddy, order, zone_id)) break;
        del_page_from_free_list(buddy, z, order);
        pfn &= buddy_pfn;
        order++;
    }
    add_to_free_list(pfn_to_page(pfn), z, order);
}

// Splits a block of order `high` down to `low`, returning the upper halves.
void expand(zone* z, page* p, unsigned low, unsigned high) {
    while (high > low) {
        high--;
        add_to_free_list(p + (1ul << high), z, high);
    }
}

page* __rmqueue_smallest(zone* z, unsigned order) {
    for (unsigned o = order; o < MAX_ORDER; o++) {
        free_area& area = z->free_area[o];
        if (list_empty(&area.free_list)) continue;
        page* p = list_first_entry(&area.free_list, page, lru);
        del_page_from_free_list(p, z, o);
        expand(z, p, order, o);
        z->free_pages.fetch_sub(1l << order, memory_order::relaxed);
        return p;
    }
    return nullptr;
}

// Moves up to pcp->batch order-0 pages from the buddy to the per-CPU list.
void rmqueue_bulk(zone* z, per_cpu_pages* pcp) {
    Guard<NoIrqSave> g(z->lock);
    for (int i = 0; i < pcp->batch; i++) {
        page* p = __rmqueue_smallest(z, 0);
        if (!p) break;
        list_add_tail(&p->lru, &pcp->list);
        pcp->count++;
    }
}

// Returns `count` pages from the cold end of a per-CPU list to the buddy.
void free_pcppages_bulk(zone* z, int count, per_cpu_pages* pcp) {
    Guard<NoIrqSave> g(z->lock);
    while (count-- > 0 && pcp->count > 0) {
        page* p = list_last_entry(&pcp->list, page, lru);
        list_del_init(&p->lru);
        pcp->count--;
        __free_one_page(p, page_to_pfn(p), z, 0);
    }
}

page* rmqueue(zone* z, unsigned order) {
    page* p;
    if (order == 0) {
        unsigned long flags = arch_local_irq_save();
        per_cpu_pages* pcp = &z->pcp[smp_processor_id()];
        if (list_empty(&pcp->list)) rmqueue_bulk(z, pcp);
        p = list_first_entry_or_null(&pcp->list, page, lru);
        if (p) {
            list_del_init(&p->lru);
            pcp->count--;
        }
        arch_local_irq_restore(flags);
    } else {
        Guard<IrqSave> g(z->lock);
        p = __rmqueue_smallest(z, order);
    }
    if (p) z->pgalloc.fetch_add(1ul << order, memory_order::relaxed);
    return p;
}

void prep_compound_page(page* head, unsigned order) {
    __SetPageHead(head);
    for (unsigned long i = 1; i < (1ul << order); i++) {
        page* tail = head + i;
        tail->order = unsigned(i);
        __SetPageTail(tail);
    }
}

void prep_new_page(page* p, unsigned order, gfp_t gfp) {
    if (page_ref_count(p) != 0 || (p->flags & ((1ul << PG_reserved) | (1ul << PG_slab))))
        bad_page(p, "allocating a page that is in use");
    set_page_count(p, 1);
    p->order = order;
    if (gfp & __GFP_ZERO) memset(page_address(p), 0, PAGE_SIZE << order);
    if ((gfp & __GFP_COMP) && order) prep_compound_page(p, order);
}

unsigned gfp_zone(gfp_t gfp) {
    if (gfp & __GFP_DMA) return ZONE_DMA;
    if (gfp & __GFP_DMA32) return ZONE_DMA32;
    return ZONE_NORMAL;
}

// Tries the allowed zones from the highest down (Normal -> DMA32 -> DMA), so the
// scarce low zones are used only when the higher ones are short.
page* get_page_from_freelist(gfp_t gfp, unsigned order, unsigned alloc_flags,
                             unsigned highest_zoneidx) {
    for (int zi = int(highest_zoneidx); zi >= 0; zi--) {
        zone* z = &contig_page_data.node_zones[zi];
        if (!z->managed_pages) continue;
        unsigned long mark = z->_watermark[alloc_flags & ALLOC_WMARK_MASK];
        if (!zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags)) continue;
        page* p = rmqueue(z, order);
        if (p) {
            prep_new_page(p, order, gfp);
            return p;
        }
    }
    return nullptr;
}

unsigned gfp_to_alloc_flags(gfp_t gfp) {
    unsigned flags = ALLOC_WMARK_MIN;
    if (gfp & __GFP_HIGH) flags |= ALLOC_HIGH;
    if ((gfp & __GFP_ATOMIC) || !(gfp & __GFP_DIRECT_RECLAIM)) flags |= ALLOC_HARDER;
    return flags;
}

void warn_alloc(gfp_t gfp, unsigned order) {
    pr_warn("page allocation failure: order:%u, mode:%#x, free:%lu\n", order, gfp,
            nr_free_pages());
    show_free_areas();
}

// Every check a free must pass; any failure is a bug in the caller.
void free_pages_check(page* p, unsigned order) {
    unsigned long pfn = page_to_pfn(p);
    if (!pfn_valid(pfn)) panic("Bad page state: freeing pfn %#lx beyond end of RAM", pfn);
    if (PageTail(p)) bad_page(p, "freeing a tail page of a compound page");
    if (PageReserved(p)) bad_page(p, "freeing a reserved page");
    if (PageBuddy(p)) bad_page(p, "double free: page is already free");
    if (PageSlab(p)) bad_page(p, "freeing a slab page through the page allocator");
    if (p->order != order) bad_page(p, "freed with a different order than allocated");
    if (pfn & ((1ul << order) - 1)) bad_page(p, "block not aligned to its order");
}

void free_unref_page(page* p, zone* z) {
    unsigned long flags = arch_local_irq_save();
    per_cpu_pages* pcp = &z->pcp[smp_processor_id()];
    list_add(&p->lru, &pcp->list);
    if (++pcp->count >= pcp->high) free_pcppages_bulk(z, pcp->batch, pcp);
    arch_local_irq_restore(flags);
}

void free_the_page(page* p, unsigned order) {
    free_pages_check(p, order);
    if (PageHead(p)) {
        for (unsigned long i = 1; i < (1ul << order); i++) __ClearPageTail(p + i);
        __ClearPageHead(p);
    }
    zone* z = page_zone(p);
    z->pgfree.fetch_add(1ul << order, memory_order::relaxed);
    if (order == 0) {
        free_unref_page(p, z);
        return;
    }
    Guard<IrqSave> g(z->lock);
    __free_one_page(p, page_to_pfn(p), z, order);
}

// Drops a reference and reports whether it was the last; a page with no
// references left is being freed twice.
bool put_page_testzero(page* p) {
    int old = __atomic_fetch_sub(&p->_refcount, 1, __ATOMIC_ACQ_REL);
    if (old <= 0) {
        set_page_count(p, 0);
        bad_page(p, "double free: page refcount is already 0");
    }
    return old == 1;
}
}  // namespace

void bad_page(page* p, const char* reason) {
    panic("Bad page state: pfn:%05lx refcount:%d order:%u flags:%#lx zone:%u: %s",
          page_to_pfn(p), page_ref_count(p), p->order, p->flags & ((1ul << ZONES_PGSHIFT) - 1),
          page_zonenum(p), reason);
}

bool zone_watermark_ok(zone* z, unsigned order, unsigned long mark, unsigned highest_zoneidx,
                       unsigned alloc_flags) {
    long min = long(mark);
    if (alloc_flags & ALLOC_HIGH) min -= min / 2;
    if (alloc_flags & ALLOC_HARDER) min -= min / 4;
    long free = z->free_pages.load(memory_order::relaxed) - ((1l << order) - 1);
    if (free <= min + z->lowmem_reserve[highest_zoneidx]) return false;
    if (order == 0) return true;
    // Enough pages are free, but is one of them part of a large enough block?
    for (unsigned o = order; o < MAX_ORDER; o++)
        if (z->free_area[o].nr_free) return true;
    return false;
}

page* alloc_pages(gfp_t gfp, unsigned order) {
    if (order >= MAX_ORDER) {
        if (!(gfp & __GFP_NOWARN)) pr_warn("alloc_pages: order %u >= MAX_ORDER\n", order);
        return nullptr;
    }
    unsigned highest = gfp_zone(gfp);
    page* p = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, highest);
    if (p) return p;
    // Slow path. There is no reclaim yet, so: allow going down to the min
    // watermark (further for atomic callers), and pull back pages parked on
    // per-CPU lists, which may complete a larger block.
    unsigned flags = gfp_to_alloc_flags(gfp);
    p = get_page_from_freelist(gfp, order, flags, highest);
    if (p) return p;
    drain_all_pages(nullptr);
    p = get_page_from_freelist(gfp, order, flags, highest);
    if (!p && !(gfp & __GFP_NOWARN)) warn_alloc(gfp, order);
    return p;
}

void __free_pages(page* p, unsigned order) {
    if (PageTail(p)) bad_page(p, "freeing a tail page of a compound page");
    if (put_page_testzero(p)) free_the_page(p, order);
}

void put_page(page* p) {
    p = compound_head(p);
    if (put_page_testzero(p)) free_the_page(p, p->order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned order) {
    page* p = alloc_pages(gfp, order);
    return p ? reinterpret_cast<unsigned long>(page_address(p)) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp) { return __get_free_pages(gfp | __GFP_ZERO, 0); }

void free_pages(unsigned long addr, unsigned order) {
    if (addr) __free_pages(virt_to_page(reinterpret_cast<void*>(addr)), order);
}

void __free_pages_core(page* p, unsigned order) {
    unsigned long n = 1ul << order;
    for (unsigned long i = 0; i < n; i++) {
        __ClearPageReserved(p + i);
        set_page_count(p + i, 0);
    }
    zone* z = page_zone(p);
    z->managed_pages += n;
    Guard<IrqSave> g(z->lock);
    __free_one_page(p, page_to_pfn(p), z, order);
}

void drain_all_pages(zone* only) {
    for_each_zone(z) {
        if (only && z != only) continue;
        // Only the boot CPU runs, so its lists and the others' can be drained
        // from here; with SMP this becomes a per-CPU work item.
        for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
            unsigned long flags = arch_local_irq_save();
            if (z->pcp[cpu].count) free_pcppages_bulk(z, z->pcp[cpu].count, &z->pcp[cpu]);
            arch_local_irq_restore(flags);
        }
    }
}

unsigned long nr_free_pages() {
    long sum = 0;
    for_each_zone(z) sum += z->free_pages.load(memory_order::relaxed);
    return sum > 0 ? (unsigned long)sum : 0;
}

unsigned long totalram_pages() {
    unsigned long sum = 0;
    for_each_zone(z) sum += z->managed_pages;
    return sum;
}

bool page_alloc_ready() { return ready; }
void set_page_alloc_ready(bool r) { ready = r; }
