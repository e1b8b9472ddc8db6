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

// ---- user address spaces (mmap.cpp and its siblings) ----
#include <keel/mm.h>

constexpr unsigned long mmap_min_addr = 65536;            // CONFIG_DEFAULT_MMAP_MIN_ADDR
constexpr unsigned long stack_guard_gap = 256ul << PAGE_SHIFT;  // Linux's default, in bytes
constexpr unsigned sysctl_max_map_count = 65530;

static inline unsigned long vma_pages(const vm_area_struct* vma) {
    return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}
// Lowest address a new mapping below vma may end at: stacks keep a guard gap.
static inline unsigned long vm_start_gap(const vm_area_struct* vma) {
    unsigned long start = vma->vm_start;
    if (vma->vm_flags & VM_GROWSDOWN) start = start > stack_guard_gap ? start - stack_guard_gap : 0;
    return start;
}

// The PTE bits for a VMA's pages. Private writable mappings are not writable in
// the PTE: the first write faults and takes (or copies) the page for itself.
pgprot_t vm_get_page_prot(unsigned long vm_flags);
vm_area_struct* vma_next(vm_area_struct* vma);
vm_area_struct* vma_prev(vm_area_struct* vma);
// Callers of these hold mmap_lock for writing; they return 0 / an address or -errno.
// f: a file to map (do_mmap checks its open mode and takes a reference for
// the VMA), or nullptr for anonymous memory.
long do_mmap(mm_struct* mm, file* f, unsigned long addr, unsigned long len, unsigned long prot,
             unsigned long flags, unsigned long pgoff, unsigned long* populate);
// Cuts vma in two at addr. new_below: the new VMA is the lower part, else the upper.
int split_vma(mm_struct* mm, vm_area_struct* vma, unsigned long addr, bool new_below);
// Merges vma with compatible neighbours that touch it; returns the survivor.
vm_area_struct* vma_merge_neighbours(mm_struct* mm, vm_area_struct* vma);
void vma_link(mm_struct* mm, vm_area_struct* vma);
void remove_vma(mm_struct* mm, vm_area_struct* vma);  // unlinks and frees; no zap
vm_area_struct* vm_area_alloc(mm_struct* mm);  // zeroed, unlinked
vm_area_struct* vm_area_dup(vm_area_struct* orig);
void vm_area_free(vm_area_struct* vma);  // an unlinked VMA
// Grows a VM_GROWSDOWN vma down to address (mmap_lock held for reading).
int expand_stack(vm_area_struct* vma, unsigned long address);
// Tears down every mapping (the last mmput).
void exit_mmap(mm_struct* mm);

// ---- page tables of user mappings (memory.cpp; the host tests stand in) ----
// Unmaps [start, end) of vma, drops the pages' references, flushes the TLB.
void zap_page_range(vm_area_struct* vma, unsigned long start, unsigned long end);
// Rewrites the present PTEs of [start, end) with vma->vm_page_prot.
void change_protection(vm_area_struct* vma, unsigned long start, unsigned long end);
// Moves the PTEs of [old_addr, old_addr+len) to new_addr (mremap); ENOMEM
// leaves everything where it was.
Result<void> move_page_tables(vm_area_struct* vma, unsigned long old_addr, vm_area_struct* new_vma,
                              unsigned long new_addr, unsigned long len);
// Makes the page at address present (and writable for FAULT_FLAG_WRITE).
vm_fault_t handle_mm_fault(vm_area_struct* vma, unsigned long address, unsigned flags);
// fork: gives dst the pages of vma (in src), private ones copy-on-write.
Result<void> copy_page_range(mm_struct* dst, mm_struct* src, vm_area_struct* vma);
// Faults in [start, start+len) (MAP_POPULATE); the caller holds no lock.
void mm_populate(mm_struct* mm, unsigned long start, unsigned long len);

// ---- special mappings (special_mapping.cpp) ----
// The page of a special mapping at address, with a reference for the PTE;
// nullptr past its pages.
page* special_mapping_page(vm_area_struct* vma, unsigned long address);

// ---- shared anonymous memory (shmem.cpp) ----
// The pages of one MAP_SHARED|MAP_ANONYMOUS mapping, by offset, shared by every
// VMA (and every forked copy) that maps it. Refcounted; each PTE mapping a page
// also holds a reference on the page itself.
struct shmem_object {
    Atomic<int> refcount{1};
    spinlock_t lock{"shmem_object.lock"};  // fills in pages
    unsigned long nr_pages;
    page** pages;  // nr_pages slots, nullptr until first touched
};
shmem_object* shmem_object_create(unsigned long nr_pages);
void shmem_object_get(shmem_object* obj);
void shmem_object_put(shmem_object* obj);
// The page at pgoff, allocated zeroed on first use, with a reference taken for
// the caller; nullptr and *fault = SIGBUS past the end, OOM when memory is out.
page* shmem_get_page(shmem_object* obj, unsigned long pgoff, vm_fault_t* fault);
