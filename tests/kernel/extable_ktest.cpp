// Exception recovery: faults at instructions listed in the exception table come
// back as -EFAULT — a not-present #PF, a protection #PF and a #GP from a
// non-canonical address — and the kernel goes on as if nothing happened.
#include <asm/pgtable.h>
#include <asm/uaccess.h>
#include <lib/string.h>
#include <mm/page_alloc.h>
#include <tests/kernel/ktest.h>
#include <uapi/asm/errno.h>

namespace {

void nofault_copy_succeeds(ktest* t) {
    long src = 0x1122334455667788, dst = 0;
    KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&dst, &src, sizeof(src)), 0);
    KTEST_EXPECT_EQ(t, dst, src);
}

void page_fault_on_null_is_recovered(ktest* t) {
    long dst = 42;
    KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&dst, nullptr, sizeof(dst)), -EFAULT);
    KTEST_EXPECT_EQ(t, dst, 42);  // nothing was copied
}

void write_to_rodata_is_recovered(ktest* t) {
    static const long readonly = 7;
    long v = 8;
    KTEST_EXPECT_EQ(t, copy_to_kernel_nofault(const_cast<long*>(&readonly), &v, sizeof(v)), -EFAULT);
    KTEST_EXPECT_EQ(t, *static_cast<const volatile long*>(&readonly), 7);
}

void general_protection_is_recovered(ktest* t) {
    long dst;
    auto* noncanonical = reinterpret_cast<const void*>(0xdead000000000000ul);
    KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(&dst, noncanonical, sizeof(dst)), -EFAULT);
}

// A copy running off the end of a mapping copies what precedes the hole and
// then reports the fault — the semantics copy_from_user will need.
void copy_stops_at_the_hole(ktest* t) {
    constexpr unsigned long VA = VMALLOC_END + 1 - (32ul << 20);  // unused by vmalloc
    page* pg = alloc_page(GFP_KERNEL);
    KTEST_ASSERT_TRUE(t, pg != nullptr);
    memset(page_address(pg), 'k', PAGE_SIZE);
    KTEST_ASSERT_TRUE(t, !map_range(init_top_pgt, VA, page_to_phys(pg), PAGE_SIZE, PAGE_KERNEL).is_error());
    char dst[16];
    memset(dst, 0, sizeof(dst));
    auto* src = reinterpret_cast<const char*>(VA + PAGE_SIZE - 8);  // 8 mapped bytes, then nothing
    KTEST_EXPECT_EQ(t, copy_from_kernel_nofault(dst, src, sizeof(dst)), -EFAULT);
    KTEST_EXPECT_EQ(t, dst[7], 'k');
    KTEST_EXPECT_EQ(t, dst[8], 0);
    unmap_range(init_top_pgt, VA, PAGE_SIZE);
    __free_page(pg);
}

const ktest_case extable_cases[] = {
    KTEST_CASE(nofault_copy_succeeds),
    KTEST_CASE(page_fault_on_null_is_recovered),
    KTEST_CASE(write_to_rodata_is_recovered),
    KTEST_CASE(general_protection_is_recovered),
    KTEST_CASE(copy_stops_at_the_hole),
    {},
};

}  // namespace

KTEST_SUITE(extable, extable_cases);
