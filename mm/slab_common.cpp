// What all slab caches share: creation and destruction, the list of caches,
// the kmalloc size classes, and /proc/slabinfo.
#include <mm/internal.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <lib/vsprintf.h>

namespace {
// The cache that kmem_cache structures themselves come from; set up by hand
// because nothing can allocate it.
kmem_cache kmem_cache_boot;
list_head slab_caches;
spinlock_t slab_caches_lock;  // Linux's slab_mutex; nothing here sleeps
bool slab_ready;

// Index i holds objects of up to 2^i bytes; 1 and 2 hold the 96 and 192 byte
// classes that fill the gaps between 64/128 and 128/256.
kmem_cache* kmalloc_caches[KMALLOC_SHIFT_HIGH + 1];
const char* const kmalloc_names[KMALLOC_SHIFT_HIGH + 1] = {
    nullptr,       "kmalloc-96",  "kmalloc-192", "kmalloc-8",   "kmalloc-16",
    "kmalloc-32",  "kmalloc-64",  "kmalloc-128", "kmalloc-256", "kmalloc-512",
    "kmalloc-1k",  "kmalloc-2k",  "kmalloc-4k",  "kmalloc-8k",
};
constexpr unsigned kmalloc_sizes[KMALLOC_SHIFT_HIGH + 1] = {0,  96,  192, 8,    16,   32,   64,
                                                             128, 256, 512, 1024, 2048, 4096, 8192};

unsigned kmalloc_index(size_t size) {
    if (size <= KMALLOC_MIN_SIZE) return 3;
    if (size > 64 && size <= 96) return 1;
    if (size > 128 && size <= 192) return 2;
    return unsigned(64 - __builtin_clzl(size - 1));  // ceil(log2(size))
}

unsigned get_order(size_t size) {
    unsigned order = 0;
    while ((PAGE_SIZE << order) < size) order++;
    return order;
}

void add_cache(kmem_cache* s) {
    Guard<IrqSave> g(slab_caches_lock);
    list_add_tail(&s->list, &slab_caches);
}

// Pages larger than the biggest size class come straight from the buddy
// allocator as one compound page; kfree recognises them by PageHead.
void* kmalloc_large(size_t size, gfp_t gfp) {
    unsigned order = get_order(size);
    if (order >= MAX_ORDER) {
        if (!(gfp & __GFP_NOWARN)) pr_warn("kmalloc: %zu bytes is too large\n", size);
        return nullptr;
    }
    page* p = alloc_pages(gfp | __GFP_COMP, order);
    return p ? page_address(p) : nullptr;
}

// The compound head page of a kmalloc_large() block, or a panic for anything
// that is neither that nor a slab object.
page* large_kmalloc_page(const void* obj, const char* who) {
    unsigned long pfn = PFN_DOWN(__pa(obj));
    if (!pfn_valid(pfn)) panic("%s: %p is not a kmalloc'ed address (outside RAM)", who, obj);
    page* head = compound_head(pfn_to_page(pfn));
    if (!PageHead(head) || page_address(head) != obj || page_count(head) == 0)
        panic("%s: %p was not allocated by kmalloc", who, obj);
    return head;
}
}  // namespace

bool slab_is_available() { return slab_ready; }

void kmem_cache_init() {
    INIT_LIST_HEAD(&slab_caches);
    for (kmem_cache*& c : kmalloc_caches) c = nullptr;
    if (!kmem_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(kmem_cache), 0,
                          SLAB_HWCACHE_ALIGN, nullptr))
        panic("kmem_cache_init: cannot set up the kmem_cache cache");
    add_cache(&kmem_cache_boot);
    slab_ready = true;
    for (unsigned i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
        if (kmalloc_sizes[i])
            kmalloc_caches[i] = kmem_cache_create(kmalloc_names[i], kmalloc_sizes[i], 0,
                                                  SLAB_PANIC, nullptr);
}

