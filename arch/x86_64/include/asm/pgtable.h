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
// Changes the protection of mapped pages in [va, va+size); EFAULT if one is unmapped.
Result<void> protect_range(pgd_t* pgd, unsigned long va, size_t size, pgprot_t prot);
// Walks to the leaf entry mapping va; nullptr when unmapped. *level tells its size.
pteval_t* lookup_address(pgd_t* pgd, unsigned long va, pg_level* level);
// Physical address va translates to, or EFAULT when unmapped.
Result<phys_addr_t> walk_virt_to_phys(pgd_t* pgd, unsigned long va);

static inline void flush_tlb_one_kernel(unsigned long va) {
    asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}
