// User address spaces on the real MMU: a kernel thread takes an mm of its own
// (as exec will), maps anonymous memory and touches it both through the page
// tables directly (kernel accesses that fault into handle_user_fault, fixed up
// through the exception table when refused) and through access_remote_vm.
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/uaccess.h>
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/mm.h>
#include <keel/sched.h>
#include <keel/signal_fault.h>
#include <mm/internal.h>
#include <mm/mmzone.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_mm.h>
#include <uapi/asm/mman.h>

namespace {

constexpr unsigned long ANON = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr unsigned long RW = PROT_READ | PROT_WRITE;

// Free pages, those parked on per-CPU lists included (read, not drained: the
// other CPUs own their lists).
unsigned long free_pages_now() {
    unsigned long n = nr_free_pages();
    for_each_zone(z) for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) n += unsigned(z->pcp[cpu].count);
    return n;
}

void anon_zero_fill_body(ktest* t, mm_struct* mm) {
    long addr = vm_mmap(0, 3 * PAGE_SIZE, RW, ANON, 0);
    KTEST_ASSERT_TRUE(t, addr > 0);
    KTEST_EXPECT_EQ(t, addr & long(PAGE_SIZE - 1), 0);
    KTEST_EXPECT_LT(t, (unsigned long)addr, mm->mmap_base);
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, addr) == nullptr);  // demand paging: nothing yet
    char c = 1;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(addr + 5, &c), 0);
    KTEST_EXPECT_EQ(t, c, 0);
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(addr + PAGE_SIZE + 7, 'k'), 0);
    char buf[8] = {};
    KTEST_EXPECT_EQ(t, access_remote_vm(mm, addr + PAGE_SIZE + 7, buf, 1, false), 1);
    KTEST_EXPECT_EQ(t, buf[0], 'k');
    KTEST_EXPECT_EQ(t, access_remote_vm(mm, addr + 2 * PAGE_SIZE - 2, buf, 4, false), 4);
    KTEST_EXPECT_EQ(t, buf[0] | buf[1] | buf[2] | buf[3], 0);
    // Past the mapping: refused, and the exception table answers for the kernel.
    KTEST_EXPECT_EQ(t, access_remote_vm(mm, addr + 3 * PAGE_SIZE, buf, 1, false), 0);
    int si_code;
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, addr + 3 * PAGE_SIZE, 0, &si_code), VM_FAULT_SIGSEGV);
    KTEST_EXPECT_EQ(t, si_code, SEGV_MAPERR);
}
void anon_zero_fill(ktest* t) { ktest_run_in_mm(t, anon_zero_fill_body, "ktest-mm"); }

void mprotect_read_only_body(ktest* t, mm_struct* mm) {
    long addr = vm_mmap(0, 4 * PAGE_SIZE, RW, ANON | MAP_POPULATE, 0);
    KTEST_ASSERT_TRUE(t, addr > 0);
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, addr + 3 * PAGE_SIZE) != nullptr);  // populated
    KTEST_EXPECT_EQ(t, mm->map_count, 1u);
    KTEST_EXPECT_EQ(t, do_mprotect(addr + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
    KTEST_EXPECT_EQ(t, mm->map_count, 3u);  // split in three
    int si_code = 0;
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, addr + PAGE_SIZE, FAULT_FLAG_WRITE, &si_code), VM_FAULT_SIGSEGV);
    KTEST_EXPECT_EQ(t, si_code, SEGV_ACCERR);
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(addr + PAGE_SIZE, 1), -EFAULT);  // the real MMU refuses too
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(addr, 1), 0);
    char c;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(addr + PAGE_SIZE, &c), 0);
    KTEST_EXPECT_EQ(t, do_mprotect(addr + PAGE_SIZE, PAGE_SIZE, RW), 0);
    KTEST_EXPECT_EQ(t, mm->map_count, 1u);  // merged back
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(addr + PAGE_SIZE, 1), 0);
    KTEST_EXPECT_EQ(t, do_mprotect(addr, PAGE_SIZE, PROT_NONE), 0);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(addr, &c), -EFAULT);
    KTEST_EXPECT_EQ(t, do_mprotect(addr + 1, PAGE_SIZE, PROT_READ), -EINVAL);
    KTEST_EXPECT_EQ(t, do_mprotect(addr + 8 * PAGE_SIZE, PAGE_SIZE, PROT_READ), -ENOMEM);
}
void mprotect_read_only(ktest* t) { ktest_run_in_mm(t, mprotect_read_only_body, "ktest-mm"); }

