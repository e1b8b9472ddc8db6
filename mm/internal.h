// Declarations shared by the files of mm/ and nobody else (Linux's mm/internal.h).
#pragma once
#include <mm/page_alloc.h>

// alloc_flags: which watermark an allocation must leave free, and how far
// below it a caller that cannot wait may go.
enum : unsigned {
    ALLOC_WMARK_MIN = WMARK_MIN,
    ALLOC_WMARK_LOW = WMARK_LOW,
    ALLOC_WMARK_HIGH = WMARK_HIGH,
    ALLOC_WMARK_MASK = 3,
    ALLOC_HARDER = 0x10,  // atomic context: a quarter below min
    ALLOC_HIGH = 0x20,    // __GFP_HIGH: half below min
};

// Hands a block of pages that memblock owned to the buddy allocator.
void __free_pages_core(page* p, unsigned order);
// Sizes each zone's per-CPU lists from its managed pages.
void zone_pcp_update_all();
void set_page_alloc_ready(bool ready);
// Panics with the page's state: a bad free is a kernel bug, never silent corruption.
[[noreturn]] void bad_page(page* p, const char* reason);

// ---- slab (mm/slab.cpp, used by mm/slab_common.cpp) ----
#include <mm/slab.h>
// Fills in a cache's geometry; false when no slab of up to 8 pages fits one object.
bool kmem_cache_setup(kmem_cache* s, const char* name, unsigned size, unsigned align,
                      slab_flags_t flags, void (*ctor)(void*));
// The cache owning a slab object, or nullptr when obj is not in a slab page.
kmem_cache* virt_to_cache(const void* obj);