kmem_cache* kmem_cache_create(const char* name, unsigned size, unsigned align, slab_flags_t flags,
                              void (*ctor)(void*)) {
    if (!slab_ready) panic("kmem_cache_create(%s) before kmem_cache_init()", name);
    auto* s = static_cast<kmem_cache*>(kmem_cache_zalloc(&kmem_cache_boot, GFP_KERNEL));
    if (s && kmem_cache_setup(s, name, size, align, flags, ctor)) {
        add_cache(s);
        return s;
    }
    if (s) kmem_cache_free(&kmem_cache_boot, s);
    if (flags & SLAB_PANIC) panic("kmem_cache_create: Failed to create slab '%s'", name);
    return nullptr;
}

void kmem_cache_destroy(kmem_cache* s) {
    if (!s) return;
    if (kmem_cache_shrink(s)) {
        // Objects still in use would be freed into a cache that no longer
        // exists; keep the cache (leaked) and say who forgot them.
        pr_err("kmem_cache_destroy %s: Slab cache still has objects when called from %pS\n",
               s->name, __builtin_return_address(0));
        return;
    }
    {
        Guard<IrqSave> g(slab_caches_lock);
        list_del_init(&s->list);
    }
    kmem_cache_free(&kmem_cache_boot, s);
}

kmem_cache* kmalloc_slab(size_t size) {
    if (size > KMALLOC_MAX_CACHE_SIZE) return nullptr;
    return kmalloc_caches[kmalloc_index(size)];
}

void* kmalloc(size_t size, gfp_t gfp) {
    if (size > KMALLOC_MAX_CACHE_SIZE) return kmalloc_large(size, gfp);
    if (!size) return ZERO_SIZE_PTR;
    kmem_cache* s = kmalloc_caches[kmalloc_index(size)];
    if (!s) panic("kmalloc(%zu) before kmem_cache_init()", size);
    return kmem_cache_alloc(s, gfp);
}

void* kmalloc_array(size_t n, size_t size, gfp_t gfp) {
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes)) return nullptr;
    return kmalloc(bytes, gfp);
}

void kfree(const void* obj) {
    if (ZERO_OR_NULL_PTR(obj)) return;
    if (kmem_cache* s = virt_to_cache(obj)) {
        kmem_cache_free(s, const_cast<void*>(obj));
        return;
    }
    page* head = large_kmalloc_page(obj, "kfree");
    __free_pages(head, compound_order(head));
}

size_t ksize(const void* obj) {
    if (ZERO_OR_NULL_PTR(obj)) return 0;
    if (kmem_cache* s = virt_to_cache(obj)) return s->object_size;
    return PAGE_SIZE << compound_order(large_kmalloc_page(obj, "ksize"));
}

unsigned long slab_total_pages() {
    unsigned long pages = 0;
    Guard<IrqSave> g(slab_caches_lock);
    kmem_cache* s;
    list_for_each_entry(s, &slab_caches, list) {
        Guard<IrqSave> cg(s->lock);
        pages += s->nr_slabs << s->order;
    }
    return pages;
}

size_t slabinfo_show(char* buf, size_t size) {
    size_t len = scnprintf(buf, size,
                           "slabinfo - version: 2.1\n"
                           "# name            <active_objs> <num_objs> <objsize> <objperslab> "
                           "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
                           "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
    Guard<IrqSave> g(slab_caches_lock);
    kmem_cache* s;
    list_for_each_entry(s, &slab_caches, list) {
        Guard<IrqSave> cg(s->lock);
        len += scnprintf(buf + len, size - len,
                         "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu "
                         "%6lu\n",
                         s->name, s->active_objs, s->nr_slabs * s->num, s->size, s->num,
                         1 << s->order, 0u, 0u, 0u, s->nr_slabs - s->nr_free_slabs, s->nr_slabs,
                         0ul);
    }
    return len;
}
