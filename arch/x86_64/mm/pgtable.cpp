// The page-table API (asm/pgtable.h). Every walk goes top-down through the four
// levels; `level` counts from the leaf: 1 = PTE (4 KiB), 2 = PMD (2 MiB),
// 3 = PUD (1 GiB), 4 = PGD. Table pages come from memblock during boot and from
// the page allocator once it runs.
#include <asm/cpufeature.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include <lib/cpumask.h>
#include <keel/panic.h>
#include <lib/string.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>

alignas(4096) pgd_t init_top_pgt[512];
pteval_t __supported_pte_mask = ~0ull;

namespace {

constexpr pteval_t TABLE_FLAGS = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;

constexpr unsigned level_shift(int level) { return PAGE_SHIFT + 9 * (level - 1); }
constexpr unsigned long level_size(int level) { return 1ul << level_shift(level); }
constexpr unsigned pt_index(unsigned long va, int level) { return (va >> level_shift(level)) & 511; }

pg_level to_pg_level(int level) {
    return level == 1 ? PG_LEVEL_4K : level == 2 ? PG_LEVEL_2M : PG_LEVEL_1G;
}

pteval_t* table_at(pteval_t entry) { return static_cast<pteval_t*>(__va(entry & PTE_PFN_MASK)); }
bool is_leaf(pteval_t entry, int level) { return level == 1 || (entry & _PAGE_PSE); }

pteval_t* pgtable_alloc() {
    if (page_alloc_ready()) return reinterpret_cast<pteval_t*>(get_zeroed_page(GFP_KERNEL));
    return static_cast<pteval_t*>(memblock_alloc(PAGE_SIZE, PAGE_SIZE));
}

// Returns the entry for va at target_level, creating the tables above it.
Result<pteval_t*> walk_create(pgd_t* pgd, unsigned long va, int target_level) {
    pteval_t* table = &pgd->val;
    for (int level = 4; level > target_level; level--) {
        pteval_t* entry = &table[pt_index(va, level)];
        if (!(*entry & _PAGE_PRESENT)) {
            pteval_t* next = pgtable_alloc();
            if (!next) return Error{ENOMEM};
            *entry = __pa(next) | TABLE_FLAGS | (pt_index(va, 4) < USER_PTRS_PER_PGD ? pteval_t(_PAGE_USER) : 0);
        } else if (is_leaf(*entry, level)) {
            return Error{EEXIST};  // a large page already covers va
        }
        table = table_at(*entry);
    }
    return &table[pt_index(va, target_level)];
}

// Finds the leaf entry mapping va and its level; nullptr if unmapped.
pteval_t* walk_leaf(pgd_t* pgd, unsigned long va, int* leaf_level) {
    pteval_t* table = &pgd->val;
    for (int level = 4; level >= 1; level--) {
        pteval_t* entry = &table[pt_index(va, level)];
        if (!(*entry & _PAGE_PRESENT)) return nullptr;
        if (level < 4 && is_leaf(*entry, level)) {
            *leaf_level = level;
            return entry;
        }
        table = table_at(*entry);
    }
    return nullptr;
}

// The largest leaf usable at this point of the range.
int pick_level(unsigned long va, phys_addr_t pa, size_t left, bool allow_large) {
    if (!allow_large) return 1;
    for (int level = boot_cpu_data.gbpages ? 3 : 2; level > 1; level--) {
        unsigned long size = level_size(level);
        if (((va | pa) & (size - 1)) == 0 && left >= size) return level;
    }
    return 1;
}

// The kernel half of the page tables is shared by every CPU, and each CPU caches
// translations in its own TLB: a mapping removed or weakened must be flushed on
// all of them (a TLB shootdown), or another CPU keeps using the old page — for a
// freed and reused kernel stack, someone else's stack. The local entries were
// flushed page by page already.
void free_table(pteval_t* table, int level) {
    for (int i = 0; level > 1 && i < 512; i++)
        if ((table[i] & _PAGE_PRESENT) && !is_leaf(table[i], level)) free_table(table_at(table[i]), level - 1);
    free_page(reinterpret_cast<unsigned long>(table));
}

void flush_kernel_range_everywhere(pgd_t* pgd, unsigned long start, unsigned long end) {
    if (pgd == init_top_pgt && num_online_cpus() > 1) flush_tlb_kernel_range(start, end);
}

}  // namespace

