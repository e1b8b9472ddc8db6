// vmalloc areas: an address-ordered list for first-fit placement plus an
// rbtree for finding an area from its address. Placement is O(areas); Linux
// augments its free-space tree to make it O(log n), which Keel can add when
// area counts grow. Page-table work happens outside the lock.
//
// Freeing is lazy, as Linux's vmap_lazy: an area's page-table entries are
// cleared at once (and this CPU's TLB flushed), its pages freed, but its
// addresses stay reserved on a purge list. Other CPUs may still hold TLB
// entries for them, harmless while nothing can be mapped there. When enough
// has piled up (or an allocation finds no room) one TLB shootdown over the
// whole span flushes every CPU, and the areas are released: one IPI round per
// thousands of freed kernel stacks instead of one per stack.
#include <mm/vmalloc.h>
#include <asm/smp.h>
#include <keel/atomic.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>

namespace {
spinlock_t vmap_area_lock;
rb_root vmap_area_root = RB_ROOT;
list_head vmap_area_list;
list_head vmap_purge_list{&vmap_purge_list, &vmap_purge_list};  // under vmap_area_lock
unsigned long vmap_lazy_nr;                                     // pages on it
Atomic<bool> vmap_purging{false};

// Linux's lazy_max_pages: 32 MiB of address space per log2 of the CPUs.
unsigned long lazy_max_pages() {
    unsigned cpus = num_online_cpus();
    unsigned log = 1;
    while (cpus >>= 1) log++;
    return (32ul << 20 >> PAGE_SHIFT) * log;
}

vm_struct* rb_to_area(rb_node* n) { return rb_entry(n, vm_struct, rb_node); }
unsigned long area_start(const vm_struct* a) { return reinterpret_cast<unsigned long>(a->addr); }

void purge_vmap_area_lazy();
vm_struct* __get_vm_area(unsigned long size, unsigned long flags, const void* caller);

// Reserves `size` bytes (guard page included) of address space: first fit.
// Finding no room, it releases the lazily freed areas and tries once more.
vm_struct* get_vm_area(unsigned long size, unsigned long flags, const void* caller) {
    if (vm_struct* area = __get_vm_area(size, flags, caller)) return area;
    purge_vmap_area_lazy();
    return __get_vm_area(size, flags, caller);
}

vm_struct* __get_vm_area(unsigned long size, unsigned long flags, const void* caller) {
    auto* area = static_cast<vm_struct*>(kzalloc(sizeof(vm_struct), GFP_KERNEL));
    if (!area) return nullptr;
    INIT_LIST_HEAD(&area->purge);
    if (!(flags & VM_NO_GUARD)) size += PAGE_SIZE;
    area->size = size;
    area->flags = flags;
    area->caller = caller;
    Guard<IrqSave> g(vmap_area_lock);
    unsigned long addr = VMALLOC_START;
    list_head* prev = &vmap_area_list;
    vm_struct* a;
    list_for_each_entry(a, &vmap_area_list, list) {
        if (area_start(a) >= addr && area_start(a) - addr >= size) break;
        addr = area_start(a) + a->size;
        prev = &a->list;
    }
    if (addr > VMALLOC_END || VMALLOC_END - addr + 1 < size) {
        kfree(area);
        return nullptr;
    }
    area->addr = reinterpret_cast<void*>(addr);
    list_add(&area->list, prev);
    rb_add(&area->rb_node, &vmap_area_root, [](rb_node* x, const rb_node* y) {
        return area_start(rb_to_area(x)) < area_start(rb_to_area(const_cast<rb_node*>(y)));
    });
    return area;
}

vm_struct* lookup(unsigned long addr) {
    rb_node* n = rb_find(addr, &vmap_area_root, [](unsigned long key, const rb_node* node) {
        unsigned long start = area_start(rb_to_area(const_cast<rb_node*>(node)));
        return key < start ? -1 : key > start ? 1 : 0;
    });
    return n ? rb_to_area(n) : nullptr;
}

// Finds the area at addr, checks that `who` may free it, and clears its
// page-table entries (flushing only this CPU's TLB: see free_vmap_area_lazy).
vm_struct* unmap_vm_area(const void* addr, unsigned long expect_flag, const char* who) {
    vm_struct* area;
    {
        Guard<IrqSave> g(vmap_area_lock);
        area = lookup(reinterpret_cast<unsigned long>(addr));
        if (!area || !list_empty(&area->purge)) panic("%s: trying to free nonexistent vm area (%p)", who, addr);
        if (!(area->flags & expect_flag))
            panic("%s: vm area %p was not created by the matching call (flags %#lx)", who, addr, area->flags);
    }
    unmap_range_noflush(init_top_pgt, area_start(area), get_vm_area_size(area));
    return area;
}

// Queues an area whose pages the caller has unmapped (unmap_range_noflush);
// its addresses go back after the next purge. The order matters on SMP: until every CPU's TLB has forgotten the old translations,
// the range must stay reserved, or another CPU could map its own pages there
// while a third still reaches the old ones.
void free_vmap_area_lazy(vm_struct* area) {
    bool purge;
    {
        Guard<IrqSave> g(vmap_area_lock);
        list_add_tail(&area->purge, &vmap_purge_list);
        vmap_lazy_nr += area->size >> PAGE_SHIFT;
        purge = vmap_lazy_nr > lazy_max_pages();
    }
    if (purge) purge_vmap_area_lazy();
}

// One shootdown for everything on the purge list, then the areas go. A purge
// already under way elsewhere is enough: this caller's areas wait for the next.
void purge_vmap_area_lazy() {
    if (vmap_purging.exchange(true, memory_order::acquire)) return;
    list_head batch{&batch, &batch};
    unsigned long start = ~0ul, end = 0;
    {
        Guard<IrqSave> g(vmap_area_lock);
        list_splice_init(&vmap_purge_list, &batch);
        vmap_lazy_nr = 0;
    }
    vm_struct* area;
    list_for_each_entry(area, &batch, purge) {
        if (area_start(area) < start) start = area_start(area);
        if (area_start(area) + area->size > end) end = area_start(area) + area->size;
    }
    if (end && num_online_cpus() > 1) flush_tlb_kernel_range(start, end);
    while (!list_empty(&batch)) {
        area = list_first_entry(&batch, vm_struct, purge);
        {
            Guard<IrqSave> g(vmap_area_lock);
            list_del(&area->purge);
            rb_erase(&area->rb_node, &vmap_area_root);
            list_del_init(&area->list);
        }
        kfree(area);
    }
    vmap_purging.store(false, memory_order::release);
}

void free_area_pages(vm_struct* area) {
    for (unsigned i = 0; i < area->nr_pages; i++)
        if (area->pages[i]) __free_page(area->pages[i]);
    kfree(area->pages);
}

bool map_pages(vm_struct* area, page** pages, unsigned count, pgprot_t prot) {
    for (unsigned i = 0; i < count; i++) {
        unsigned long va = area_start(area) + i * PAGE_SIZE;
        if (map_range(init_top_pgt, va, page_to_phys(pages[i]), PAGE_SIZE, prot).is_error()) {
            unmap_range(init_top_pgt, area_start(area), i * PAGE_SIZE);
            return false;
        }
    }
    return true;
}

// Undoes get_vm_area for an area whose setup failed part way.
void abandon_area(vm_struct* area) {
    {
        Guard<IrqSave> g(vmap_area_lock);
        rb_erase(&area->rb_node, &vmap_area_root);
        list_del_init(&area->list);
    }
    kfree(area);
}

void* __vmalloc(unsigned long size, gfp_t gfp, const void* caller) {
    size = align_up(size, PAGE_SIZE);
    if (!size || size / PAGE_SIZE > totalram_pages()) return nullptr;
    vm_struct* area = get_vm_area(size, VM_ALLOC, caller);
    if (!area) return nullptr;
    unsigned nr = unsigned(size / PAGE_SIZE);
    area->pages = static_cast<page**>(kcalloc(nr, sizeof(page*), GFP_KERNEL));
    if (!area->pages) {
        abandon_area(area);
        return nullptr;
    }
    area->nr_pages = nr;
    for (unsigned i = 0; i < nr; i++) {
        area->pages[i] = alloc_page(gfp | __GFP_NOWARN);
        if (!area->pages[i]) break;
    }
    if (!area->pages[nr - 1] || !map_pages(area, area->pages, nr, PAGE_KERNEL)) {
        pr_warn("vmalloc: allocation failure: %lu bytes\n", size);
        free_area_pages(area);
        abandon_area(area);
        return nullptr;
    }
    return area->addr;
}
}  // namespace

