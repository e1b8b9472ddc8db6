// The page-table API on real hardware paging: a private top-level table for the
// bookkeeping (nothing else sees it), and one live mapping in init_top_pgt that
// the CPU actually walks — written, write-protected, unmapped — with the faults
// that follows caught through the exception table.
#include <asm/pgtable.h>
#include <asm/uaccess.h>
#include <mm/page_alloc.h>
#include <tests/kernel/ktest.h>

namespace {

// Far above anything vmalloc hands out during boot and tests.
constexpr unsigned long TEST_VA = VMALLOC_END + 1 - (64ul << 20);

pgd_t* new_pgd() { return reinterpret_cast<pgd_t*>(get_zeroed_page(GFP_KERNEL)); }

// Frees a private table tree (not the pages it maps).
void free_tables(pteval_t* table, int level) {
    for (int i = 0; level > 1 && i < 512; i++) {
        pteval_t e = table[i];
        if ((e & _PAGE_PRESENT) && !(e & _PAGE_PSE))
            free_tables(static_cast<pteval_t*>(__va(e & PTE_PFN_MASK)), level - 1);
    }
    free_page(reinterpret_cast<unsigned long>(table));
}

void map_walk_unmap(ktest* t) {
    pgd_t* pgd = new_pgd();
    KTEST_ASSERT_TRUE(t, pgd != nullptr);
    unsigned long va = 0x0000400000001000ul;
    phys_addr_t pa = 0x1234000;
    KTEST_ASSERT_TRUE(t, !map_range(pgd, va, pa, 3 * PAGE_SIZE, PAGE_KERNEL).is_error());
    for (int i = 0; i < 3; i++) {
        auto r = walk_virt_to_phys(pgd, va + i * PAGE_SIZE + 0x10);
        KTEST_ASSERT_TRUE(t, !r.is_error());
        KTEST_EXPECT_EQ(t, r.value(), pa + i * PAGE_SIZE + 0x10);
    }
    pg_level level;
    pteval_t* pte = lookup_address(pgd, va, &level);
    KTEST_ASSERT_TRUE(t, pte != nullptr);
    KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
    KTEST_EXPECT_TRUE(t, (*pte & _PAGE_RW) != 0);
    KTEST_EXPECT_TRUE(t, walk_virt_to_phys(pgd, va + 3 * PAGE_SIZE).is_error());
    unmap_range(pgd, va + PAGE_SIZE, PAGE_SIZE);
    KTEST_EXPECT_TRUE(t, walk_virt_to_phys(pgd, va + PAGE_SIZE).is_error());
    KTEST_EXPECT_FALSE(t, walk_virt_to_phys(pgd, va).is_error());
    KTEST_EXPECT_FALSE(t, walk_virt_to_phys(pgd, va + 2 * PAGE_SIZE).is_error());
    free_tables(&pgd->val, 4);
}

void large_pages_and_errors(ktest* t) {
    pgd_t* pgd = new_pgd();
    KTEST_ASSERT_TRUE(t, pgd != nullptr);
    unsigned long va = 0x0000200000000000ul;
    // 2 MiB-aligned and 4 MiB long: two PMD leaves; the 4 KiB tail is a PTE.
    KTEST_ASSERT_TRUE(t, !map_range(pgd, va, 0x40000000, (4ul << 20) + PAGE_SIZE, PAGE_KERNEL, true).is_error());
    pg_level level;
    KTEST_EXPECT_TRUE(t, lookup_address(pgd, va + (1ul << 20), &level) != nullptr);
    KTEST_EXPECT_EQ(t, level, PG_LEVEL_2M);
    KTEST_EXPECT_EQ(t, walk_virt_to_phys(pgd, va + (3ul << 20) + 5).value(), 0x40000000ul + (3ul << 20) + 5);
    KTEST_EXPECT_TRUE(t, lookup_address(pgd, va + (4ul << 20), &level) != nullptr);
    KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
    // Mapping over an existing mapping, or unaligned, is refused.
    auto again = map_range(pgd, va + PAGE_SIZE, 0x5000000, PAGE_SIZE, PAGE_KERNEL);
    KTEST_EXPECT_TRUE(t, again.is_error() && again.error() == EEXIST);
    auto unaligned = map_range(pgd, va + 12, 0, PAGE_SIZE, PAGE_KERNEL);
    KTEST_EXPECT_TRUE(t, unaligned.is_error() && unaligned.error() == EINVAL);
    // Protection changes need whole leaves and existing mappings.
    auto partial = protect_range(pgd, va, PAGE_SIZE, PAGE_KERNEL_RO);
    KTEST_EXPECT_TRUE(t, partial.is_error() && partial.error() == EINVAL);
    auto missing = protect_range(pgd, va + (8ul << 20), PAGE_SIZE, PAGE_KERNEL_RO);
    KTEST_EXPECT_TRUE(t, missing.is_error() && missing.error() == EFAULT);
    KTEST_EXPECT_FALSE(t, protect_range(pgd, va, 2ul << 20, PAGE_KERNEL_RO).is_error());
    KTEST_EXPECT_EQ(t, *lookup_address(pgd, va, &level) & _PAGE_RW, 0ul);
    free_tables(&pgd->val, 4);
}

void live_mapping_faults_as_mapped(ktest* t) {
    page* pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
    KTEST_ASSERT_TRUE(t, pg != nullptr);
    auto* direct = static_cast<unsigned long*>(page_address(pg));
    auto* alias = reinterpret_cast<unsigned long*>(TEST_VA);
    KTEST_ASSERT_TRUE(t, !map_range(init_top_pgt, TEST_VA, page_to_phys(pg), PAGE_SIZE, PAGE_KERNEL).is_error());

    unsigned long v = 0xfeedface;
    KTEST_EXPECT_EQ(t, copy_to_kernel_nofault(alias, &v, sizeof(v)), 0);
    KTEST_EXPECT_EQ(t, direct[0], 0xfeedfaceul);  // same physical page

    KTEST_EXPECT_FALSE(t, protect_range(init_top_pgt, TEST_VA, PAGE_SIZE, PAGE_KERNEL_RO).is_error());
    v = 1;
    KTEST_EXPECT_EQ(t, copy_to_kernel_nofault(alias, &v, sizeof(v)), -EFAULT);  // CR0.WP at work
    KTEST_EXPECT_EQ(t, direct[0], 0xfeedfaceul);
    unsigned long r = 0;
    KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&r, alias, sizeof(r)), 0);
    KTEST_EXPECT_EQ(t, r, 0xfeedfaceul);

    unmap_range(init_top_pgt, TEST_VA, PAGE_SIZE);
    KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&r, alias, sizeof(r)), -EFAULT);  // TLB flushed
    __free_page(pg);
}