void munmap_splits_body(ktest* t, mm_struct* mm) {
    long addr = vm_mmap(0, 5 * PAGE_SIZE, RW, ANON | MAP_POPULATE, 0);
    KTEST_ASSERT_TRUE(t, addr > 0);
    KTEST_EXPECT_EQ(t, vm_munmap(addr + 2 * PAGE_SIZE, PAGE_SIZE), 0);
    KTEST_EXPECT_EQ(t, mm->map_count, 2u);
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, addr + 2 * PAGE_SIZE) == nullptr);
    KTEST_EXPECT_TRUE(t, vma_lookup(mm, addr + 2 * PAGE_SIZE) == nullptr);
    char c;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(addr + 2 * PAGE_SIZE, &c), -EFAULT);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(addr + 3 * PAGE_SIZE, &c), 0);
    KTEST_EXPECT_EQ(t, vm_munmap(addr + 1, PAGE_SIZE), -EINVAL);
    KTEST_EXPECT_EQ(t, vm_munmap(addr, 0), -EINVAL);
    // MAP_FIXED_NOREPLACE over the remaining part is refused; into the hole it fits.
    KTEST_EXPECT_EQ(t, vm_mmap(addr, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE, 0), -EEXIST);
    KTEST_EXPECT_EQ(t, vm_mmap(addr + 2 * PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE, 0),
                    long(addr + 2 * PAGE_SIZE));
    KTEST_EXPECT_EQ(t, mm->map_count, 1u);  // and merges with both neighbours
}
void munmap_splits(ktest* t) { ktest_run_in_mm(t, munmap_splits_body, "ktest-mm"); }

void brk_and_madvise_body(ktest* t, mm_struct* mm) {
    mm->start_brk = mm->brk = 0x10000000;
    KTEST_EXPECT_EQ(t, do_brk(0), 0x10000000l);
    KTEST_EXPECT_EQ(t, do_brk(0x10000000 + 3 * PAGE_SIZE + 5), long(0x10000000 + 3 * PAGE_SIZE + 5));
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(0x10000000 + 3 * PAGE_SIZE + 4, 'b'), 0);
    KTEST_EXPECT_EQ(t, do_brk(0x10000000 + PAGE_SIZE), long(0x10000000 + PAGE_SIZE));
    char c;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(0x10000000 + 3 * PAGE_SIZE, &c), -EFAULT);
    KTEST_EXPECT_EQ(t, do_brk(0x1000), long(0x10000000 + PAGE_SIZE));  // below start_brk: unchanged
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(0x10000000, 'x'), 0);
    KTEST_EXPECT_EQ(t, do_madvise(0x10000000, PAGE_SIZE, MADV_DONTNEED), 0);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(0x10000000, &c), 0);
    KTEST_EXPECT_EQ(t, c, 0);  // zapped: reads zero again
    KTEST_EXPECT_EQ(t, do_madvise(0x10000000, PAGE_SIZE, 77), -EINVAL);
    KTEST_EXPECT_EQ(t, do_madvise(0x10000000, 2 * PAGE_SIZE, MADV_NORMAL), -ENOMEM);
    KTEST_EXPECT_EQ(t, do_msync(0x10000000, PAGE_SIZE, MS_SYNC), 0);
    KTEST_EXPECT_EQ(t, do_msync(0x10000000, PAGE_SIZE, MS_SYNC | MS_ASYNC), -EINVAL);
    KTEST_EXPECT_EQ(t, do_msync(0x10000000 + PAGE_SIZE, PAGE_SIZE, MS_SYNC), -ENOMEM);
}
void brk_and_madvise(ktest* t) { ktest_run_in_mm(t, brk_and_madvise_body, "ktest-mm"); }

void mremap_moves_body(ktest* t, mm_struct* mm) {
    long a = vm_mmap(0, 2 * PAGE_SIZE, RW, ANON, 0);
    KTEST_ASSERT_TRUE(t, a > 0);
    long fence = vm_mmap(a + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0);
    KTEST_EXPECT_EQ(t, fence, long(a + 2 * PAGE_SIZE));
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(a + PAGE_SIZE, 'm'), 0);
    KTEST_EXPECT_EQ(t, do_mremap(a, 2 * PAGE_SIZE, 4 * PAGE_SIZE, 0, 0), -ENOMEM);  // fenced in
    long b = do_mremap(a, 2 * PAGE_SIZE, 4 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
    KTEST_ASSERT_TRUE(t, b > 0 && b != a);
    char c = 0;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(b + PAGE_SIZE, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'm');
    KTEST_EXPECT_TRUE(t, vma_lookup(mm, a) == nullptr);
    KTEST_EXPECT_EQ(t, do_mremap(b, 4 * PAGE_SIZE, PAGE_SIZE, 0, 0), b);  // shrink in place
    KTEST_EXPECT_TRUE(t, vma_lookup(mm, b + PAGE_SIZE) == nullptr);
}
void mremap_moves(ktest* t) { ktest_run_in_mm(t, mremap_moves_body, "ktest-mm"); }

