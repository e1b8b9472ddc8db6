// vmalloc: virtually contiguous kernel memory in VMALLOC_START..VMALLOC_END,
// built from pages that need not be physically contiguous (vmalloc), from
// pages the caller owns (vmap) or from device memory (ioremap). Every area is
// followed by an unmapped guard page, so running off its end faults.
#pragma once
#include <asm/pgtable.h>
#include <keel/types.h>
#include <lib/list.h>
#include <lib/rbtree.h>
#include <mm/gfp.h>

constexpr unsigned long VM_IOREMAP = 0x00000001;
constexpr unsigned long VM_ALLOC = 0x00000002;
constexpr unsigned long VM_MAP = 0x00000004;
constexpr unsigned long VM_NO_GUARD = 0x00000040;

// One area. Linux splits this into vmap_area (the address range, in the tree)
// and vm_struct (what is mapped there); with one user of each they are one here.
struct vm_struct {
    ::rb_node rb_node;    // in the tree sorted by address (lookup on free)
    list_head list;       // in address order (gap search on allocation)
    list_head purge;      // on the lazy-purge list once freed (addresses still reserved)
    void* addr;
    unsigned long size;   // including the guard page
    unsigned long flags;  // VM_*
    page** pages;         // VM_ALLOC: the pages, owned by the area
    unsigned int nr_pages;
    phys_addr_t phys_addr;  // VM_IOREMAP: start of the device range
    const void* caller;
};

void* vmalloc(unsigned long size);
void* vzalloc(unsigned long size);
void vfree(const void* addr);  // nullptr is fine
// Maps count pages contiguously; the pages stay the caller's (VM_MAP).
void* vmap(page** pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void* addr);
// Uncached mapping of device memory; the result keeps phys's offset in its page.
void* ioremap(phys_addr_t phys, unsigned long size);
void iounmap(const void* addr);

bool is_vmalloc_addr(const void* addr);
page* vmalloc_to_page(const void* addr);
// The area starting at addr, or nullptr.
vm_struct* find_vm_area(const void* addr);
// Bytes an area maps (its size without the guard page).
static inline unsigned long get_vm_area_size(const vm_struct* area) {
    return area->size - ((area->flags & VM_NO_GUARD) ? 0 : PAGE_SIZE);
}

void vmalloc_init();  // after kmem_cache_init()
// /proc/vmallocinfo; returns the length written.
size_t vmallocinfo_show(char* buf, size_t size);
