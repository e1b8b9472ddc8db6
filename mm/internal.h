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
