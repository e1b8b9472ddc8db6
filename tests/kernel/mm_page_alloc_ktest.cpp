// The buddy allocator on the machine's real memory: fragmentation and
// coalescing, zone restrictions, and the data surviving in allocated pages.
#include <mm/page_alloc.h>
#include <tests/kernel/ktest.h>

namespace {
constexpr unsigned N = 512;  // pages used by the fragmentation test (2 MiB)
page* pages[N];

void order0_round_trip(ktest* t) {
    page* p = alloc_page(GFP_KERNEL);
    KTEST_ASSERT_TRUE(t, p != nullptr);
    KTEST_EXPECT_EQ(t, page_count(p), 1);
    auto* mem = static_cast<unsigned long*>(page_address(p));
    for (unsigned i = 0; i < PAGE_SIZE / sizeof(long); i++) mem[i] = i ^ 0x5a5a;
    for (unsigned i = 0; i < PAGE_SIZE / sizeof(long); i++)
        if (mem[i] != (i ^ 0x5a5a)) KTEST_EXPECT_EQ(t, mem[i], i ^ 0x5a5a);
    __free_page(p);
    KTEST_EXPECT_EQ(t, page_count(p), 0);
}

// Fragments 2 MiB of order-0 pages, checks that freeing every other page gives
// back no pair, then that freeing the rest lets the blocks merge again.
void fragmentation_and_coalescing(ktest* t) {
    for (unsigned i = 0; i < N; i++) {
        pages[i] = alloc_page(GFP_KERNEL);
        KTEST_ASSERT_TRUE(t, pages[i] != nullptr);
    }
    unsigned long free_before = nr_free_pages();
    for (unsigned i = 0; i < N; i++)
        if (page_to_pfn(pages[i]) % 2 == 0) {
            __free_page(pages[i]);
            pages[i] = nullptr;
        }
    drain_all_pages(nullptr);
    KTEST_EXPECT_GT(t, nr_free_pages(), free_before);
    // The pages still held are odd pfns; their even buddies are free but
    // cannot have merged past order 0 while the odd halves are allocated.
    for (unsigned i = 0; i < N; i++)
        if (pages[i]) {
            page* buddy = pfn_to_page(page_to_pfn(pages[i]) ^ 1);
            if (PageBuddy(buddy)) KTEST_EXPECT_EQ(t, buddy->order, 0u);
        }
    for (unsigned i = 0; i < N; i++)
        if (pages[i]) __free_page(pages[i]);
    drain_all_pages(nullptr);
    page* big = alloc_pages(GFP_KERNEL, 8);
    KTEST_ASSERT_TRUE(t, big != nullptr);
    KTEST_EXPECT_EQ(t, page_to_pfn(big) % 256, 0ul);
    __free_pages(big, 8);
}

void zones_honour_gfp(ktest* t) {
    page* dma = alloc_page(GFP_DMA);
    KTEST_ASSERT_TRUE(t, dma != nullptr);
    KTEST_EXPECT_LT(t, page_to_phys(dma), 16ull << 20);
    page* dma32 = alloc_pages(GFP_DMA32, 2);
    KTEST_ASSERT_TRUE(t, dma32 != nullptr);
    KTEST_EXPECT_LT(t, page_to_phys(dma32), 4ull << 30);
    __free_page(dma);
    __free_pages(dma32, 2);
}

void zeroed_and_compound(ktest* t) {
    unsigned long va = get_zeroed_page(GFP_KERNEL);
    KTEST_ASSERT_TRUE(t, va != 0);
    bool zero = true;
    for (unsigned i = 0; i < PAGE_SIZE; i++) zero &= reinterpret_cast<char*>(va)[i] == 0;
    KTEST_EXPECT_TRUE(t, zero);
    free_page(va);
    page* head = alloc_pages(GFP_KERNEL | __GFP_COMP, 4);
    KTEST_ASSERT_TRUE(t, head != nullptr);
    KTEST_EXPECT_TRUE(t, compound_head(head + 9) == head);
    put_page(head);
}

void counters_are_consistent(ktest* t) {
    KTEST_EXPECT_TRUE(t, page_alloc_ready());
    KTEST_EXPECT_GT(t, totalram_pages(), 0ul);
    KTEST_EXPECT_LE(t, nr_free_pages(), totalram_pages());
    for_each_zone(z) {
        if (!populated_zone(z)) continue;
        KTEST_EXPECT_LE(t, z->managed_pages, z->present_pages);
        KTEST_EXPECT_LE(t, z->present_pages, z->spanned_pages);
        KTEST_EXPECT_LT(t, min_wmark_pages(z), high_wmark_pages(z));
    }
}

const ktest_case page_alloc_cases[] = {
    KTEST_CASE(order0_round_trip),
    KTEST_CASE(fragmentation_and_coalescing),
    KTEST_CASE(zones_honour_gfp),
    KTEST_CASE(zeroed_and_compound),
    KTEST_CASE(counters_are_consistent),
    {},
};
}  // namespace

KTEST_SUITE(mm_page_alloc, page_alloc_cases);
