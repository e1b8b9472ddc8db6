// Slab caches. A slab is a block of 2^order pages holding `num` objects from
// offset 0 and, at its very end, a small trailer: struct slab and a bitmap of
// allocated objects. Keeping the metadata inside the slab leaves struct page at
// 32 bytes; putting it at the end keeps objects naturally aligned (kmalloc-4k
// objects start on page boundaries). From any object, virt_to_head_page() finds
// the slab's first page, and the order it was allocated with finds the trailer.
//
// Free objects are chained through a pointer stored in the object itself (after
// the object when there is a constructor, so constructed state survives). The
// bitmap makes every free checkable: double frees and stray pointers panic.
#include <mm/internal.h>
#include <keel/panic.h>
#include <lib/bitmap.h>
#include <lib/string.h>

struct slab {
    list_head slab_list;  // on the cache's partial, full or free list
    kmem_cache* cache;
    void* freelist;       // first free object
    unsigned inuse;
};

namespace {
constexpr unsigned SLAB_MAX_ORDER = 3;  // PAGE_ALLOC_COSTLY_ORDER: larger blocks are hard to find
constexpr unsigned long MAX_FREE_SLABS = 1;  // empty slabs kept to absorb alloc/free cycles

unsigned long bitmap_longs(unsigned num) { return BITS_TO_LONGS(num); }
size_t trailer_size(unsigned num) { return sizeof(slab) + bitmap_longs(num) * sizeof(long); }

slab* slab_of(page* head, unsigned order) {
    auto* end = static_cast<char*>(page_address(head)) + (PAGE_SIZE << order);
    return reinterpret_cast<slab*>(end - sizeof(slab));
}
unsigned long* slab_bitmap(kmem_cache* s, slab* sl) {
    return reinterpret_cast<unsigned long*>(sl) - bitmap_longs(s->num);
}
char* slab_base(kmem_cache* s, slab* sl) {
    return reinterpret_cast<char*>(sl) + sizeof(slab) - (PAGE_SIZE << s->order);
}

void* get_freepointer(kmem_cache* s, void* obj) {
    return *reinterpret_cast<void**>(static_cast<char*>(obj) + s->offset);
}
void set_freepointer(kmem_cache* s, void* obj, void* next) {
    *reinterpret_cast<void**>(static_cast<char*>(obj) + s->offset) = next;
}

// The slab an object lives in, if any.
slab* virt_to_slab(const void* obj) {
    unsigned long pfn = PFN_DOWN(__pa(obj));
    if (!pfn_valid(pfn)) return nullptr;
    page* head = compound_head(pfn_to_page(pfn));
    if (!PageSlab(head)) return nullptr;
    return slab_of(head, compound_order(head));
}

unsigned calculate_alignment(slab_flags_t flags, unsigned align, unsigned size) {
    if (flags & SLAB_HWCACHE_ALIGN) {
        // Small objects share a line rather than each wasting most of one.
        unsigned ralign = L1_CACHE_BYTES;
        while (size <= ralign / 2) ralign /= 2;
        if (ralign > align) align = ralign;
    }
    return align < sizeof(void*) ? unsigned(sizeof(void*)) : align;
}

// Builds a slab: allocates its pages, runs the constructor on every object and
// chains them in address order. Called without the cache lock.
slab* allocate_slab(kmem_cache* s, gfp_t gfp) {
    gfp = (gfp & ~__GFP_ZERO) | __GFP_COMP;
    if (s->flags & SLAB_CACHE_DMA) gfp |= __GFP_DMA;
    if (s->flags & SLAB_CACHE_DMA32) gfp |= __GFP_DMA32;
    page* head = alloc_pages(gfp, s->order);
    if (!head) return nullptr;
    __SetPageSlab(head);
    slab* sl = slab_of(head, s->order);
    INIT_LIST_HEAD(&sl->slab_list);
    sl->cache = s;
    sl->inuse = 0;
    memset(slab_bitmap(s, sl), 0, bitmap_longs(s->num) * sizeof(long));
    char* base = static_cast<char*>(page_address(head));
    void* next = nullptr;
    for (unsigned i = s->num; i-- > 0;) {
        void* obj = base + size_t(i) * s->size;
        if (s->ctor) s->ctor(obj);
        set_freepointer(s, obj, next);
        next = obj;
    }
    sl->freelist = next;
    return sl;
}

void discard_slab(kmem_cache* s, slab* sl) {
    page* head = virt_to_page(slab_base(s, sl));
    __ClearPageSlab(head);
    __free_pages(head, s->order);
}

// Takes an object from a partial slab, else from a free one. Caller holds s->lock.
void* alloc_from_lists(kmem_cache* s) {
    slab* sl = list_first_entry_or_null(&s->slabs_partial, slab, slab_list);
    if (!sl) {
        sl = list_first_entry_or_null(&s->slabs_free, slab, slab_list);
        if (!sl) return nullptr;
        list_move(&sl->slab_list, &s->slabs_partial);
        s->nr_free_slabs--;
    }
    void* obj = sl->freelist;
    sl->freelist = get_freepointer(s, obj);
    __set_bit((static_cast<char*>(obj) - slab_base(s, sl)) / s->size, slab_bitmap(s, sl));
    if (++sl->inuse == s->num) list_move(&sl->slab_list, &s->slabs_full);
    s->active_objs++;
    return obj;
}
}  // namespace

