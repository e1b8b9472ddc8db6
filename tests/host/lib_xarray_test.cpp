// lib/xarray against std::map: random stores, erases and finds over sparse
// and dense index ranges, including the top of the index space.
#include <gtest/gtest.h>
#include <lib/xarray.h>
#include <map>
#include <mm/slab.h>
#include <random>
#include <tests/host/mm_test_env.h>

namespace {

// The tree's nodes come from kmalloc: boot the fake machine's allocators.
struct XArray : ::testing::Test {
    void SetUp() override {
        mm_test_boot(false);
        kmem_cache_init();
    }
};

void* as_entry(unsigned long v) { return reinterpret_cast<void*>(v * 8 + 8); }

void check_same(const xarray& xa, const std::map<unsigned long, void*>& ref) {
    unsigned long idx = 0;
    auto it = ref.begin();
    for (;;) {
        void* e = xa_find(&xa, &idx);
        if (it == ref.end()) {
            EXPECT_EQ(e, nullptr);
            break;
        }
        ASSERT_EQ(e, it->second);
        ASSERT_EQ(idx, it->first);
        ++it;
        if (idx == ~0ul) {
            EXPECT_EQ(it, ref.end());
            break;
        }
        idx++;
    }
}

}  // namespace

TEST_F(XArray, EmptyTree) {
    xarray xa;
    EXPECT_EQ(xa_load(&xa, 0), nullptr);
    EXPECT_EQ(xa_erase(&xa, 5), nullptr);
    unsigned long i = 0;
    EXPECT_EQ(xa_find(&xa, &i), nullptr);
}

TEST_F(XArray, MatchesMapUnderRandomOperations) {
    for (unsigned long span : {64ul, 5000ul, 1ul << 40, ~0ul}) {
        xarray xa;
        std::map<unsigned long, void*> ref;
        std::mt19937_64 rng(span);
        // Sparse indexes cost a chain of nodes each: fewer rounds keep them in the fake RAM.
        int rounds = span <= 5000 ? 20000 : 2000;
        for (int round = 0; round < rounds; round++) {
            unsigned long idx = span == ~0ul ? rng() : rng() % span;
            if (round % 97 == 0) idx = ~0ul;  // the very last index
            if (rng() % 3) {
                void* e = as_entry(rng() >> 8);
                ASSERT_TRUE(xa_store(&xa, idx, e));
                ref[idx] = e;
            } else {
                auto it = ref.find(idx);
                void* want = it == ref.end() ? nullptr : it->second;
                ASSERT_EQ(xa_erase(&xa, idx), want);
                if (it != ref.end()) ref.erase(it);
            }
            if (round % 1000 == 0) {
                auto it = ref.begin();
                if (it != ref.end()) {
                    ASSERT_EQ(xa_load(&xa, it->first), it->second);
                }
            }
        }
        check_same(xa, ref);
        for (auto& [k, v] : ref) ASSERT_EQ(xa_load(&xa, k), v);
        for (auto& [k, v] : ref) ASSERT_EQ(xa_erase(&xa, k), v);
        EXPECT_EQ(xa.root, nullptr);  // erasing everything freed every node
        xa_destroy(&xa);
    }
}
