// vmalloc on the real page tables: areas are virtually contiguous over
// scattered pages, guarded, and gone from the page tables after vfree.
#include <mm/vmalloc.h>
#include <mm/page_alloc.h>
#include <tests/kernel/ktest.h>

namespace {
void vmalloc_maps_and_vfree_unmaps(ktest* t) {
    constexpr unsigned long SIZE = 64 * PAGE_SIZE;
    auto* p = static_cast<unsigned long*>(vmalloc(SIZE));
    KTEST_ASSERT_TRUE(t, p != nullptr);
    KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
    for (unsigned long i = 0; i < SIZE / sizeof(long); i++) p[i] = i;
    unsigned long sum = 0;
    for (unsigned long i = 0; i < SIZE / sizeof(long); i++) sum += p[i];
    KTEST_EXPECT_EQ(t, sum, (SIZE / sizeof(long)) * (SIZE / sizeof(long) - 1) / 2);
    auto va = reinterpret_cast<unsigned long>(p);
    // The guard page after the area is not mapped.
    KTEST_EXPECT_TRUE(t, walk_virt_to_phys(init_top_pgt, va + SIZE).is_error());
    vfree(p);
    for (unsigned long off = 0; off < SIZE; off += PAGE_SIZE) {
        auto r = walk_virt_to_phys(init_top_pgt, va + off);
        KTEST_EXPECT_TRUE(t, r.is_error());
        if (r.is_error()) KTEST_EXPECT_EQ(t, r.error(), EFAULT);
    }
}

// vmap of pages taken in reverse pfn order: virtually contiguous, physically not.
void vmap_joins_scattered_pages(ktest* t) {
    constexpr unsigned N = 8;
    page* pages[N];
    for (unsigned i = 0; i < N; i++) {
        pages[i] = alloc_page(GFP_KERNEL);
        KTEST_ASSERT_TRUE(t, pages[i] != nullptr);
        *static_cast<unsigned*>(page_address(pages[i])) = 1000 + i;
    }
    for (unsigned i = 0; i < N / 2; i++) {
        page* tmp = pages[i];
        pages[i] = pages[N - 1 - i];
        pages[N - 1 - i] = tmp;
    }
    auto* v = static_cast<char*>(vmap(pages, N, 0, PAGE_KERNEL));
    KTEST_ASSERT_TRUE(t, v != nullptr);
    for (unsigned i = 0; i < N; i++) {
        KTEST_EXPECT_EQ(t, *reinterpret_cast<unsigned*>(v + i * PAGE_SIZE), 1000 + (N - 1 - i));
        KTEST_EXPECT_TRUE(t, vmalloc_to_page(v + i * PAGE_SIZE) == pages[i]);
    }
    vunmap(v);
    KTEST_EXPECT_TRUE(t, walk_virt_to_phys(init_top_pgt, reinterpret_cast<unsigned long>(v)).is_error());
    for (page* p : pages) __free_page(p);  // vunmap left the pages to us
}

void areas_do_not_overlap(ktest* t) {
    void* a = vmalloc(3 * PAGE_SIZE);
    void* b = vzalloc(PAGE_SIZE + 1);
    KTEST_ASSERT_TRUE(t, a && b);
    auto ea = reinterpret_cast<unsigned long>(a), eb = reinterpret_cast<unsigned long>(b);
    KTEST_EXPECT_TRUE(t, eb >= ea + 4 * PAGE_SIZE || ea >= eb + 3 * PAGE_SIZE);
    KTEST_EXPECT_EQ(t, static_cast<char*>(b)[PAGE_SIZE], 0);
    vm_struct* area = find_vm_area(b);
    KTEST_ASSERT_TRUE(t, area != nullptr);
    KTEST_EXPECT_EQ(t, get_vm_area_size(area), 2 * PAGE_SIZE);
    vfree(a);
    vfree(b);
    vfree(nullptr);
}

// Maps a RAM page uncached next to its cached direct-map alias: fine under
// QEMU, and the only memory a test can be sure exists.
void ioremap_keeps_offset(ktest* t) {
    page* p = alloc_page(GFP_KERNEL);
    KTEST_ASSERT_TRUE(t, p != nullptr);
    static_cast<char*>(page_address(p))[0x123] = 0x42;
    auto* io = static_cast<volatile char*>(ioremap(page_to_phys(p) + 0x123, 16));
    KTEST_ASSERT_TRUE(t, io != nullptr);
    KTEST_EXPECT_EQ(t, reinterpret_cast<unsigned long>(io) & (PAGE_SIZE - 1), 0x123ul);
    KTEST_EXPECT_EQ(t, io[0], 0x42);
    iounmap(const_cast<char*>(io));
    __free_page(p);
}

const ktest_case vmalloc_cases[] = {
    KTEST_CASE(vmalloc_maps_and_vfree_unmaps),
    KTEST_CASE(vmap_joins_scattered_pages),
    KTEST_CASE(areas_do_not_overlap),
    KTEST_CASE(ioremap_keeps_offset),
    {},
};
}  // namespace

KTEST_SUITE(mm_vmalloc, vmalloc_cases);
