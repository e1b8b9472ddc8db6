// e820__update_table must turn any firmware map into sorted, disjoint, merged
// ranges where the more restrictive type wins overlaps (as Linux does).
#include <asm/e820.h>
#include <gtest/gtest.h>
#include <random>
#include <vector>

bool operator==(const e820_entry& a, const e820_entry& b) {
    return a.addr == b.addr && a.size == b.size && a.type == b.type;
}

namespace {

e820_table make(std::initializer_list<e820_entry> entries) {
    e820_table t{};
    for (auto& e : entries) t.entries[t.nr_entries++] = e;
    return t;
}

std::vector<e820_entry> entries(const e820_table& t) { return {t.entries, t.entries + t.nr_entries}; }

constexpr auto RAM = E820_TYPE_RAM, RES = E820_TYPE_RESERVED, ACPI = E820_TYPE_ACPI;

}  // namespace

TEST(E820, SortsUnsortedEntries) {
    auto t = make({{0x100000, 0x100000, RAM}, {0, 0x9f000, RAM}, {0xf0000, 0x10000, RES}});
    e820__update_table(&t);
    std::vector<e820_entry> want = {{0, 0x9f000, RAM}, {0xf0000, 0x10000, RES}, {0x100000, 0x100000, RAM}};
    EXPECT_EQ(entries(t), want);
}

TEST(E820, MergesAdjacentSameType) {
    auto t = make({{0, 0x1000, RAM}, {0x1000, 0x1000, RAM}, {0x2000, 0x1000, RES}});
    e820__update_table(&t);
    std::vector<e820_entry> want = {{0, 0x2000, RAM}, {0x2000, 0x1000, RES}};
    EXPECT_EQ(entries(t), want);
}

TEST(E820, ReservedWinsOverlapWithRam) {
    auto t = make({{0, 0x10000, RAM}, {0x4000, 0x2000, RES}});
    e820__update_table(&t);
    std::vector<e820_entry> want = {{0, 0x4000, RAM}, {0x4000, 0x2000, RES}, {0x6000, 0xa000, RAM}};
    EXPECT_EQ(entries(t), want);
}

TEST(E820, HigherTypeWinsPartialOverlap) {
    auto t = make({{0x1000, 0x3000, ACPI}, {0, 0x2000, RES}});
    e820__update_table(&t);
    std::vector<e820_entry> want = {{0, 0x1000, RES}, {0x1000, 0x3000, ACPI}};
    EXPECT_EQ(entries(t), want);
}

TEST(E820, DropsEmptyAndWrappingEntriesAndKeepsHoles) {
    auto t = make({{0x5000, 0, RAM}, {~0ull - 0xfff, 0x2000, RAM}, {0, 0x1000, RAM}, {0x3000, 0x1000, RAM}});
    e820__update_table(&t);
    std::vector<e820_entry> want = {{0, 0x1000, RAM}, {0x3000, 0x1000, RAM}};
    EXPECT_EQ(entries(t), want);
}

TEST(E820, DuplicatesCollapse) {
    auto t = make({{0, 0x1000, RAM}, {0, 0x1000, RAM}, {0, 0x1000, RAM}});
    e820__update_table(&t);
    std::vector<e820_entry> want = {{0, 0x1000, RAM}};
    EXPECT_EQ(entries(t), want);
}

TEST(E820, RangeRemoveSplitsAndTrims) {
    auto t = make({{0, 0x10000, RAM}, {0x10000, 0x1000, RES}});
    e820__range_remove(&t, 0x4000, 0x2000, RAM);
    std::vector<e820_entry> want = {{0, 0x4000, RAM}, {0x6000, 0xa000, RAM}, {0x10000, 0x1000, RES}};
    EXPECT_EQ(entries(t), want);
    e820__range_remove(&t, 0x8000, ~0ull - 0x8000, RAM);  // mem=32K: only RAM is cut
    want = {{0, 0x4000, RAM}, {0x6000, 0x2000, RAM}, {0x10000, 0x1000, RES}};
    EXPECT_EQ(entries(t), want);
}

// Property test: for random maps, the sanitized table is sorted, disjoint,
// merged, and every address has the highest type any input range gave it.
TEST(E820, RandomMapsMatchPerAddressOracle) {
    std::mt19937_64 rng(42);
    for (int iter = 0; iter < 500; iter++) {
        e820_table t{};
        int n = 1 + rng() % 12;
        for (int i = 0; i < n; i++) {
            u64 addr = (rng() % 64) * 0x1000, size = (rng() % 16) * 0x1000;
            t.entries[t.nr_entries++] = {addr, size, e820_type(1 + rng() % 4)};
        }
        e820_table in = t;
        e820__update_table(&t);
        for (unsigned i = 0; i + 1 < t.nr_entries; i++) {
            const auto &a = t.entries[i], &b = t.entries[i + 1];
            ASSERT_LE(a.addr + a.size, b.addr);
            ASSERT_FALSE(a.addr + a.size == b.addr && a.type == b.type) << "unmerged neighbours";
        }
        for (u64 page = 0; page < 80; page++) {
            u64 addr = page * 0x1000;
            u32 want = 0;
            for (unsigned i = 0; i < in.nr_entries; i++)
                if (in.entries[i].addr <= addr && addr < in.entries[i].addr + in.entries[i].size)
                    want = std::max<u32>(want, in.entries[i].type);
            u32 got = 0;
            for (unsigned i = 0; i < t.nr_entries; i++)
                if (t.entries[i].addr <= addr && addr < t.entries[i].addr + t.entries[i].size) got = t.entries[i].type;
            ASSERT_EQ(got, want) << "address " << addr << " iteration " << iter;
        }
    }
}