void* vmalloc(unsigned long size) { return __vmalloc(size, GFP_KERNEL, __builtin_return_address(0)); }

void* vzalloc(unsigned long size) {
    return __vmalloc(size, GFP_KERNEL | __GFP_ZERO, __builtin_return_address(0));
}

void vfree(const void* addr) {
    if (!addr) return;
    vm_struct* area = unmap_vm_area(addr, VM_ALLOC, "vfree");
    // The pages can go now: only a use after free could reach them through a
    // stale TLB entry; the addresses are what must wait for the purge.
    free_area_pages(area);
    area->pages = nullptr;
    area->nr_pages = 0;
    free_vmap_area_lazy(area);
}

void* vmap(page** pages, unsigned int count, unsigned long flags, pgprot_t prot) {
    if (!count) return nullptr;
    vm_struct* area = get_vm_area((unsigned long)count * PAGE_SIZE, flags | VM_MAP,
                                  __builtin_return_address(0));
    if (!area) return nullptr;
    if (!map_pages(area, pages, count, prot)) {
        abandon_area(area);
        return nullptr;
    }
    return area->addr;
}

void vunmap(const void* addr) {
    if (!addr) return;
    free_vmap_area_lazy(unmap_vm_area(addr, VM_MAP, "vunmap"));
}