Result<void> map_range(pgd_t* pgd, unsigned long va, phys_addr_t pa, size_t size, pgprot_t prot,
                       bool allow_large) {
    if ((va | pa | size) & (PAGE_SIZE - 1)) return Error{EINVAL};
    pteval_t flags = prot.val & __supported_pte_mask;
    while (size) {
        int level = pick_level(va, pa, size, allow_large);
        pteval_t* entry = TRY(walk_create(pgd, va, level));
        if (*entry & _PAGE_PRESENT) return Error{EEXIST};
        *entry = pa | flags | (level > 1 ? pteval_t(_PAGE_PSE) : 0);
        va += level_size(level);
        pa += level_size(level);
        size -= level_size(level);
    }
    return {};
}

void unmap_range(pgd_t* pgd, unsigned long va, size_t size) {
    unmap_range_noflush(pgd, va, size);
    flush_kernel_range_everywhere(pgd, va, va + size);
}

void unmap_range_noflush(pgd_t* pgd, unsigned long va, size_t size) {
    unsigned long end = va + size;
    while (va < end) {
        int level;
        pteval_t* entry = walk_leaf(pgd, va, &level);
        if (!entry) {
            va += PAGE_SIZE;
            continue;
        }
        BUG_ON((va & (level_size(level) - 1)) || end - va < level_size(level));  // would split a large page
        *entry = 0;
        flush_tlb_one_kernel(va);
        va += level_size(level);
    }
}

Result<void> protect_range(pgd_t* pgd, unsigned long va, size_t size, pgprot_t prot) {
    unsigned long end = va + size;
    pteval_t flags = prot.val & __supported_pte_mask;
    while (va < end) {
        int level;
        pteval_t* entry = walk_leaf(pgd, va, &level);
        if (!entry) return Error{EFAULT};
        if ((va & (level_size(level) - 1)) || end - va < level_size(level)) return Error{EINVAL};
        *entry = (*entry & PTE_PFN_MASK) | flags | (level > 1 ? pteval_t(_PAGE_PSE) : 0);
        flush_tlb_one_kernel(va);
        va += level_size(level);
    }
    flush_kernel_range_everywhere(pgd, end - size, end);
    return {};
}

pteval_t* lookup_address(pgd_t* pgd, unsigned long va, pg_level* level) {
    int leaf_level;
    pteval_t* entry = walk_leaf(pgd, va, &leaf_level);
    *level = entry ? to_pg_level(leaf_level) : PG_LEVEL_NONE;
    return entry;
}

Result<phys_addr_t> walk_virt_to_phys(pgd_t* pgd, unsigned long va) {
    int level;
    pteval_t* entry = walk_leaf(pgd, va, &level);
    if (!entry) return Error{EFAULT};
    unsigned long mask = level_size(level) - 1;
    // Large-page entries keep their address in the same bits, minus the offset bits.
    return (*entry & PTE_PFN_MASK & ~phys_addr_t(mask)) | (va & mask);
}

Result<pteval_t*> pte_alloc(pgd_t* pgd, unsigned long va) { return walk_create(pgd, va, 1); }

pteval_t* pte_lookup(pgd_t* pgd, unsigned long va, unsigned long* next) {
    pteval_t* table = &pgd->val;
    for (int level = 4; level > 1; level--) {
        pteval_t entry = table[pt_index(va, level)];
        if (!(entry & _PAGE_PRESENT) || (level < 4 && is_leaf(entry, level))) {
            *next = (va | (level_size(level) - 1)) + 1;
            return nullptr;
        }
        table = table_at(entry);
    }
    *next = va + PAGE_SIZE;
    return &table[pt_index(va, 1)];
}

void free_user_pgtables(pgd_t* pgd) {
    for (unsigned i = 0; i < USER_PTRS_PER_PGD; i++) {
        if (!(pgd[i].val & _PAGE_PRESENT)) continue;
        free_table(table_at(pgd[i].val), 3);
        pgd[i].val = 0;
    }
}

void preallocate_vmalloc_pages() {
    for (unsigned long va = VMALLOC_START; va - 1 < VMALLOC_END; va += level_size(4)) {
        pgd_t* entry = &init_top_pgt[pt_index(va, 4)];
        if (entry->val & _PAGE_PRESENT) continue;
        pteval_t* pud = pgtable_alloc();
        if (!pud) panic("Failed to pre-allocate the vmalloc area's page tables");
        entry->val = __pa(pud) | TABLE_FLAGS;
    }
}
