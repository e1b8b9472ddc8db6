// memblock on the host: region merging and splitting, free-range iteration and
// the top-down allocator, checked against a brute-force model of the same map.
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <sys/mman.h>
#include <vector>
// Kernel headers last: their Linux-style macros (__init) would clash with libc's.
#include <asm/page_types.h>
#include <mm/memblock.h>

namespace {
constexpr phys_addr_t MiB = 1 << 20;

struct Memblock : ::testing::Test {
    void SetUp() override { memblock_reset(); }
    void TearDown() override { memblock_reset(); }
};

std::vector<memblock_region> regions(const memblock_type& t) {
    return std::vector<memblock_region>(t.regions, t.regions + t.cnt);
}

std::vector<std::pair<phys_addr_t, phys_addr_t>> free_ranges() {
    std::vector<std::pair<phys_addr_t, phys_addr_t>> v;
    phys_addr_t s, e;
    for_each_free_mem_range(i, &s, &e) v.push_back({s, e});
    return v;
}
}  // namespace

TEST_F(Memblock, AddMergesAdjacentAndOverlapping) {
    memblock_add(0x1000, 0x1000);
    memblock_add(0x3000, 0x1000);
    ASSERT_EQ(memblock.memory.cnt, 2u);
    memblock_add(0x2000, 0x1000);  // touches both: one region
    ASSERT_EQ(memblock.memory.cnt, 1u);
    EXPECT_EQ(memblock.memory.regions[0].base, 0x1000u);
    EXPECT_EQ(memblock.memory.regions[0].size, 0x3000u);
    memblock_add(0x1800, 0x10000);  // overlaps and extends
    ASSERT_EQ(memblock.memory.cnt, 1u);
    EXPECT_EQ(memblock.memory.regions[0].size, 0x10800u);
    EXPECT_EQ(memblock_phys_mem_size(), 0x10800u);
    memblock_add(0x100000, 0x1000);
    memblock_add(0x50000, 0x1000);  // goes in the middle, sorted
    ASSERT_EQ(memblock.memory.cnt, 3u);
    EXPECT_EQ(memblock.memory.regions[1].base, 0x50000u);
    EXPECT_EQ(memblock_start_of_DRAM(), 0x1000u);
    EXPECT_EQ(memblock_end_of_DRAM(), 0x101000u);
}

TEST_F(Memblock, RemoveTrimsAndSplits) {
    memblock_add(0, 16 * MiB);
    memblock_remove(4 * MiB, 1 * MiB);  // split
    auto r = regions(memblock.memory);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].size, 4 * MiB);
    EXPECT_EQ(r[1].base, 5 * MiB);
    EXPECT_EQ(r[1].size, 11 * MiB);
    memblock_remove(3 * MiB, 3 * MiB);  // trims both ends
    r = regions(memblock.memory);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].size, 3 * MiB);
    EXPECT_EQ(r[1].base, 6 * MiB);
    memblock_remove(0, 6 * MiB);  // swallows a whole region
    ASSERT_EQ(memblock.memory.cnt, 1u);
    EXPECT_EQ(memblock_phys_mem_size(), 10 * MiB);
}

TEST_F(Memblock, FreeRangesAreMemoryMinusReserved) {
    memblock_add(0x1000, 0x9e000);
    memblock_add(1 * MiB, 31 * MiB);
    memblock_reserve(0, 0x2000);           // straddles the start of memory
    memblock_reserve(2 * MiB, 1 * MiB);    // inside the second region
    memblock_reserve(0x80000, 0x100000);   // covers the end of the first and a gap
    auto f = free_ranges();
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[0], std::make_pair(phys_addr_t(0x2000), phys_addr_t(0x80000)));
    EXPECT_EQ(f[1], std::make_pair(phys_addr_t(0x180000), phys_addr_t(2 * MiB)));
    EXPECT_EQ(f[2], std::make_pair(phys_addr_t(3 * MiB), phys_addr_t(32 * MiB)));
    EXPECT_TRUE(memblock_is_reserved(0x1000));
    EXPECT_FALSE(memblock_is_reserved(0x2000));
    EXPECT_TRUE(memblock_is_memory(0x2000));
    EXPECT_FALSE(memblock_is_memory(0xa0000));
}

