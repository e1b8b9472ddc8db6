// lib/bitmap: edge cases at word boundaries (bits 0, 63, 64, 127, ...) and a
// randomized comparison of every operation against a std::vector<bool> model.
#include <gtest/gtest.h>
#include <random>
#include <vector>

// Keel headers after the C library: keel/compiler.h defines short names
// (__init, __always_inline) that glibc uses as identifiers.
#include <lib/bitmap.h>

namespace {

constexpr unsigned long kBits = 200;  // 3 full words + a partial one
constexpr unsigned long kWords = BITS_TO_LONGS(kBits);
constexpr unsigned long kBoundaries[] = {0, 1, 62, 63, 64, 65, 127, 128, 129, 191, 192, 199};

static_assert(BITS_PER_LONG == 64);
static_assert(BITS_TO_LONGS(0) == 0 && BITS_TO_LONGS(1) == 1 && BITS_TO_LONGS(64) == 1 &&
              BITS_TO_LONGS(65) == 2);

// Reference model: naive per-bit loops over a vector<bool>.
struct Model {
    std::vector<bool> bits = std::vector<bool>(kBits, false);
    unsigned long next(unsigned long off, bool value, unsigned long size = kBits) const {
        for (unsigned long i = off; i < size; i++)
            if (bits[i] == value) return i;
        return size;
    }
};

void expect_same(const unsigned long* map, const Model& m) {
    for (unsigned long i = 0; i < kBits; i++) ASSERT_EQ(test_bit(i, map), m.bits[i]) << "bit " << i;
}

TEST(LibBitmap, Macros) {
    DECLARE_BITMAP(map, 65);
    static_assert(sizeof(map) == 2 * sizeof(unsigned long));
    EXPECT_EQ(BIT_WORD(63), 0);
    EXPECT_EQ(BIT_WORD(64), 1);
    EXPECT_EQ(BIT_MASK(64), 1UL);
    EXPECT_EQ(BIT_MASK(63), 1UL << 63);
}

TEST(LibBitmap, SingleBitsAtBoundaries) {
    DECLARE_BITMAP(map, kBits);
    bitmap_zero(map, kBits);
    for (unsigned long b : kBoundaries) {
        EXPECT_FALSE(test_bit(b, map));
        set_bit(b, map);
        EXPECT_TRUE(test_bit(b, map));
    }
    EXPECT_EQ(map[0], 0x3UL | (3UL << 62));
    EXPECT_EQ(map[1], 0x3UL | (1UL << 63));
    EXPECT_EQ(map[2], 0x3UL | (1UL << 63));
    EXPECT_EQ(map[3], 0x1UL | (1UL << 7));
    EXPECT_EQ(bitmap_weight(map, kBits), std::size(kBoundaries));
    for (unsigned long b : kBoundaries) {
        clear_bit(b, map);
        EXPECT_FALSE(test_bit(b, map));
    }
    EXPECT_TRUE(bitmap_empty(map, kBits));
}

TEST(LibBitmap, TestAndSetClearChange) {
    DECLARE_BITMAP(map, 128) = {};
    EXPECT_FALSE(test_and_set_bit(64, map));
    EXPECT_TRUE(test_and_set_bit(64, map));
    EXPECT_TRUE(test_and_clear_bit(64, map));
    EXPECT_FALSE(test_and_clear_bit(64, map));
    EXPECT_FALSE(__test_and_set_bit(127, map));
    EXPECT_TRUE(__test_and_set_bit(127, map));
    EXPECT_TRUE(__test_and_clear_bit(127, map));
    EXPECT_FALSE(__test_and_clear_bit(127, map));
    change_bit(3, map);
    __change_bit(70, map);
    EXPECT_EQ(map[0], 8UL);
    EXPECT_EQ(map[1], 1UL << 6);
    change_bit(3, map);
    __change_bit(70, map);
    __set_bit(0, map);
    __set_bit(63, map);
    EXPECT_EQ(map[0], 1UL | (1UL << 63));
    __clear_bit(63, map);
    EXPECT_EQ(map[0], 1UL);
    EXPECT_EQ(map[1], 0UL);
}

TEST(LibBitmap, Hweight) {
    EXPECT_EQ(hweight_long(0), 0u);
    EXPECT_EQ(hweight_long(~0UL), 64u);
    EXPECT_EQ(hweight_long(1UL << 63), 1u);
    EXPECT_EQ(hweight_long(0x5555555555555555UL), 32u);
    EXPECT_EQ(hweight_long(0xf0f0UL), 8u);
}

TEST(LibBitmap, FindOnEmptyAndFull) {
    DECLARE_BITMAP(map, kBits);
    bitmap_zero(map, kBits);
    EXPECT_EQ(find_first_bit(map, kBits), kBits);
    EXPECT_EQ(find_first_zero_bit(map, kBits), 0UL);
    EXPECT_EQ(find_last_bit(map, kBits), kBits);
    bitmap_fill(map, kBits);
    EXPECT_TRUE(bitmap_full(map, kBits));
    EXPECT_EQ(find_first_zero_bit(map, kBits), kBits);
    EXPECT_EQ(find_first_bit(map, kBits), 0UL);
    EXPECT_EQ(find_last_bit(map, kBits), kBits - 1);
    EXPECT_EQ(bitmap_weight(map, kBits), kBits);
    // Size 0 and offsets at or past size find nothing.
    EXPECT_EQ(find_first_bit(map, 0), 0UL);
    EXPECT_EQ(find_next_bit(map, kBits, kBits), kBits);
    EXPECT_EQ(find_next_bit(map, kBits, kBits + 100), kBits);
    EXPECT_EQ(find_last_bit(map, 0), 0UL);
}

TEST(LibBitmap, FindIgnoresBitsBeyondSize) {
    // Garbage in the tail of the last word must not be reported.
    unsigned long map[2] = {0, ~0UL << 8};  // bits 72.. set
    EXPECT_EQ(find_first_bit(map, 72), 72UL);
    EXPECT_EQ(find_first_bit(map, 73), 72UL);
    EXPECT_EQ(find_first_bit(map, 70), 70UL);  // a hit past size is clamped to size
    EXPECT_EQ(find_next_bit(map, 66, 65), 66UL);
    EXPECT_EQ(find_last_bit(map, 72), 72UL);
    EXPECT_EQ(bitmap_weight(map, 72), 0UL);
    EXPECT_EQ(bitmap_weight(map, 74), 2UL);
    unsigned long ones[2] = {~0UL, 0xffUL};  // bits 0..71 set, beyond clear
    EXPECT_EQ(find_first_zero_bit(ones, 72), 72UL);
    EXPECT_EQ(find_first_zero_bit(ones, 64), 64UL);
    unsigned long low[2] = {~0UL, 0x1UL};  // bits 0..64 set, 65.. clear
    EXPECT_EQ(find_first_zero_bit(low, 65), 65UL);
    EXPECT_EQ(find_next_zero_bit(low, 65, 3), 65UL);
    EXPECT_TRUE(bitmap_full(ones, 72));
    EXPECT_FALSE(bitmap_full(ones, 73));
}

TEST(LibBitmap, FindNextAcrossWords) {
    DECLARE_BITMAP(map, kBits);
    bitmap_zero(map, kBits);
    __set_bit(63, map);
    __set_bit(64, map);
    __set_bit(190, map);
    EXPECT_EQ(find_next_bit(map, kBits, 0), 63UL);
    EXPECT_EQ(find_next_bit(map, kBits, 63), 63UL);
    EXPECT_EQ(find_next_bit(map, kBits, 64), 64UL);
    EXPECT_EQ(find_next_bit(map, kBits, 65), 190UL);
    EXPECT_EQ(find_next_bit(map, 190, 65), 190UL);  // 190 is not < size 190
    EXPECT_EQ(find_last_bit(map, kBits), 190UL);
    EXPECT_EQ(find_last_bit(map, 190), 64UL);
    EXPECT_EQ(find_last_bit(map, 64), 63UL);
    unsigned long bit, seen = 0;
    for_each_set_bit(bit, map, kBits) seen += bit;
    EXPECT_EQ(seen, 63UL + 64 + 190);
    unsigned long clear = 0;
    for_each_clear_bit(bit, map, kBits) clear++;
    EXPECT_EQ(clear, kBits - 3);
}

TEST(LibBitmap, SetClearRangesAtBoundaries) {
    // Every (start, len) over a span that crosses three word boundaries.
    for (unsigned long start = 0; start < 140; start++) {
        for (unsigned long len = 0; start + len <= kBits; len += (len < 70 ? 1 : 13)) {
            DECLARE_BITMAP(map, kBits);
            bitmap_zero(map, kBits);
            bitmap_set(map, start, len);
            for (unsigned long i = 0; i < kBits; i++)
                ASSERT_EQ(test_bit(i, map), i >= start && i < start + len)
                    << "set start=" << start << " len=" << len << " bit " << i;
            ASSERT_EQ(bitmap_weight(map, kBits), len);
            bitmap_fill(map, kBits);
            bitmap_clear(map, start, len);
            for (unsigned long i = 0; i < kBits; i++)
                ASSERT_EQ(test_bit(i, map), !(i >= start && i < start + len))
                    << "clear start=" << start << " len=" << len << " bit " << i;
        }
    }
}

TEST(LibBitmap, RangeOpsDoNotTouchNeighbourWords) {
    unsigned long map[4] = {0, 0, 0, 0};
    bitmap_set(map + 1, 0, 64);
    EXPECT_EQ(map[0], 0UL);
    EXPECT_EQ(map[1], ~0UL);
    EXPECT_EQ(map[2], 0UL);
    unsigned long full[4] = {~0UL, ~0UL, ~0UL, ~0UL};
    bitmap_clear(full + 1, 64, 64);
    EXPECT_EQ(full[1], ~0UL);
    EXPECT_EQ(full[2], 0UL);
    EXPECT_EQ(full[3], ~0UL);
}

TEST(LibBitmap, FindNextZeroArea) {
    DECLARE_BITMAP(map, 256);
    bitmap_zero(map, 256);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 10, 0), 0UL);
    bitmap_set(map, 0, 5);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 10, 0), 5UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 10, 7), 8UL);  // aligned to 8
    bitmap_set(map, 12, 1);                                          // spoils [8, 18)
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 10, 7), 16UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 7, 0), 5UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 8, 0), 13UL);
    // An area straddling a word boundary.
    bitmap_zero(map, 256);
    bitmap_set(map, 0, 60);
    bitmap_set(map, 70, 186);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 10, 0), 60UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 11, 0), 256UL);  // no room: size
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 8, 63), 256UL);  // 64 aligned: no
    // An area that would fit only past the end fails.
    bitmap_zero(map, 256);
    bitmap_set(map, 0, 250);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 6, 0), 250UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 0, 7, 0), 256UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 100, 0, 1, 0), 100UL);
    // start skips free space before it.
    bitmap_zero(map, 256);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 100, 4, 0), 100UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 100, 4, 63), 128UL);
    EXPECT_EQ(bitmap_find_next_zero_area(map, 256, 256, 1, 0), 256UL);
}

