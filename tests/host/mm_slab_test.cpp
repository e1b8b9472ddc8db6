// Slab caches and kmalloc on the fake machine of mm_buddy_test.cpp.
#include <gtest/gtest.h>
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>
// Kernel headers last: their Linux-style macros (__init) would clash with libc's.
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <tests/host/mm_test_env.h>


namespace {
struct Slab : ::testing::Test {
    void SetUp() override {
        mm_test_boot(true);
        kmem_cache_init();
    }
};

struct thing {
    int magic;
    char payload[100];
};
int ctor_calls;
void thing_ctor(void* p) {
    static_cast<thing*>(p)->magic = 0x7e57;
    ctor_calls++;
}

std::string slabinfo() {
    static char buf[16384];
    return std::string(buf, slabinfo_show(buf, sizeof(buf)));
}
}  // namespace

TEST_F(Slab, FreedObjectIsReturnedNext) {
    kmem_cache* c = kmem_cache_create("test_reuse", 48, 0, 0, nullptr);
    ASSERT_NE(c, nullptr);
    void* a = kmem_cache_alloc(c, GFP_KERNEL);
    void* b = kmem_cache_alloc(c, GFP_KERNEL);
    EXPECT_NE(a, b);
    kmem_cache_free(c, a);
    EXPECT_EQ(kmem_cache_alloc(c, GFP_KERNEL), a);
    EXPECT_EQ(c->active_objs, 2u);
}

TEST_F(Slab, GeometryAndAlignment) {
    kmem_cache* c = kmem_cache_create("test_hw", 40, 0, SLAB_HWCACHE_ALIGN, nullptr);
    EXPECT_EQ(c->size, 64u);
    EXPECT_EQ(c->order, 0u);
    EXPECT_GE(c->num, 60u);  // 4096 / 64, less the trailer
    kmem_cache* small = kmem_cache_create("test_hw_small", 20, 0, SLAB_HWCACHE_ALIGN, nullptr);
    EXPECT_EQ(small->size, 32u);  // small objects share a cache line
    kmem_cache* a256 = kmem_cache_create("test_a256", 100, 256, 0, nullptr);
    for (int i = 0; i < 50; i++) {
        auto v = reinterpret_cast<unsigned long>(kmem_cache_alloc(c, GFP_KERNEL));
        EXPECT_EQ(v % 64, 0u);
        v = reinterpret_cast<unsigned long>(kmem_cache_alloc(a256, GFP_KERNEL));
        EXPECT_EQ(v % 256, 0u);
    }
    // Power-of-two kmalloc sizes are naturally aligned.
    for (size_t sz = 8; sz <= 8192; sz *= 2)
        EXPECT_EQ(reinterpret_cast<unsigned long>(kmalloc(sz, GFP_KERNEL)) % sz, 0u) << sz;
    EXPECT_EQ(kmem_cache_create("test_bad_align", 8, 3, 0, nullptr), nullptr);
    EXPECT_EQ(kmem_cache_create("test_too_big", 64 * 1024, 0, 0, nullptr), nullptr);
    EXPECT_DEATH(kmem_cache_create("test_panic", 64 * 1024, 0, SLAB_PANIC, nullptr),
                 "Failed to create slab 'test_panic'");
}

TEST_F(Slab, ConstructorRunsOncePerObjectAndSurvivesFree) {
    ctor_calls = 0;
    kmem_cache* c = kmem_cache_create("test_ctor", sizeof(thing), 0, 0, thing_ctor);
    auto* t = static_cast<thing*>(kmem_cache_alloc(c, GFP_KERNEL));
    EXPECT_EQ(t->magic, 0x7e57);
    EXPECT_EQ(ctor_calls, int(c->num));  // the whole slab was constructed
    kmem_cache_free(c, t);
    t = static_cast<thing*>(kmem_cache_alloc(c, GFP_KERNEL));
    EXPECT_EQ(t->magic, 0x7e57);  // the free pointer did not overwrite it
    EXPECT_EQ(ctor_calls, int(c->num));
}

