// GFP ("get free pages") flags and the page allocator's API, as in Linux's
// include/linux/gfp.h. Flag values match Linux's so traces read the same.
#pragma once
#include <mm/page.h>

using gfp_t = unsigned int;

constexpr gfp_t __GFP_DMA = 0x01;
constexpr gfp_t __GFP_DMA32 = 0x04;
constexpr gfp_t __GFP_HIGH = 0x20;            // may dip further below the min watermark
constexpr gfp_t __GFP_IO = 0x40;
constexpr gfp_t __GFP_FS = 0x80;
constexpr gfp_t __GFP_ZERO = 0x100;
constexpr gfp_t __GFP_ATOMIC = 0x200;         // caller cannot sleep or reclaim
constexpr gfp_t __GFP_DIRECT_RECLAIM = 0x400;
constexpr gfp_t __GFP_KSWAPD_RECLAIM = 0x800;
constexpr gfp_t __GFP_NOWARN = 0x2000;
constexpr gfp_t __GFP_COMP = 0x40000;         // set up a compound page (head + tails)
constexpr gfp_t __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;

constexpr gfp_t GFP_ATOMIC = __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM;
constexpr gfp_t GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
constexpr gfp_t GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
constexpr gfp_t GFP_DMA = __GFP_DMA;
constexpr gfp_t GFP_DMA32 = __GFP_DMA32;

// The allocator returns nullptr (or 0) when memory runs out and, unless
// __GFP_NOWARN, logs the failure.
page* alloc_pages(gfp_t gfp, unsigned order);
static inline page* alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }
void __free_pages(page* p, unsigned order);
static inline void __free_page(page* p) { __free_pages(p, 0); }

unsigned long __get_free_pages(gfp_t gfp, unsigned order);
static inline unsigned long __get_free_page(gfp_t gfp) { return __get_free_pages(gfp, 0); }
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned order);
static inline void free_page(unsigned long addr) { free_pages(addr, 0); }

// Free pages in all zones, excluding those parked on per-CPU lists.
unsigned long nr_free_pages();
// True once memblock_free_all() has handed memory to the buddy allocator.
bool page_alloc_ready();