void* ioremap(phys_addr_t phys, unsigned long size) {
    unsigned long offset = phys & (PAGE_SIZE - 1);
    phys_addr_t base = phys - offset;
    size = align_up(size + offset, PAGE_SIZE);
    if (!size) return nullptr;
    vm_struct* area = get_vm_area(size, VM_IOREMAP, __builtin_return_address(0));
    if (!area) return nullptr;
    area->phys_addr = base;
    if (map_range(init_top_pgt, area_start(area), base, size, PAGE_KERNEL_NOCACHE).is_error()) {
        unmap_range(init_top_pgt, area_start(area), size);
        abandon_area(area);
        return nullptr;
    }
    return static_cast<char*>(area->addr) + offset;
}

void iounmap(const void* addr) {
    if (!addr) return;
    auto page_start = reinterpret_cast<const void*>(
        align_down(reinterpret_cast<unsigned long>(addr), PAGE_SIZE));
    free_vmap_area_lazy(unmap_vm_area(page_start, VM_IOREMAP, "iounmap"));
}

bool is_vmalloc_addr(const void* addr) {
    auto a = reinterpret_cast<unsigned long>(addr);
    return a >= VMALLOC_START && a <= VMALLOC_END;
}

page* vmalloc_to_page(const void* addr) {
    auto pa = walk_virt_to_phys(init_top_pgt, reinterpret_cast<unsigned long>(addr));
    return pa.is_error() ? nullptr : phys_to_page(pa.value());
}

vm_struct* find_vm_area(const void* addr) {
    Guard<IrqSave> g(vmap_area_lock);
    return lookup(reinterpret_cast<unsigned long>(addr));
}

void vmalloc_init() {
    preallocate_vmalloc_pages();  // processes' page tables copy the kernel half once
    INIT_LIST_HEAD(&vmap_area_list);
    vmap_area_root = RB_ROOT;
}

size_t vmallocinfo_show(char* buf, size_t size) {
    size_t len = 0;
    Guard<IrqSave> g(vmap_area_lock);
    vm_struct* a;
    list_for_each_entry(a, &vmap_area_list, list) {
        len += scnprintf(buf + len, size - len, "0x%016lx-0x%016lx %7lu %pS", area_start(a),
                         area_start(a) + a->size, a->size, a->caller);
        if (a->nr_pages) len += scnprintf(buf + len, size - len, " pages=%u", a->nr_pages);
        if (a->flags & VM_IOREMAP)
            len += scnprintf(buf + len, size - len, " phys=0x%016llx ioremap",
                             (unsigned long long)a->phys_addr);
        if (a->flags & VM_ALLOC) len += scnprintf(buf + len, size - len, " vmalloc");
        if (a->flags & VM_MAP) len += scnprintf(buf + len, size - len, " vmap");
        len += scnprintf(buf + len, size - len, "\n");
    }
    return len;
}