TEST_F(Slab, SlabsMoveBetweenListsAndShrink) {
    kmem_cache* c = kmem_cache_create("test_lists", 512, 0, 0, nullptr);
    drain_all_pages(nullptr);
    unsigned long free0 = nr_free_pages();
    std::vector<void*> v;
    for (unsigned i = 0; i < 3 * c->num; i++) v.push_back(kmem_cache_alloc(c, GFP_KERNEL));
    EXPECT_EQ(c->nr_slabs, 3u);
    EXPECT_TRUE(list_empty(&c->slabs_partial));
    for (void* p : v) kmem_cache_free(c, p);
    EXPECT_EQ(c->active_objs, 0u);
    EXPECT_EQ(c->nr_free_slabs, 1u);  // one empty slab kept, the others returned
    EXPECT_EQ(c->nr_slabs, 1u);
    EXPECT_EQ(kmem_cache_shrink(c), 0);
    EXPECT_EQ(c->nr_slabs, 0u);
    drain_all_pages(nullptr);
    EXPECT_EQ(nr_free_pages(), free0);  // every slab page went back to the buddy
    void* keep = kmem_cache_alloc(c, GFP_KERNEL);
    EXPECT_EQ(kmem_cache_shrink(c), 1);
    kmem_cache_destroy(c);  // refuses: an object is still live
    EXPECT_NE(slabinfo().find("test_lists"), std::string::npos);
    kmem_cache_free(c, keep);
    kmem_cache_destroy(c);
    EXPECT_EQ(slabinfo().find("test_lists"), std::string::npos);
}

TEST_F(Slab, ManyCaches) {
    std::vector<kmem_cache*> caches;
    std::vector<std::string> names;
    for (int i = 0; i < 100; i++) names.push_back("test_many_" + std::to_string(i));
    for (int i = 0; i < 100; i++) {
        kmem_cache* c = kmem_cache_create(names[i].c_str(), 8 + 24 * i, 0, 0, nullptr);
        ASSERT_NE(c, nullptr);
        caches.push_back(c);
    }
    std::vector<std::pair<kmem_cache*, void*>> objs;
    for (int round = 0; round < 5; round++)
        for (auto* c : caches) {
            void* p = kmem_cache_alloc(c, GFP_KERNEL);
            memset(p, int(c->object_size), c->object_size);
            objs.push_back({c, p});
        }
    for (auto [c, p] : objs) {
        EXPECT_EQ(static_cast<unsigned char*>(p)[c->object_size - 1],
                  static_cast<unsigned char>(c->object_size));
        kmem_cache_free(c, p);
    }
    for (auto* c : caches) kmem_cache_destroy(c);
    EXPECT_EQ(slabinfo().find("test_many_"), std::string::npos);
}

