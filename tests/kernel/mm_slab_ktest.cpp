// Slab caches and kmalloc in the running kernel.
#include <mm/slab.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

namespace {
void freed_object_is_reused(ktest* t) {
    kmem_cache* c = kmem_cache_create("ktest_reuse", 72, 0, SLAB_HWCACHE_ALIGN, nullptr);
    KTEST_ASSERT_TRUE(t, c != nullptr);
    void* a = kmem_cache_alloc(c, GFP_KERNEL);
    void* b = kmem_cache_alloc(c, GFP_KERNEL);
    KTEST_EXPECT_NE(t, a, b);
    KTEST_EXPECT_EQ(t, reinterpret_cast<unsigned long>(a) % 64, 0ul);
    kmem_cache_free(c, a);
    KTEST_EXPECT_EQ(t, kmem_cache_alloc(c, GFP_KERNEL), a);
    kmem_cache_free(c, a);
    kmem_cache_free(c, b);
    kmem_cache_destroy(c);
}

void kmalloc_sizes(ktest* t) {
    static const size_t sizes[] = {1, 8, 24, 64, 96, 100, 192, 200, 1000, 4096, 8192, 8193, 100000};
    static const size_t expect[] = {8, 8, 32, 64, 96, 128, 192, 256, 1024, 4096, 8192, 16384, 131072};
    for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
        auto* p = static_cast<char*>(kmalloc(sizes[i], GFP_KERNEL));
        KTEST_ASSERT_TRUE(t, p != nullptr);
        KTEST_EXPECT_EQ(t, ksize(p), expect[i]);
        memset(p, 0xab, sizes[i]);
        kfree(p);
    }
    KTEST_EXPECT_EQ(t, kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
    kfree(nullptr);
}

void many_objects(ktest* t) {
    constexpr unsigned N = 2000;
    static void* objs[N];
    for (unsigned i = 0; i < N; i++) {
        objs[i] = kzalloc(32 + i % 200, GFP_KERNEL);
        KTEST_ASSERT_TRUE(t, objs[i] != nullptr);
        *static_cast<unsigned*>(objs[i]) = i;
    }
    for (unsigned i = 0; i < N; i++) KTEST_EXPECT_EQ(t, *static_cast<unsigned*>(objs[i]), i);
    for (unsigned i = 0; i < N; i += 2) kfree(objs[i]);
    for (unsigned i = 1; i < N; i += 2) kfree(objs[i]);
}

const ktest_case slab_cases[] = {
    KTEST_CASE(freed_object_is_reused),
    KTEST_CASE(kmalloc_sizes),
    KTEST_CASE(many_objects),
    {},
};
}  // namespace

KTEST_SUITE(mm_slab, slab_cases);
