// struct page: one per physical page frame, in the array at vmemmap_base, so
// pfn <-> page is pointer arithmetic. It is kept at 32 bytes (1/128 of the memory
// it describes): 512 MiB of RAM costs 4 MiB of struct pages.
//
// What the fields mean depends on who owns the page:
//   free in the buddy     PG_buddy, lru on zone->free_area[order], order = block order
//   on a per-CPU list     refcount 0, lru on pcp->list, order = 0
//   allocated             refcount >= 1, order = the order it was allocated with
//   compound head/tail    PG_head / PG_tail; a tail's order field holds its distance
//                         to the head (Linux keeps a pointer; a 32-bit offset fits here)
//   slab                  PG_slab on the head; the slab's metadata sits in the slab
//                         itself (mm/slab.cpp), so nothing else is needed here
//   reserved              PG_reserved, refcount 1: never freed to the buddy
#pragma once
#include <asm/page_types.h>
#include <keel/types.h>
#include <lib/list.h>

enum pageflags : unsigned long {
    PG_reserved,  // firmware, kernel image, memblock allocations, holes
    PG_buddy,     // free block head in the buddy allocator
    PG_slab,      // head page of a slab
    PG_head,      // first page of a compound (__GFP_COMP) allocation
    PG_tail,      // any other page of a compound allocation
};
// The zone a page belongs to lives in the top bits of flags, as in Linux.
constexpr unsigned ZONES_PGSHIFT = 62;

struct page {
    unsigned long flags;
    list_head lru;
    int _refcount;  // accessed only through the __atomic builtins below
    unsigned int order;
};
static_assert(sizeof(page) == 32, "struct page must stay 32 bytes");

// First pfn past the end of RAM. setup_arch() sets it from e820; free_area_init()
// settles it to the end of memblock memory within the zones.
extern unsigned long max_pfn;

static inline page* pfn_to_page(unsigned long pfn) {
    return reinterpret_cast<page*>(vmemmap_base) + pfn;
}
static inline unsigned long page_to_pfn(const page* p) {
    return static_cast<unsigned long>(p - reinterpret_cast<page*>(vmemmap_base));
}
static inline bool pfn_valid(unsigned long pfn) { return pfn < max_pfn; }
static inline phys_addr_t page_to_phys(const page* p) { return PFN_PHYS(page_to_pfn(p)); }
static inline void* page_address(const page* p) { return __va(page_to_phys(p)); }
static inline page* virt_to_page(const void* va) { return pfn_to_page(PFN_DOWN(__pa(va))); }
static inline page* phys_to_page(phys_addr_t pa) { return pfn_to_page(PFN_DOWN(pa)); }

#define PAGEFLAG(name, bit)                                                              \
    static inline bool Page##name(const page* p) { return p->flags & (1ul << bit); }     \
    static inline void __SetPage##name(page* p) { p->flags |= 1ul << bit; }              \
    static inline void __ClearPage##name(page* p) { p->flags &= ~(1ul << bit); }
PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(Head, PG_head)
PAGEFLAG(Tail, PG_tail)
#undef PAGEFLAG

static inline unsigned page_zonenum(const page* p) { return unsigned(p->flags >> ZONES_PGSHIFT); }
static inline void set_page_zone(page* p, unsigned zone) {
    p->flags = (p->flags & ~(3ul << ZONES_PGSHIFT)) | (unsigned long)zone << ZONES_PGSHIFT;
}

static inline page* compound_head(page* p) { return PageTail(p) ? p - p->order : p; }
static inline page* virt_to_head_page(const void* va) { return compound_head(virt_to_page(va)); }
// Order of a compound allocation (0 for anything else).
static inline unsigned compound_order(page* p) { return PageHead(p) ? p->order : 0; }

static inline int page_ref_count(const page* p) {
    return __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED);
}
static inline void set_page_count(page* p, int v) {
    __atomic_store_n(&p->_refcount, v, __ATOMIC_RELAXED);
}
static inline int page_count(page* p) { return page_ref_count(compound_head(p)); }
static inline void get_page(page* p) {
    __atomic_fetch_add(&compound_head(p)->_refcount, 1, __ATOMIC_RELAXED);
}
// Drops a reference; the last one frees the page (its order is remembered).
void put_page(page* p);