TEST_F(Slab, KmallocSizeClassesAndKsize) {
    struct { size_t ask, cache; } cases[] = {{1, 8},     {8, 8},       {9, 16},     {33, 64},
                                             {65, 96},   {96, 96},     {97, 128},   {129, 192},
                                             {193, 256}, {1000, 1024}, {4097, 8192}, {8192, 8192}};
    for (auto [ask, cache] : cases) {
        void* p = kmalloc(ask, GFP_KERNEL);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(ksize(p), cache) << ask;
        EXPECT_EQ(kmalloc_slab(ask)->object_size, cache);
        kfree(p);
    }
    // Above 8k: whole pages from the buddy allocator.
    void* big = kmalloc(8193, GFP_KERNEL);
    EXPECT_EQ(ksize(big), 4 * PAGE_SIZE);
    EXPECT_EQ(kmalloc_slab(8193), nullptr);
    unsigned long before = nr_free_pages();
    kfree(big);
    EXPECT_EQ(nr_free_pages(), before + 4);
    void* huge = kmalloc(1 << 20, GFP_KERNEL);
    EXPECT_EQ(ksize(huge), size_t(1) << 20);
    kfree(huge);
    EXPECT_EQ(kmalloc(64ul << 20, GFP_KERNEL | __GFP_NOWARN), nullptr);
    EXPECT_EQ(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
    kfree(ZERO_SIZE_PTR);
    kfree(nullptr);
    EXPECT_EQ(kmalloc_array(size_t(1) << 62, 8, GFP_KERNEL), nullptr);
    auto* z = static_cast<unsigned char*>(kcalloc(10, 30, GFP_KERNEL));
    for (int i = 0; i < 300; i++) ASSERT_EQ(z[i], 0);
}

TEST_F(Slab, KzallocZeroesRecycledObjects) {
    auto* p = static_cast<unsigned char*>(kmalloc(200, GFP_KERNEL));
    memset(p, 0xff, 200);
    kfree(p);
    auto* q = static_cast<unsigned char*>(kzalloc(200, GFP_KERNEL));
    EXPECT_EQ(p, q);
    for (int i = 0; i < 200; i++) ASSERT_EQ(q[i], 0);
}

TEST_F(Slab, BadFreesPanic) {
    void* p = kmalloc(64, GFP_KERNEL);
    kfree(p);
    EXPECT_DEATH(kfree(p), "double free");
    void* q = kmalloc(64, GFP_KERNEL);
    EXPECT_DEATH(kfree(static_cast<char*>(q) + 8), "not the start of an object");
    int on_stack;
    EXPECT_DEATH(kfree(&on_stack), "not a kmalloc'ed address");
    unsigned long page = __get_free_page(GFP_KERNEL);
    EXPECT_DEATH(kfree(reinterpret_cast<void*>(page)), "not allocated by kmalloc");
    kmem_cache* c = kmem_cache_create("test_wrong", 64, 0, 0, nullptr);
    EXPECT_DEATH(kmem_cache_free(c, q), "belongs to cache kmalloc-64");
    void* big = kmalloc(20000, GFP_KERNEL);
    kfree(big);
    EXPECT_DEATH(kfree(big), "not allocated by kmalloc");
}

TEST_F(Slab, SlabinfoFormat) {
    kmem_cache* c = kmem_cache_create("test_info", 100, 0, 0, nullptr);
    void* p = kmem_cache_alloc(c, GFP_KERNEL);
    std::string s = slabinfo();
    EXPECT_EQ(s.rfind("slabinfo - version: 2.1\n# name            <active_objs> <num_objs> "
                      "<objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> "
                      "<sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n",
                      0),
              0u);
    char row[200];
    snprintf(row, sizeof(row),
             "test_info              1 %6u    104 %4u    1 : tunables    0    0    0 : slabdata "
             "     1      1      0\n",
             c->num, c->num);
    EXPECT_NE(s.find(row), std::string::npos) << s;
    EXPECT_NE(s.find("\nkmalloc-8k "), std::string::npos);
    EXPECT_NE(s.find("\nkmem_cache "), std::string::npos);
    kmem_cache_free(c, p);
}

// Random kmalloc/kfree of random sizes against a shadow map of live blocks:
// no two live blocks overlap and each keeps its contents until freed.
TEST_F(Slab, StressAgainstAShadowMap) {
    std::mt19937 rng(3);
    std::map<uintptr_t, std::pair<size_t, unsigned char>> live;
    unsigned long free0 = nr_free_pages();
    for (int step = 0; step < 30000; step++) {
        if (live.empty() || rng() % 100 < 55) {
            size_t size = rng() % 10 == 0 ? 1 + rng() % 20000 : 1 + rng() % 300;
            auto* p = static_cast<unsigned char*>(kmalloc(size, GFP_KERNEL));
            ASSERT_NE(p, nullptr);
            ASSERT_GE(ksize(p), size);
            auto a = reinterpret_cast<uintptr_t>(p);
            auto next = live.lower_bound(a);
            if (next != live.end()) ASSERT_GE(next->first, a + size);
            if (next != live.begin()) {
                auto prev = std::prev(next);
                ASSERT_LE(prev->first + prev->second.first, a);
            }
            auto fill = static_cast<unsigned char>(rng());
            memset(p, fill, size);
            live[a] = {size, fill};
        } else {
            auto it = live.begin();
            std::advance(it, rng() % live.size());
            auto* p = reinterpret_cast<unsigned char*>(it->first);
            ASSERT_EQ(p[0], it->second.second);
            ASSERT_EQ(p[it->second.first - 1], it->second.second);
            kfree(p);
            live.erase(it);
        }
    }
    for (auto& [a, v] : live) kfree(reinterpret_cast<void*>(a));
    for (unsigned i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
        kmem_cache* c = kmalloc_slab(i < 3 ? (i == 1 ? 96 : 192) : 1ul << i);
        EXPECT_EQ(c->active_objs, 0u) << c->name;
        kmem_cache_shrink(c);
    }
    drain_all_pages(nullptr);
    EXPECT_GE(nr_free_pages() + 8, free0);  // only kmem_cache's own slab remains
}
