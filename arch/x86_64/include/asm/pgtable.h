// The page-table API everything else maps memory through. x86-64 4-level paging:
// pgd (PML4) -> pud (PDPT) -> pmd (PD) -> pte (PT); 1 GiB and 2 MiB leaves at the
// pud and pmd levels. Functions take the top-level table so the same code serves
// the kernel (init_top_pgt) and, later, every process's mm.
#pragma once
#include <asm/page_types.h>
#include <keel/result.h>
#include <keel/types.h>

using pteval_t = u64;
struct pgd_t { pteval_t val; };

enum : pteval_t {
    _PAGE_PRESENT = 1ull << 0,
    _PAGE_RW = 1ull << 1,
    _PAGE_USER = 1ull << 2,
    _PAGE_PWT = 1ull << 3,
    _PAGE_PCD = 1ull << 4,
    _PAGE_ACCESSED = 1ull << 5,
    _PAGE_DIRTY = 1ull << 6,
    _PAGE_PSE = 1ull << 7,  // large page at pmd/pud level
    _PAGE_GLOBAL = 1ull << 8,
    _PAGE_NX = 1ull << 63,
};
constexpr pteval_t PTE_PFN_MASK = 0x000ffffffffff000ull;
// A PROT_NONE user page keeps its frame in a non-present PTE marked with the
// bit that means "global" in present ones (Linux's _PAGE_PROTNONE), so the
// page is neither lost nor accessible until mprotect gives access back.
constexpr pteval_t _PAGE_PROTNONE = _PAGE_GLOBAL;
// A user PTE that maps a page, accessible or not.
static inline bool pte_mapped(pteval_t pte) { return pte & (_PAGE_PRESENT | _PAGE_PROTNONE); }

struct pgprot_t { pteval_t val; };
// _PAGE_NX is dropped by the page-table code when the CPU lacks NX (__supported_pte_mask).
constexpr pgprot_t PAGE_KERNEL{_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX};
constexpr pgprot_t PAGE_KERNEL_RO{_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX};
constexpr pgprot_t PAGE_KERNEL_EXEC{_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL};
constexpr pgprot_t PAGE_KERNEL_ROX{_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL};
constexpr pgprot_t PAGE_KERNEL_NOCACHE{PAGE_KERNEL.val | _PAGE_PCD | _PAGE_PWT};

enum pg_level { PG_LEVEL_NONE, PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G };

extern pgd_t init_top_pgt[512];   // the kernel's page tables (swapper_pg_dir)
extern pteval_t __supported_pte_mask;

// Maps [va, va+size) to [pa, pa+size). With allow_large, 2 MiB/1 GiB leaves are
// used where alignment permits. Fails with ENOMEM if a table cannot be allocated
// and EEXIST if part of the range is already mapped.
Result<void> map_range(pgd_t* pgd, unsigned long va, phys_addr_t pa, size_t size, pgprot_t prot,
                       bool allow_large = false);
// Removes the mappings in [va, va+size) (splitting none: the range must cover whole
// leaves) and flushes them from the TLB. Empty page tables are kept.
void unmap_range(pgd_t* pgd, unsigned long va, size_t size);
// The same, flushing only this CPU's TLB: other CPUs may keep stale entries
// until the caller flushes them (vmalloc's lazy purge batches that).
void unmap_range_noflush(pgd_t* pgd, unsigned long va, size_t size);
// Changes the protection of mapped pages in [va, va+size); EFAULT if one is unmapped.
Result<void> protect_range(pgd_t* pgd, unsigned long va, size_t size, pgprot_t prot);
// Walks to the leaf entry mapping va; nullptr when unmapped. *level tells its size.
pteval_t* lookup_address(pgd_t* pgd, unsigned long va, pg_level* level);
// Physical address va translates to, or EFAULT when unmapped.
Result<phys_addr_t> walk_virt_to_phys(pgd_t* pgd, unsigned long va);

// Every process's pgd copies the kernel half of init_top_pgt once, when it is
// made; so the kernel half must never gain a top-level entry afterwards. The
// direct map and the image are in place at boot; this fills in the tables
// below the vmalloc area's top-level entries (Linux's preallocate_vmalloc_pages).
void preallocate_vmalloc_pages();

// ---- user page tables (4 KiB leaves only) ----
// The tables above a user address carry _PAGE_USER (the CPU ANDs the U/S bit of
// every level), the kernel half's never do.
constexpr unsigned USER_PTRS_PER_PGD = 256;  // pgd entries 0..255: user; 256..511: the kernel's
// The PTE for va, creating the tables above it; ENOMEM if one cannot be allocated.
Result<pteval_t*> pte_alloc(pgd_t* pgd, unsigned long va);
// The PTE for va, or nullptr when no page table covers va; then *next is the
// first address past the hole (the walkers of big sparse ranges skip it whole).
pteval_t* pte_lookup(pgd_t* pgd, unsigned long va, unsigned long* next);
// Frees every table under the user half of pgd (not the pages they map: the
// caller has zapped those) and clears the entries.
void free_user_pgtables(pgd_t* pgd);

static inline void flush_tlb_one_kernel(unsigned long va) {
    asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}
