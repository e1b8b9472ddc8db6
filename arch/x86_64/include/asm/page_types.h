// Virtual memory layout (Linux's Documentation/x86/x86_64/mm.rst, 4-level paging)
// and the physical<->virtual conversions of the direct map.
#pragma once

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)
#define PMD_SHIFT 21
#define PMD_SIZE (1ul << PMD_SHIFT)
#define PUD_SHIFT 30
#define PUD_SIZE (1ul << PUD_SHIFT)

#define __START_KERNEL_map 0xffffffff80000000
#define LOAD_PHYSICAL_ADDR 0x100000
#define __PAGE_OFFSET_BASE 0xffff888000000000
#define VMALLOC_START 0xffffc90000000000
#define VMALLOC_END 0xffffe8ffffffffff
#define VMEMMAP_START 0xffffea0000000000

#ifndef __ASSEMBLY__
#include <keel/types.h>

// Like Linux (with KASLR), the bases of the direct map and of the struct page
// array are variables: host unit tests point them at memory of their own.
extern unsigned long page_offset_base;
extern unsigned long vmemmap_base;

static inline void* __va(phys_addr_t pa) { return reinterpret_cast<void*>(pa + page_offset_base); }
static inline phys_addr_t __pa(const void* va) {
    auto v = reinterpret_cast<unsigned long>(va);
    // Kernel image symbols live in the __START_KERNEL_map window, the rest in the direct map.
    if (v >= __START_KERNEL_map) return v - __START_KERNEL_map;
    return v - page_offset_base;
}
static inline unsigned long PFN_DOWN(phys_addr_t pa) { return pa >> PAGE_SHIFT; }
static inline unsigned long PFN_UP(phys_addr_t pa) { return (pa + PAGE_SIZE - 1) >> PAGE_SHIFT; }
static inline phys_addr_t PFN_PHYS(unsigned long pfn) { return phys_addr_t(pfn) << PAGE_SHIFT; }
#endif
