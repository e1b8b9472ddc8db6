// The buddy allocator on the fake machine of mm_test_env.h.
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <string>
#include <vector>
// Kernel headers last: their Linux-style macros (__init) would clash with libc's.
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <tests/host/mm_test_env.h>

namespace {
zone* zone_of(zone_type t) { return &contig_page_data.node_zones[t]; }

std::vector<unsigned long> free_counts() {
    std::vector<unsigned long> v;
    for_each_zone(z) for (auto& a : z->free_area) v.push_back(a.nr_free);
    return v;
}

// Allocates order-0 pages with gfp until the allocator says no.
std::vector<page*> exhaust(gfp_t gfp) {
    std::vector<page*> v;
    while (page* p = alloc_pages(gfp | __GFP_NOWARN, 0)) v.push_back(p);
    return v;
}

struct Buddy : ::testing::Test {
    void SetUp() override { mm_test_boot(true); }
};
}  // namespace

TEST_F(Buddy, BootGivesFreeMemoryToTheRightZones) {
    EXPECT_TRUE(page_alloc_ready());
    EXPECT_EQ(zone_of(ZONE_DMA)->zone_start_pfn, 1u);
    EXPECT_EQ(zone_end_pfn(zone_of(ZONE_DMA)), PFN_DOWN(16 * MiB));
    EXPECT_EQ(zone_of(ZONE_NORMAL)->spanned_pages, PFN_DOWN(24 * MiB));
    // The struct page array (16384 pages * 32 bytes) came from memblock at the top.
    EXPECT_EQ(vmemmap_base, reinterpret_cast<unsigned long>(__va(FAKE_RAM - 512 * 1024)));
    unsigned long expect = PFN_DOWN(FAKE_RAM) - 1 - (256 - 159) - 512 - 128;
    EXPECT_EQ(totalram_pages(), expect);
    EXPECT_EQ(nr_free_pages(), expect);
    EXPECT_TRUE(PageReserved(pfn_to_page(PFN_DOWN(2 * MiB))));
    EXPECT_TRUE(PageReserved(pfn_to_page(0xa0)));  // hole
    EXPECT_FALSE(PageReserved(pfn_to_page(PFN_DOWN(8 * MiB))));
    // Most memory sits in max-order blocks from the start.
    EXPECT_GE(zone_of(ZONE_DMA32)->free_area[MAX_ORDER - 1].nr_free, 5u);
}

TEST_F(Buddy, SplitAndMergeRestoreEveryBlock) {
    drain_all_pages(nullptr);
    auto before = free_counts();
    unsigned long free_before = nr_free_pages();
    std::mt19937 rng(1);
    std::vector<std::pair<page*, unsigned>> held;
    while (true) {
        unsigned order = rng() % 6;
        page* p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
        if (!p) {
            if (order == 0) break;
            continue;
        }
        held.push_back({p, order});
    }
    EXPECT_EQ(nr_free_pages(), 0u);
    std::shuffle(held.begin(), held.end(), rng);
    for (auto [p, order] : held) __free_pages(p, order);
    drain_all_pages(nullptr);
    EXPECT_EQ(nr_free_pages(), free_before);
    EXPECT_EQ(free_counts(), before);
}

TEST_F(Buddy, FragmentationBlocksHigherOrdersUntilBuddiesReturn) {
    auto pages = exhaust(GFP_DMA);
    ASSERT_GT(pages.size(), 3000u);
    for (page* p : pages) ASSERT_EQ(page_zonenum(p), unsigned(ZONE_DMA));
    for (page* p : pages)
        if (page_to_pfn(p) % 2 == 0) __free_page(p);
    drain_all_pages(nullptr);
    EXPECT_GT(nr_free_pages(), 1000u);
    EXPECT_EQ(alloc_pages(GFP_DMA | __GFP_NOWARN, 1), nullptr);
    for (page* p : pages)
        if (page_to_pfn(p) % 2 == 1) __free_page(p);
    page* p = alloc_pages(GFP_DMA, 1);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(page_to_pfn(p) % 2, 0u);
    __free_pages(p, 1);
}

TEST_F(Buddy, ZoneFallbackGoesNormalThenDma32ThenDma) {
    auto pages = exhaust(GFP_KERNEL);
    EXPECT_EQ(pages.size(), totalram_pages());
    // A lower zone is touched only once the higher one is down to its low
    // watermark; the rest of it (and its per-CPU list) goes last, on the slow path.
    size_t first_in[MAX_NR_ZONES] = {};
    for (size_t i = pages.size(); i-- > 0;) first_in[page_zonenum(pages[i])] = i;
    unsigned long normal = zone_of(ZONE_NORMAL)->managed_pages;
    unsigned long dma32 = zone_of(ZONE_DMA32)->managed_pages;
    unsigned long slack = 0;
    for (zone_type t : {ZONE_NORMAL, ZONE_DMA32})
        slack += low_wmark_pages(zone_of(t)) + zone_of(t)->pcp[0].batch;
    EXPECT_EQ(first_in[ZONE_NORMAL], 0u);
    EXPECT_GE(first_in[ZONE_DMA32] + slack, normal);
    EXPECT_GE(first_in[ZONE_DMA] + slack, normal + dma32);
    for (page* p : pages) __free_page(p);
}