TEST_F(Memblock, AllocIsTopDownAlignedAndBelowLimit) {
    memblock_add(1 * MiB, 63 * MiB);
    memblock_set_current_limit(32 * MiB);
    phys_addr_t a = memblock_phys_alloc(0x3000, 0x1000);
    EXPECT_EQ(a, 32 * MiB - 0x3000);
    phys_addr_t b = memblock_phys_alloc(100, 2 * MiB);
    EXPECT_EQ(b % (2 * MiB), 0u);
    EXPECT_LT(b + 100, a + 1);
    EXPECT_TRUE(memblock_is_reserved(a));
    EXPECT_TRUE(memblock_is_reserved(b));
    EXPECT_EQ(memblock_reserved_size(), 0x3000u + 100);
    EXPECT_EQ(memblock_phys_alloc(64 * MiB, 0x1000), 0u);  // too big: fails with 0
    memblock_phys_free(a, 0x3000);
    EXPECT_EQ(memblock_phys_alloc(0x3000, 0x1000), a);  // the freed block comes back
}

TEST_F(Memblock, AllocSkipsReservedAndNeverReturnsZero) {
    memblock_add(0, 0x4000);
    memblock_reserve(0x2000, 0x2000);
    EXPECT_EQ(memblock_phys_alloc(0x1000, 0x1000), 0x1000u);
    EXPECT_EQ(memblock_phys_alloc(0x1000, 0x1000), 0u);  // only page 0 is left
}

TEST_F(Memblock, AllocZeroesThroughTheDirectMap) {
    static void* ram = mmap(nullptr, 4 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    ASSERT_NE(ram, MAP_FAILED);
    page_offset_base = reinterpret_cast<unsigned long>(ram);
    memset(ram, 0xaa, 4 * MiB);
    memblock_add(0x1000, 4 * MiB - 0x1000);
    auto* p = static_cast<unsigned char*>(memblock_alloc(0x2000, 0x1000));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p, static_cast<unsigned char*>(ram) + 4 * MiB - 0x2000);
    for (int i = 0; i < 0x2000; i++) ASSERT_EQ(p[i], 0) << i;
    EXPECT_EQ(memblock_alloc(8 * MiB, 0x1000), nullptr);
}

TEST_F(Memblock, OverflowingTheRegionArrayPanics) {
    EXPECT_DEATH(
        {
            for (phys_addr_t i = 0; i <= INIT_MEMBLOCK_REGIONS; i++) memblock_add(i * 0x2000, 0x1000);
        },
        "memory array is full");
}

TEST_F(Memblock, AllocAfterHandOverPanics) {
    memblock_add(1 * MiB, 1 * MiB);
    memblock_mark_handed_over();
    EXPECT_DEATH(memblock_phys_alloc(0x1000, 0x1000), "after memblock_free_all");
}

// Random adds/reserves/removes compared page by page with a set-based model.
TEST_F(Memblock, RandomOperationsMatchAModel) {
    std::mt19937 rng(42);
    std::set<phys_addr_t> mem, rsv;  // page numbers
    for (int step = 0; step < 400; step++) {
        phys_addr_t base = rng() % 256, size = 1 + rng() % 16;
        int op = rng() % 4;
        for (phys_addr_t pg = base; pg < base + size; pg++) {
            if (op == 0) mem.insert(pg);
            if (op == 1) mem.erase(pg);
            if (op == 2) rsv.insert(pg);
            if (op == 3) rsv.erase(pg);
        }
        if (op == 0) memblock_add(base << 12, size << 12);
        if (op == 1) memblock_remove(base << 12, size << 12);
        if (op == 2) memblock_reserve(base << 12, size << 12);
        if (op == 3) memblock_phys_free(base << 12, size << 12);

        ASSERT_EQ(memblock_phys_mem_size(), mem.size() << 12);
        ASSERT_EQ(memblock_reserved_size(), rsv.size() << 12);
        for (auto* t : {&memblock.memory, &memblock.reserved})
            for (unsigned long i = 1; i < t->cnt; i++)  // sorted, disjoint, not touching
                ASSERT_GT(t->regions[i].base, t->regions[i - 1].base + t->regions[i - 1].size);
        std::set<phys_addr_t> free_model, free_seen;
        for (phys_addr_t pg : mem)
            if (!rsv.count(pg)) free_model.insert(pg);
        for (auto [s, e] : free_ranges())
            for (phys_addr_t a = s; a < e; a += 0x1000) free_seen.insert(a >> 12);
        ASSERT_EQ(free_seen, free_model) << "step " << step;
    }
}
