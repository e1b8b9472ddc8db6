// The slab allocator: caches of equal-sized objects carved out of page blocks
// (kmem_cache_*), and kmalloc() on top of a set of such caches. See docs/mm.md
// for the slab layout and why the metadata lives inside the slab.
#pragma once
#include <mm/mmzone.h>
#include <keel/spinlock.h>
#include <keel/types.h>
#include <lib/list.h>
#include <mm/gfp.h>
#include <stddef.h>

using slab_flags_t = unsigned int;
constexpr slab_flags_t SLAB_HWCACHE_ALIGN = 0x00002000;  // objects start on cache lines
constexpr slab_flags_t SLAB_CACHE_DMA = 0x00004000;      // slabs come from ZONE_DMA
constexpr slab_flags_t SLAB_CACHE_DMA32 = 0x00008000;
constexpr slab_flags_t SLAB_PANIC = 0x00040000;          // creation failure is fatal

constexpr unsigned L1_CACHE_BYTES = 64;
constexpr unsigned KMALLOC_MIN_SIZE = 8;
constexpr unsigned KMALLOC_SHIFT_HIGH = 13;
constexpr size_t KMALLOC_MAX_CACHE_SIZE = 1ul << KMALLOC_SHIFT_HIGH;  // larger: whole pages
// kmalloc(0) returns this: not NULL, yet faults on any access.
#define ZERO_SIZE_PTR (reinterpret_cast<void*>(16))
#define ZERO_OR_NULL_PTR(x) (reinterpret_cast<unsigned long>(x) <= 16ul)

struct kmem_cache {
    const char* name;       // not copied: callers pass string literals
    unsigned object_size;   // what the user asked for
    unsigned size;          // stride between objects (object, free pointer, alignment)
    unsigned align;
    unsigned offset;        // where in a free object the next-free pointer lives
    unsigned order;         // a slab is 2^order pages
    unsigned num;           // objects per slab
    slab_flags_t flags;
    void (*ctor)(void*);
    spinlock_t lock;        // protects the lists, the slabs on them and the counters
    list_head slabs_partial;
    list_head slabs_full;
    list_head slabs_free;
    unsigned long nr_slabs;
    unsigned long nr_free_slabs;
    unsigned long active_objs;
    list_head list;         // on slab_caches
};

kmem_cache* kmem_cache_create(const char* name, unsigned size, unsigned align, slab_flags_t flags,
                              void (*ctor)(void*));
void* kmem_cache_alloc(kmem_cache* s, gfp_t gfp);
static inline void* kmem_cache_zalloc(kmem_cache* s, gfp_t gfp) {
    return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}
void kmem_cache_free(kmem_cache* s, void* obj);
// Returns empty slabs to the page allocator; 0 when the cache is now empty.
int kmem_cache_shrink(kmem_cache* s);
void kmem_cache_destroy(kmem_cache* s);

void* kmalloc(size_t size, gfp_t gfp);
static inline void* kzalloc(size_t size, gfp_t gfp) { return kmalloc(size, gfp | __GFP_ZERO); }
void* kmalloc_array(size_t n, size_t size, gfp_t gfp);  // nullptr if n * size overflows
static inline void* kcalloc(size_t n, size_t size, gfp_t gfp) {
    return kmalloc_array(n, size, gfp | __GFP_ZERO);
}
void kfree(const void* obj);
// Usable size of a kmalloc'ed block (at least what was asked for).
size_t ksize(const void* obj);
// The cache kmalloc(size) uses, or nullptr when size goes to the page allocator.
kmem_cache* kmalloc_slab(size_t size);

// Creates the cache of caches and the kmalloc caches. After mem_init().
void kmem_cache_init();
bool slab_is_available();
// Pages held by every cache's slabs (/proc/meminfo's Slab).
unsigned long slab_total_pages();
// /proc/slabinfo (version 2.1); returns the length written.
size_t slabinfo_show(char* buf, size_t size);