TEST_F(Buddy, DmaFlagsRestrictZones) {
    for (page* p : exhaust(GFP_DMA32)) {
        EXPECT_LE(page_zonenum(p), unsigned(ZONE_DMA32));
        EXPECT_LT(page_to_phys(p), 40 * MiB);
    }
    // Everything below 40 MiB is gone; GFP_DMA finds nothing, GFP_KERNEL still can.
    EXPECT_EQ(alloc_page(GFP_DMA | __GFP_NOWARN), nullptr);
    page* p = alloc_page(GFP_KERNEL);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(page_zonenum(p), unsigned(ZONE_NORMAL));
}

TEST_F(Buddy, LowmemReserveKeepsDmaFromNormalAllocations) {
    mm_test_boot(false);
    long reserve = zone_of(ZONE_DMA)->lowmem_reserve[ZONE_NORMAL];
    EXPECT_GT(reserve, 0);
    auto pages = exhaust(GFP_KERNEL);
    EXPECT_GT(zone_of(ZONE_DMA)->free_pages.load(memory_order::relaxed), reserve);
    // A GFP_DMA caller may still use what was kept back.
    page* p = alloc_page(GFP_DMA);
    EXPECT_NE(p, nullptr);
}

TEST_F(Buddy, WatermarksFollowMemorySize) {
    mm_test_boot(false);
    EXPECT_EQ(min_free_kbytes, 1000);  // int_sqrt(15646 pages * 4 KiB * 16)
    for_each_zone(z) {
        EXPECT_GT(min_wmark_pages(z), 0u) << z->name;
        EXPECT_LT(min_wmark_pages(z), low_wmark_pages(z));
        EXPECT_LT(low_wmark_pages(z), high_wmark_pages(z));
    }
    // GFP_KERNEL stops at min; GFP_ATOMIC may go further.
    auto pages = exhaust(GFP_KERNEL);
    page* p = alloc_page(GFP_ATOMIC);
    EXPECT_NE(p, nullptr);
}

TEST_F(Buddy, PerCpuListsRefillAndDrainInBatches) {
    zone* z = zone_of(ZONE_NORMAL);
    per_cpu_pages& pcp = z->pcp[0];
    ASSERT_EQ(pcp.count, 0);
    ASSERT_GE(pcp.batch, 1);
    EXPECT_EQ(pcp.high, 6 * pcp.batch);
    long free0 = z->free_pages.load(memory_order::relaxed);
    page* first = alloc_page(GFP_KERNEL);
    EXPECT_EQ(pcp.count, pcp.batch - 1);
    EXPECT_EQ(z->free_pages.load(memory_order::relaxed), free0 - pcp.batch);
    std::vector<page*> v{first};
    for (int i = 0; i < 3 * pcp.high; i++) v.push_back(alloc_page(GFP_KERNEL));
    for (page* p : v) {
        __free_page(p);
        ASSERT_LT(pcp.count, pcp.high);
    }
    EXPECT_GT(pcp.count, 0);
    // The most recently freed page is handed out first (it is cache-hot).
    page* again = alloc_page(GFP_KERNEL);
    EXPECT_EQ(again, v.back());
    __free_page(again);
    drain_all_pages(nullptr);
    EXPECT_EQ(pcp.count, 0);
    EXPECT_EQ(z->free_pages.load(memory_order::relaxed), free0);
}

TEST_F(Buddy, AddressHelpersAgree) {
    unsigned long va = __get_free_pages(GFP_KERNEL, 2);
    ASSERT_NE(va, 0u);
    page* p = virt_to_page(reinterpret_cast<void*>(va));
    EXPECT_EQ(page_address(p), reinterpret_cast<void*>(va));
    EXPECT_EQ(pfn_to_page(page_to_pfn(p)), p);
    EXPECT_EQ(page_to_phys(p), __pa(reinterpret_cast<void*>(va)));
    EXPECT_EQ(page_to_pfn(p) % 4, 0u);
    EXPECT_EQ(page_count(p), 1);
    free_pages(va, 2);
    EXPECT_EQ(page_count(p), 0);
}

TEST_F(Buddy, ZeroedPagesAreZero) {
    unsigned long va = __get_free_page(GFP_KERNEL);
    memset(reinterpret_cast<void*>(va), 0x5a, PAGE_SIZE);
    free_page(va);
    unsigned long z = get_zeroed_page(GFP_KERNEL);
    EXPECT_EQ(z, va);  // the same hot page, now cleared
    for (unsigned i = 0; i < PAGE_SIZE; i++) ASSERT_EQ(reinterpret_cast<char*>(z)[i], 0);
    page* big = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
    for (unsigned i = 0; i < PAGE_SIZE << 3; i++)
        ASSERT_EQ(static_cast<char*>(page_address(big))[i], 0);
}