TEST(LibBitmap, RandomizedAgainstModel) {
    std::mt19937 rng(4242);
    unsigned long map[kWords] = {};
    Model m;
    for (int op = 0; op < 5000; op++) {
        unsigned long a = rng() % kBits;
        unsigned long len = rng() % (kBits - a + 1);
        switch (rng() % 7) {
        case 0: set_bit(a, map); m.bits[a] = true; break;
        case 1: __clear_bit(a, map); m.bits[a] = false; break;
        case 2: bitmap_set(map, a, len); for (unsigned long i = a; i < a + len; i++) m.bits[i] = true; break;
        case 3: bitmap_clear(map, a, len); for (unsigned long i = a; i < a + len; i++) m.bits[i] = false; break;
        case 4: {
            bool old = test_and_set_bit(a, map);
            ASSERT_EQ(old, m.bits[a]);
            m.bits[a] = true;
            break;
        }
        case 5: {
            bool old = test_and_clear_bit(a, map);
            ASSERT_EQ(old, m.bits[a]);
            m.bits[a] = false;
            break;
        }
        case 6: change_bit(a, map); m.bits[a] = !m.bits[a]; break;
        }
        ASSERT_NO_FATAL_FAILURE(expect_same(map, m));
        unsigned long off = rng() % (kBits + 2);
        unsigned long size = off + rng() % (kBits + 1 - std::min(off, kBits));
        size = std::min(size, kBits);
        ASSERT_EQ(find_next_bit(map, size, off), m.next(off, true, size)) << op;
        ASSERT_EQ(find_next_zero_bit(map, size, off), m.next(off, false, size)) << op;
        unsigned long weight = 0, last = size;
        for (unsigned long i = 0; i < size; i++)
            if (m.bits[i]) weight++, last = i;
        ASSERT_EQ(bitmap_weight(map, size), weight) << op;
        ASSERT_EQ(find_last_bit(map, size), last) << op;
        // Zero area: compare with a brute-force search.
        unsigned nr = 1 + rng() % 20;
        unsigned long mask = (1UL << (rng() % 5)) - 1;
        unsigned long want = kBits;
        for (unsigned long s = (off + mask) & ~mask; s + nr <= kBits; s += mask + 1) {
            bool ok = true;
            for (unsigned long i = s; i < s + nr; i++) ok = ok && !m.bits[i];
            if (ok) { want = s; break; }
        }
        ASSERT_EQ(bitmap_find_next_zero_area(map, kBits, off, nr, mask), want)
            << "op " << op << " off " << off << " nr " << nr << " mask " << mask;
    }
}

}  // namespace