void kernel_image_permissions(ktest* t) {
    pg_level level;
    auto text = reinterpret_cast<unsigned long>(&map_walk_unmap);
    pteval_t* e = lookup_address(init_top_pgt, text, &level);
    KTEST_ASSERT_TRUE(t, e != nullptr);
    KTEST_EXPECT_EQ(t, *e & _PAGE_RW, 0ul);
    KTEST_EXPECT_EQ(t, *e & _PAGE_NX, 0ul);
    static const int ro = 1;
    e = lookup_address(init_top_pgt, reinterpret_cast<unsigned long>(&ro), &level);
    KTEST_ASSERT_TRUE(t, e != nullptr);
    KTEST_EXPECT_EQ(t, *e & _PAGE_RW, 0ul);
    KTEST_EXPECT_EQ(t, *e & _PAGE_NX, _PAGE_NX & __supported_pte_mask);
    // The identity map of low memory is gone: NULL is unmapped.
    KTEST_EXPECT_TRUE(t, lookup_address(init_top_pgt, 0, &level) == nullptr);
}

const ktest_case pgtable_cases[] = {
    KTEST_CASE(map_walk_unmap),
    KTEST_CASE(large_pages_and_errors),
    KTEST_CASE(live_mapping_faults_as_mapped),
    KTEST_CASE(kernel_image_permissions),
    {},
};

}  // namespace

KTEST_SUITE(pgtable, pgtable_cases);