TEST_F(Buddy, CompoundPagesAndRefcounts) {
    page* head = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
    ASSERT_NE(head, nullptr);
    EXPECT_TRUE(PageHead(head));
    EXPECT_EQ(compound_order(head), 3u);
    for (int i = 1; i < 8; i++) {
        EXPECT_TRUE(PageTail(head + i));
        EXPECT_EQ(compound_head(head + i), head);
    }
    auto* mid = static_cast<char*>(page_address(head)) + 5 * PAGE_SIZE + 17;
    EXPECT_EQ(virt_to_head_page(mid), head);
    get_page(head + 4);
    EXPECT_EQ(page_count(head + 2), 2);
    put_page(head + 1);
    EXPECT_EQ(page_count(head), 1);
    long before = nr_free_pages();
    put_page(head);  // the last reference frees all 8 pages
    EXPECT_EQ(long(nr_free_pages()), before + 8);
    EXPECT_FALSE(PageTail(head + 1));
}

TEST_F(Buddy, TooLargeOrderFails) {
    EXPECT_EQ(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER), nullptr);
    EXPECT_NE(alloc_pages(GFP_KERNEL, MAX_ORDER - 1), nullptr);
}

TEST_F(Buddy, BadFreesPanic) {
    page* p = alloc_page(GFP_KERNEL);
    __free_page(p);
    EXPECT_DEATH(__free_page(p), "double free");
    page* q = alloc_pages(GFP_KERNEL, 2);
    EXPECT_DEATH(__free_pages(q, 1), "different order");
    EXPECT_DEATH(__free_page(pfn_to_page(PFN_DOWN(2 * MiB))), "reserved page");
    page* c = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
    EXPECT_DEATH(__free_page(c + 1), "tail page");
    page* b = alloc_pages(GFP_KERNEL, 3);
    __free_pages(b, 3);
    EXPECT_DEATH(__free_pages(b, 3), "double free");
}

TEST_F(Buddy, BuddyinfoAndZoneinfoFormats) {
    char buf[4096];
    size_t n = buddyinfo_show(buf, sizeof(buf));
    std::string s(buf, n);
    EXPECT_EQ(s.rfind("Node 0, zone      DMA ", 0), 0u) << s;
    EXPECT_NE(s.find("\nNode 0, zone    DMA32 "), std::string::npos) << s;
    EXPECT_NE(s.find("\nNode 0, zone   Normal "), std::string::npos) << s;
    EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 3);
    n = zoneinfo_show(buf, sizeof(buf));
    s.assign(buf, n);
    EXPECT_NE(s.find("Node 0, zone   Normal\n  pages free     "), std::string::npos) << s;
    EXPECT_NE(s.find("        managed  "), std::string::npos);
    EXPECT_NE(s.find("protection: (0, 0, 0)"), std::string::npos);
}

// Random allocations and frees of mixed orders against a shadow map: blocks
// never overlap, and what a block holds survives until it is freed.
TEST_F(Buddy, StressAgainstAShadowMap) {
    std::mt19937 rng(7);
    std::map<unsigned long, std::pair<unsigned, unsigned char>> live;  // pfn -> order, fill
    unsigned long free0 = nr_free_pages();
    for (int step = 0; step < 20000; step++) {
        if (live.empty() || rng() % 100 < 55) {
            unsigned order = rng() % 100 < 70 ? 0 : rng() % 5;
            gfp_t gfp = rng() % 10 == 0 ? GFP_DMA : GFP_KERNEL;
            page* p = alloc_pages(gfp | __GFP_NOWARN, order);
            if (!p) continue;
            unsigned long pfn = page_to_pfn(p);
            ASSERT_EQ(pfn % (1ul << order), 0u);
            auto next = live.lower_bound(pfn);
            if (next != live.end()) ASSERT_GE(next->first, pfn + (1ul << order));
            if (next != live.begin()) {
                auto prev = std::prev(next);
                ASSERT_LE(prev->first + (1ul << prev->second.first), pfn);
            }
            auto fill = static_cast<unsigned char>(rng());
            memset(page_address(p), fill, PAGE_SIZE << order);
            live[pfn] = {order, fill};
        } else {
            auto it = live.begin();
            std::advance(it, rng() % live.size());
            auto* data = static_cast<unsigned char*>(page_address(pfn_to_page(it->first)));
            for (unsigned long i = 0; i < (PAGE_SIZE << it->second.first); i += 512)
                ASSERT_EQ(data[i], it->second.second);
            __free_pages(pfn_to_page(it->first), it->second.first);
            live.erase(it);
        }
    }
    for (auto& [pfn, v] : live) __free_pages(pfn_to_page(pfn), v.first);
    drain_all_pages(nullptr);
    EXPECT_EQ(nr_free_pages(), free0);
}
