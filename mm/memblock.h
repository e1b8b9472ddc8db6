// memblock: the boot-time physical memory allocator. setup_arch() describes RAM
// (memblock_add, from e820) and what is already in use (memblock_reserve: the
// kernel image, initrd, boot data); early code then allocates from what is left,
// top-down, until memblock_free_all() hands every free range to the buddy
// allocator. Two sorted arrays of non-overlapping regions hold the whole state,
// so memblock works before any other allocator exists.
#pragma once
#include <keel/types.h>

enum { INIT_MEMBLOCK_REGIONS = 128 };
constexpr phys_addr_t PHYS_ADDR_MAX = ~phys_addr_t(0);
// memblock_phys_alloc()'s default limit: no limit beyond memblock.current_limit.
constexpr phys_addr_t MEMBLOCK_ALLOC_ACCESSIBLE = 0;

struct memblock_region {
    phys_addr_t base;
    phys_addr_t size;
};

struct memblock_type {
    unsigned long cnt;
    unsigned long max;
    phys_addr_t total_size;
    memblock_region* regions;
    const char* name;
};

struct memblock_state {
    phys_addr_t current_limit;  // allocations stay below this (what the boot page tables map)
    memblock_type memory;
    memblock_type reserved;
};
extern memblock_state memblock;
// Set by "memblock=debug": every add/reserve/alloc is logged with its caller.
extern bool memblock_debug;

void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_remove(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size);
// Returns a reserved range to the free pool (Linux's memblock_phys_free).
void memblock_phys_free(phys_addr_t base, phys_addr_t size);

// Allocates below memblock.current_limit, highest address first. 0 on failure.
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
// Same, restricted to [start, end).
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end);
// Zeroed memory through the direct map; nullptr on failure.
void* memblock_alloc(phys_addr_t size, phys_addr_t align);

void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_phys_mem_size();
phys_addr_t memblock_reserved_size();
phys_addr_t memblock_start_of_DRAM();
phys_addr_t memblock_end_of_DRAM();
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_memory(phys_addr_t addr);

// Iteration over free ranges (memory minus reserved), ascending. *idx starts at 0;
// returns false when done. Use for_each_free_mem_range.
bool __next_free_mem_range(u64* idx, phys_addr_t* out_start, phys_addr_t* out_end);
#define for_each_free_mem_range(i, p_start, p_end) \
    for (u64 i = 0; __next_free_mem_range(&i, p_start, p_end);)
#define for_each_mem_region(r)                                             \
    for (memblock_region* r = memblock.memory.regions;                     \
         r < memblock.memory.regions + memblock.memory.cnt; r++)

// Prints the region arrays in the format of Linux's memblock=debug.
void memblock_dump_all();

// Once the buddy allocator owns the free memory, memblock must not hand it out
// again: memblock_free_all() calls this, and later memblock allocations panic.
void memblock_mark_handed_over();
// Empties both arrays and resets the limit (used by host tests between cases).
void memblock_reset();