bool kmem_cache_setup(kmem_cache* s, const char* name, unsigned size, unsigned align,
                      slab_flags_t flags, void (*ctor)(void*)) {
    if (!size || (align & (align - 1))) return false;
    s->name = name;
    s->object_size = size;
    s->flags = flags;
    s->ctor = ctor;
    s->align = calculate_alignment(flags, align, size);
    unsigned stride = align_up(size, unsigned(sizeof(void*)));
    s->offset = ctor ? stride : 0;
    if (ctor) stride += sizeof(void*);
    s->size = align_up(stride, s->align);
    // The smallest order that wastes at most 1/8 of the slab, else the largest.
    s->num = 0;
    for (unsigned order = 0; order <= SLAB_MAX_ORDER; order++) {
        size_t total = PAGE_SIZE << order;
        unsigned num = unsigned(total / s->size);
        while (num && size_t(num) * s->size + trailer_size(num) > total) num--;
        if (!num) continue;
        s->order = order;
        s->num = num;
        if ((total - size_t(num) * s->size - trailer_size(num)) * 8 <= total) break;
    }
    if (!s->num) return false;
    INIT_LIST_HEAD(&s->slabs_partial);
    INIT_LIST_HEAD(&s->slabs_full);
    INIT_LIST_HEAD(&s->slabs_free);
    s->nr_slabs = s->nr_free_slabs = s->active_objs = 0;
    INIT_LIST_HEAD(&s->list);
    return true;
}

void* kmem_cache_alloc(kmem_cache* s, gfp_t gfp) {
    void* obj;
    {
        Guard<IrqSave> g(s->lock);
        obj = alloc_from_lists(s);
    }
    if (!obj) {
        slab* sl = allocate_slab(s, gfp);
        if (!sl) return nullptr;
        Guard<IrqSave> g(s->lock);
        list_add(&sl->slab_list, &s->slabs_partial);
        s->nr_slabs++;
        obj = alloc_from_lists(s);
    }
    if (gfp & __GFP_ZERO) memset(obj, 0, s->object_size);
    return obj;
}

void kmem_cache_free(kmem_cache* s, void* obj) {
    if (!obj) return;
    slab* sl = virt_to_slab(obj);
    if (!sl) panic("kmem_cache_free(%s): %p is not a slab object", s->name, obj);
    if (sl->cache != s)
        panic("kmem_cache_free(%s): %p belongs to cache %s", s->name, obj, sl->cache->name);
    size_t off = static_cast<char*>(obj) - slab_base(s, sl);
    if (off % s->size || off / s->size >= s->num)
        panic("kmem_cache_free(%s): %p is not the start of an object", s->name, obj);
    slab* empty = nullptr;
    {
        Guard<IrqSave> g(s->lock);
        if (!__test_and_clear_bit(off / s->size, slab_bitmap(s, sl)))
            panic("kmem_cache_free(%s): double free of %p", s->name, obj);
        set_freepointer(s, obj, sl->freelist);
        sl->freelist = obj;
        s->active_objs--;
        if (sl->inuse-- == s->num) list_move(&sl->slab_list, &s->slabs_partial);
        if (sl->inuse == 0) {
            if (s->nr_free_slabs < MAX_FREE_SLABS) {
                list_move(&sl->slab_list, &s->slabs_free);
                s->nr_free_slabs++;
            } else {
                list_del_init(&sl->slab_list);
                s->nr_slabs--;
                empty = sl;
            }
        }
    }
    if (empty) discard_slab(s, empty);
}

int kmem_cache_shrink(kmem_cache* s) {
    LIST_HEAD(to_free);
    {
        Guard<IrqSave> g(s->lock);
        list_splice_init(&s->slabs_free, &to_free);
        s->nr_slabs -= s->nr_free_slabs;
        s->nr_free_slabs = 0;
    }
    slab *sl, *n;
    list_for_each_entry_safe(sl, n, &to_free, slab_list) discard_slab(s, sl);
    return s->nr_slabs ? 1 : 0;
}

kmem_cache* virt_to_cache(const void* obj) {
    slab* sl = virt_to_slab(obj);
    return sl ? sl->cache : nullptr;
}
