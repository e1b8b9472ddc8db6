// lib/iov_iter.cpp: copies across kernel segments (empty ones included),
// advance, zero-fill, the count bounding every copy, and user segments that
// stop at the first fault with the bytes done.
#include <keel/fs.h>
#include <keel/mm.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/page.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_mm.h>
#include <uapi/asm/mman.h>
#include <uapi/linux/uio.h>

namespace {

void kvec_copy_to(ktest* t) {
    char a[3] = {}, b[5] = {}, c[4] = {};
    kvec v[] = {{a, sizeof(a)}, {nullptr, 0}, {b, sizeof(b)}, {c, sizeof(c)}};
    iov_iter it;
    iov_iter_kvec(&it, READ, v, 4, 10);  // one byte of c stays outside the count
    KTEST_EXPECT_EQ(t, copy_to_iter("0123", 4, &it), 4ul);
    KTEST_EXPECT_EQ(t, iov_iter_count(&it), 6ul);
    KTEST_EXPECT_EQ(t, copy_to_iter("456789XY", 8, &it), 6ul);  // bounded by the count
    KTEST_EXPECT_EQ(t, iov_iter_count(&it), 0ul);
    KTEST_EXPECT_EQ(t, memcmp(a, "012", 3), 0);
    KTEST_EXPECT_EQ(t, memcmp(b, "34567", 5), 0);
    KTEST_EXPECT_EQ(t, memcmp(c, "89\0\0", 4), 0);
    KTEST_EXPECT_EQ(t, copy_to_iter("Z", 1, &it), 0ul);
}

void kvec_copy_from_and_advance(ktest* t) {
    char a[] = "abc", b[] = "defgh";
    kvec v[] = {{a, 3}, {b, 5}};
    iov_iter it;
    iov_iter_kvec(&it, WRITE, v, 2, 8);
    iov_iter_advance(&it, 2);
    char out[8] = {};
    KTEST_EXPECT_EQ(t, copy_from_iter(out, 4, &it), 4ul);
    KTEST_EXPECT_EQ(t, memcmp(out, "cdef", 4), 0);
    KTEST_EXPECT_EQ(t, it.nr_segs, 1ul);  // the first segment is used up
    KTEST_EXPECT_EQ(t, copy_from_iter(out, 8, &it), 2ul);
    KTEST_EXPECT_EQ(t, memcmp(out, "gh", 2), 0);
}

void kvec_zero_and_page(ktest* t) {
    char a[6];
    memset(a, 'x', sizeof(a));
    kvec v[] = {{a, sizeof(a)}};
    iov_iter it;
    iov_iter_kvec(&it, READ, v, 1, sizeof(a));
    KTEST_EXPECT_EQ(t, iov_iter_zero(4, &it), 4ul);
    KTEST_EXPECT_EQ(t, memcmp(a, "\0\0\0\0xx", 6), 0);

    page* p = alloc_page(GFP_KERNEL);
    KTEST_ASSERT_TRUE(t, p != nullptr);
    memcpy(static_cast<char*>(page_address(p)) + 100, "page", 4);
    iov_iter_kvec(&it, READ, v, 1, sizeof(a));
    KTEST_EXPECT_EQ(t, copy_page_to_iter(p, 100, 4, &it), 4ul);
    KTEST_EXPECT_EQ(t, memcmp(a, "page", 4), 0);
    __free_page(p);
}

// A user segment running off its mapping: the copy stops at the fault and
// reports what it moved; the iter stays at that point.
void user_fault_body(ktest* t, mm_struct*) {
    long addr = vm_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
    KTEST_ASSERT_TRUE(t, addr > 0);
    iovec v[] = {{reinterpret_cast<void*>(addr + PAGE_SIZE - 10), 20}};
    iov_iter it;
    iov_iter_init(&it, READ, v, 1, 20);
    char src[20];
    memset(src, 'u', sizeof(src));
    size_t done = copy_to_iter(src, sizeof(src), &it);
    KTEST_EXPECT_EQ(t, done, 10ul);  // the bytes up to the end of the mapping
    KTEST_EXPECT_EQ(t, iov_iter_count(&it), 20 - done);
    char back[10] = {};
    KTEST_EXPECT_EQ(t, copy_from_user(back, reinterpret_cast<void*>(addr + PAGE_SIZE - 10), done), 0ul);
    KTEST_EXPECT_EQ(t, memcmp(back, src, done), 0);
}
void user_fault(ktest* t) { ktest_run_in_mm(t, user_fault_body, "ktest-iov"); }

const ktest_case iov_iter_cases[] = {
    KTEST_CASE(kvec_copy_to),
    KTEST_CASE(kvec_copy_from_and_advance),
    KTEST_CASE(kvec_zero_and_page),
    KTEST_CASE(user_fault),
    {},
};

}  // namespace

KTEST_SUITE(iov_iter, iov_iter_cases);