void stack_grows_body(ktest* t, mm_struct* mm) {
    unsigned long top = 0x7f0000000000;
    long s = vm_mmap(top - 4 * PAGE_SIZE, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED | MAP_GROWSDOWN, 0);
    KTEST_ASSERT_TRUE(t, s == long(top - 4 * PAGE_SIZE));
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(top - 64 * PAGE_SIZE, 's'), 0);  // below: the stack grows
    KTEST_EXPECT_EQ(t, vma_lookup(mm, top - 1)->vm_start, top - 64 * PAGE_SIZE);
    int si_code;
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, top - (8ul << 20) - PAGE_SIZE, FAULT_FLAG_WRITE, &si_code),
                    VM_FAULT_SIGSEGV);  // past RLIMIT_STACK
}
void stack_grows(ktest* t) { ktest_run_in_mm(t, stack_grows_body, "ktest-mm"); }

// fork's copy: private pages shared read-only until written, shared ones stay shared.
void dup_mm_cow_body(ktest* t, mm_struct* parent) {
    constexpr unsigned long N = 64;
    unsigned long before = free_pages_now();
    long priv = vm_mmap(0, N * PAGE_SIZE, RW, ANON, 0);
    long shared = vm_mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
    KTEST_ASSERT_TRUE(t, priv > 0 && shared > 0);
    for (unsigned long i = 0; i < N; i++) KTEST_EXPECT_EQ(t, ktest_put_user_byte(priv + i * PAGE_SIZE, 'p'), 0);
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(shared, 's'), 0);
    // The measure sees the pages (less whatever RCU or others freed meanwhile).
    KTEST_EXPECT_GE(t, before - free_pages_now(), N / 2);

    mm_struct* child = dup_mm(parent);
    KTEST_ASSERT_TRUE(t, child != nullptr);
    page* p = ktest_page_at(parent, priv);
    KTEST_EXPECT_TRUE(t, p == ktest_page_at(child, priv));
    KTEST_EXPECT_EQ(t, page_count(p), 2);
    // The child writes: it gets a copy, the parent keeps its byte.
    char x = 'c', c = 0;
    KTEST_EXPECT_EQ(t, access_remote_vm(child, priv, &x, 1, true), 1);
    KTEST_EXPECT_TRUE(t, ktest_page_at(child, priv) != p);
    KTEST_EXPECT_EQ(t, page_count(p), 1);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(priv, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'p');
    // The parent writes the now-exclusive page in place, through the MMU.
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(priv, 'q'), 0);
    KTEST_EXPECT_TRUE(t, ktest_page_at(parent, priv) == p);
    KTEST_EXPECT_EQ(t, access_remote_vm(child, priv, &c, 1, false), 1);
    KTEST_EXPECT_EQ(t, c, 'c');
    // The parent writes a page still shared: copied for the parent.
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(priv + PAGE_SIZE, 'r'), 0);
    KTEST_EXPECT_EQ(t, access_remote_vm(child, priv + PAGE_SIZE, &c, 1, false), 1);
    KTEST_EXPECT_EQ(t, c, 'p');
    // MAP_SHARED: one page for both.
    x = 'z';
    KTEST_EXPECT_EQ(t, access_remote_vm(child, shared, &x, 1, true), 1);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(shared, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'z');
    mmput(child);
    KTEST_EXPECT_EQ(t, page_count(ktest_page_at(parent, priv + 2 * PAGE_SIZE)), 1);
    KTEST_EXPECT_EQ(t, vm_munmap(priv, N * PAGE_SIZE), 0);
    KTEST_EXPECT_EQ(t, vm_munmap(shared, PAGE_SIZE), 0);
    // Page tables stay until the mm goes; everything else is back (other
    // threads allocate meanwhile: a few pages of slack, far below N).
    KTEST_EXPECT_LE(t, before, free_pages_now() + 8 + 4);
}

void dup_mm_cow(ktest* t) {
    unsigned long before = free_pages_now();
    ktest_run_in_mm(t, dup_mm_cow_body, "ktest-mm");
    KTEST_EXPECT_LE(t, before, free_pages_now() + 8);  // the mm and its tables are gone too
}

const ktest_case mm_user_cases[] = {
    KTEST_CASE(anon_zero_fill), KTEST_CASE(mprotect_read_only), KTEST_CASE(munmap_splits),
    KTEST_CASE(brk_and_madvise), KTEST_CASE(mremap_moves),      KTEST_CASE(stack_grows),
    KTEST_CASE(dup_mm_cow),     {},
};

}  // namespace

KTEST_SUITE(mm_user, mm_user_cases);
