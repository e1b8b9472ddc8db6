// The VMA layer (mm/mmap.cpp, mprotect.cpp, mremap.cpp, madvise.cpp, msync.cpp)
// on the host: placement, splitting, merging, file mappings' rights and
// references, and Linux's errnos. The page-table side and the few VFS calls
// are stood in for here and record what the VMA layer asked of them.
#include <gtest/gtest.h>
#include <utility>
#include <vector>
// Kernel headers last: their Linux-style macros would clash with libc's, and
// libc's scheduling-policy macros with the kernel's names.
#include <sched.h>
#undef SCHED_FIFO
#undef SCHED_RR
#undef SCHED_BATCH
#undef SCHED_IDLE
#include <keel/sched.h>
#include <mm/internal.h>
#include <mm/slab.h>
#include <tests/host/mm_file_env.h>
#include <tests/host/mm_test_env.h>
#include <uapi/asm/mman.h>

namespace {
std::vector<std::pair<unsigned long, unsigned long>> zapped, reprotected;
unsigned long moved_from, moved_to, moved_len;
unsigned long stack_rlimit;
}  // namespace

// ---- stand-ins for mm/memory.cpp and mm/gup.cpp -----------------------------------
void zap_page_range(vm_area_struct*, unsigned long start, unsigned long end) { zapped.push_back({start, end}); }
void change_protection(vm_area_struct*, unsigned long start, unsigned long end) {
    reprotected.push_back({start, end});
}
Result<void> move_page_tables(vm_area_struct*, unsigned long old_addr, vm_area_struct*, unsigned long new_addr,
                              unsigned long len) {
    moved_from = old_addr;
    moved_to = new_addr;
    moved_len = len;
    return {};
}
void mm_populate(mm_struct*, unsigned long, unsigned long) {}
// ---- and for kernel/sys.cpp: the limit expand_stack checks (3 is RLIMIT_STACK;
// uapi/linux/resource.h clashes with the C library's headers here) ----------------
unsigned long task_rlimit(const task_struct*, unsigned resource) { return resource == 3 ? stack_rlimit : ~0ul; }

namespace {

constexpr unsigned long P = PAGE_SIZE;
constexpr unsigned long ANON = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr unsigned long RW = PROT_READ | PROT_WRITE;

struct Vma : ::testing::Test {
    task_struct task{};
    mm_struct* mm = nullptr;

    void SetUp() override {
        mm_test_boot(true);
        kmem_cache_init();
        mm = new mm_struct{};
        mm->mm_rb = RB_ROOT;
        mm->task_size = TASK_SIZE_MAX;
        mm->mmap_base = 0x7f0000000000;
        task.mm = mm;
        stack_rlimit = 8ul << 20;
        current_task = &task;
        zapped.clear();
        reprotected.clear();
    }
    void TearDown() override {
        exit_mmap(mm);
        delete mm;
        current_task = nullptr;
    }
    // The VMAs as (start, end) pairs, checking the tree's order on the way.
    std::vector<std::pair<unsigned long, unsigned long>> vmas() {
        std::vector<std::pair<unsigned long, unsigned long>> out;
        for (rb_node* n = rb_first(&mm->mm_rb); n; n = rb_next(n)) {
            auto* v = rb_entry(n, vm_area_struct, vm_rb);
            EXPECT_LT(v->vm_start, v->vm_end);
            if (!out.empty()) EXPECT_LE(out.back().second, v->vm_start);
            out.push_back({v->vm_start, v->vm_end});
        }
        EXPECT_EQ(out.size(), mm->map_count);
        EXPECT_EQ(rb_check(&mm->mm_rb), nullptr);
        return out;
    }
};

using Ranges = std::vector<std::pair<unsigned long, unsigned long>>;

TEST_F(Vma, TopDownBelowMmapBaseAndAdjacentMappingsMerge) {
    long a = vm_mmap(0, 2 * P, RW, ANON, 0);
    long b = vm_mmap(0, 100, RW, ANON, 0);  // rounded up to a page
    EXPECT_EQ(a, long(mm->mmap_base - 2 * P));
    EXPECT_EQ(b, a - long(P));
    EXPECT_EQ(vmas(), (Ranges{{b, mm->mmap_base}}));
    EXPECT_EQ(mm->total_vm, 3u);
    long c = vm_mmap(0, P, PROT_READ, ANON, 0);  // other rights: its own VMA
    EXPECT_EQ(c, b - long(P));
    EXPECT_EQ(mm->map_count, 2u);
    EXPECT_EQ(find_vma(mm, 0)->vm_start, (unsigned long)c);
    EXPECT_EQ(vma_lookup(mm, c - 1), nullptr);
    EXPECT_EQ(find_vma(mm, mm->mmap_base), nullptr);
}

TEST_F(Vma, MmapArgumentChecks) {
    EXPECT_EQ(vm_mmap(0, 0, RW, ANON, 0), -EINVAL);
    EXPECT_EQ(vm_mmap(0, P, RW, MAP_ANONYMOUS, 0), -EINVAL);  // no type
    EXPECT_EQ(vm_mmap(0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, 0), -EINVAL);
    EXPECT_EQ(vm_mmap(0x100001, P, RW, ANON | MAP_FIXED, 0), -EINVAL);
    EXPECT_EQ(vm_mmap(0x1000, P, RW, ANON | MAP_FIXED, 0), -EPERM);  // below mmap_min_addr
    EXPECT_EQ(vm_mmap(TASK_SIZE_MAX - P, 2 * P, RW, ANON | MAP_FIXED, 0), -ENOMEM);
    EXPECT_EQ(vm_mmap(0, ~0ul - 10, RW, ANON, 0), -ENOMEM);
    EXPECT_EQ(vm_mmap(0, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, 0), -EINVAL);
    EXPECT_EQ(mm->map_count, 0u);
}

TEST_F(Vma, FixedReplacesNoreplaceRefusesHintIsTakenWhenFree) {
    long a = vm_mmap(0x200000, 4 * P, RW, ANON, 0);
    EXPECT_EQ(a, 0x200000);
    EXPECT_EQ(vm_mmap(0x201000, P, RW, ANON | MAP_FIXED_NOREPLACE, 0), -EEXIST);
    EXPECT_EQ(vm_mmap(0x201000, P, PROT_READ, ANON | MAP_FIXED, 0), 0x201000);
    EXPECT_EQ(zapped, (Ranges{{0x201000, 0x202000}}));
    EXPECT_EQ(vmas(), (Ranges{{0x200000, 0x201000}, {0x201000, 0x202000}, {0x202000, 0x204000}}));
    long hinted = vm_mmap(0x202000, P, RW, ANON, 0);  // taken: not there
    EXPECT_NE(hinted, 0x202000);
    EXPECT_EQ(vm_mmap(0x300000, P, RW, ANON | MAP_FIXED_NOREPLACE, 0), 0x300000);
}

TEST_F(Vma, MunmapSplitsAndZapsExactlyTheRange) {
    long a = vm_mmap(0, 5 * P, RW, ANON, 0);
    EXPECT_EQ(vm_munmap(a + 2 * P, P), 0);
    EXPECT_EQ(vmas(), (Ranges{{a, a + 2 * P}, {a + 3 * P, a + 5 * P}}));
    EXPECT_EQ(zapped, (Ranges{{a + 2 * P, a + 3 * P}}));
    EXPECT_EQ(vm_munmap(a - 10 * P, 12 * P), 0);  // overlaps the start
    EXPECT_EQ(vmas(), (Ranges{{a + 3 * P, a + 5 * P}}));
    EXPECT_EQ(vm_munmap(a + 1, P), -EINVAL);
    EXPECT_EQ(vm_munmap(a, 0), -EINVAL);
    EXPECT_EQ(vm_munmap(TASK_SIZE_MAX, 2 * P), -EINVAL);
    EXPECT_EQ(vm_munmap(0x10000, P), 0);  // nothing there: fine
    EXPECT_EQ(mm->total_vm, 2u);
}

TEST_F(Vma, MprotectSplitsMergesBackAndChecks) {
    long a = vm_mmap(0, 4 * P, RW, ANON, 0);
    EXPECT_EQ(do_mprotect(a + P, 2 * P, PROT_READ), 0);
    EXPECT_EQ(vmas(), (Ranges{{a, a + P}, {a + P, a + 3 * P}, {a + 3 * P, a + 4 * P}}));
    EXPECT_EQ(reprotected, (Ranges{{a + P, a + 3 * P}}));
    EXPECT_EQ(vma_lookup(mm, a + P)->vm_flags & (VM_READ | VM_WRITE), VM_READ);
    EXPECT_EQ(do_mprotect(a, 4 * P, RW), 0);
    EXPECT_EQ(vmas(), (Ranges{{a, a + 4 * P}}));
    EXPECT_EQ(do_mprotect(a + 1, P, PROT_READ), -EINVAL);
    EXPECT_EQ(do_mprotect(a, P, 0x40), -EINVAL);
    EXPECT_EQ(do_mprotect(a, P, PROT_READ | PROT_GROWSDOWN), -EINVAL);  // not a stack
    EXPECT_EQ(do_mprotect(a, 0, PROT_READ), 0);
    EXPECT_EQ(do_mprotect(a, 5 * P, PROT_READ), -ENOMEM);  // runs into a hole
    EXPECT_EQ(do_mprotect(a - 2 * P, P, PROT_READ), -ENOMEM);
    // A shared mapping made without VM_MAYWRITE could not become writable.
    vma_lookup(mm, a)->vm_flags &= ~VM_MAYWRITE;
    EXPECT_EQ(do_mprotect(a, P, RW), -EACCES);
}

TEST_F(Vma, BrkGrowsShrinksAndStopsBelowAMapping) {
    mm->start_brk = mm->brk = 0x400000;
    EXPECT_EQ(do_brk(0x400000 + 2 * P + 1), long(0x400000 + 2 * P + 1));
    EXPECT_EQ(vmas(), (Ranges{{0x400000, 0x400000 + 3 * P}}));
    EXPECT_EQ(do_brk(0x400000 + P), long(0x400000 + P));
    EXPECT_EQ(vmas(), (Ranges{{0x400000, 0x400000 + P}}));
    EXPECT_EQ(do_brk(0x3ff000), long(0x400000 + P));  // below start_brk
    ASSERT_EQ(vm_mmap(0x400000 + 4 * P, P, RW, ANON | MAP_FIXED, 0), long(0x400000 + 4 * P));
    EXPECT_EQ(do_brk(0x400000 + 8 * P), long(0x400000 + P));  // would run into it
    EXPECT_EQ(do_brk(0x400000 + 3 * P), long(0x400000 + 3 * P));
}

TEST_F(Vma, MremapGrowsInPlaceOrMoves) {
    long a = vm_mmap(0x500000, 2 * P, RW, ANON, 0);
    ASSERT_EQ(a, 0x500000);
    EXPECT_EQ(do_mremap(a, 2 * P, 3 * P, 0, 0), a);  // in place
    EXPECT_EQ(vmas(), (Ranges{{a, a + 3 * P}}));
    ASSERT_EQ(vm_mmap(a + 3 * P, P, PROT_READ, ANON | MAP_FIXED, 0), a + 3 * long(P));
    EXPECT_EQ(do_mremap(a, 3 * P, 4 * P, 0, 0), -ENOMEM);
    long b = do_mremap(a, 3 * P, 4 * P, MREMAP_MAYMOVE, 0);
    ASSERT_GT(b, 0);
    EXPECT_EQ(moved_from, (unsigned long)a);
    EXPECT_EQ(moved_to, (unsigned long)b);
    EXPECT_EQ(moved_len, 3 * P);
    EXPECT_EQ(vma_lookup(mm, a), nullptr);
    EXPECT_EQ(vma_lookup(mm, b + 3 * P)->vm_end, b + 4 * P);
    EXPECT_EQ(do_mremap(b, 4 * P, P, 0, 0), b);
    EXPECT_EQ(do_mremap(b, P, 2 * P, MREMAP_FIXED, 0x900000), -EINVAL);  // FIXED needs MAYMOVE
    EXPECT_EQ(do_mremap(b, P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE, b), -EINVAL);  // overlap
    EXPECT_EQ(do_mremap(b, P, 2 * P, MREMAP_FIXED | MREMAP_MAYMOVE, 0x900000), 0x900000);
    EXPECT_EQ(do_mremap(0x10000, P, 2 * P, MREMAP_MAYMOVE, 0), -EFAULT);
    EXPECT_EQ(do_mremap(0x900000, P, 0, MREMAP_MAYMOVE, 0), -EINVAL);
    EXPECT_EQ(do_mremap(0x900000, P, P, 8, 0), -EINVAL);
}

TEST_F(Vma, StackGuardGapKeepsMappingsAwayAndStacksGrow) {
    unsigned long top = mm->mmap_base;
    ASSERT_EQ(vm_mmap(top - 4 * P, 4 * P, RW, ANON | MAP_FIXED | MAP_GROWSDOWN, 0), long(top - 4 * P));
    vm_area_struct* stack = vma_lookup(mm, top - P);
    EXPECT_EQ(expand_stack(stack, top - 10 * P + 5), 0);
    EXPECT_EQ(stack->vm_start, top - 10 * P);
    EXPECT_EQ(mm->stack_vm, 10u);
    EXPECT_EQ(expand_stack(stack, top - (8ul << 20) - P), -ENOMEM);  // RLIMIT_STACK
    stack_rlimit = 12 * P;
    EXPECT_EQ(expand_stack(stack, top - 13 * P), -ENOMEM);
    long below = vm_mmap(0, P, RW, ANON, 0);
    EXPECT_EQ(below, long(top - 10 * P - stack_guard_gap - P));
    EXPECT_EQ(expand_stack(stack, top - 11 * P), -ENOMEM);  // into the guard gap
    EXPECT_EQ(stack->vm_start, top - 10 * P);
}

TEST_F(Vma, MadviseAndMsyncChecks) {
    long a = vm_mmap(0, 2 * P, RW, ANON, 0);
    EXPECT_EQ(do_madvise(a, 2 * P, MADV_DONTNEED), 0);
    EXPECT_EQ(zapped, (Ranges{{a, a + 2 * P}}));
    EXPECT_EQ(do_madvise(a, P, 12345), -EINVAL);
    EXPECT_EQ(do_madvise(a + 1, P, MADV_NORMAL), -EINVAL);
    EXPECT_EQ(do_madvise(a, 3 * P, MADV_WILLNEED), -ENOMEM);
    EXPECT_EQ(do_madvise(a, 0, MADV_RANDOM), 0);
    EXPECT_EQ(do_msync(a, 2 * P, MS_ASYNC), 0);
    EXPECT_EQ(do_msync(a, P, MS_ASYNC | MS_SYNC), -EINVAL);
    EXPECT_EQ(do_msync(a, P, 16), -EINVAL);
    EXPECT_EQ(do_msync(a - P, 2 * P, MS_SYNC), -ENOMEM);
}

TEST_F(Vma, SharedAnonymousSplitsKeepOffsetsAndDoNotMergeWithPrivate) {
    long s = vm_mmap(0x600000, 4 * P, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
    ASSERT_EQ(s, 0x600000);
    ASSERT_EQ(vm_mmap(s + 4 * P, P, RW, ANON | MAP_FIXED, 0), s + 4 * long(P));
    EXPECT_EQ(mm->map_count, 2u);
    EXPECT_EQ(vm_munmap(s + P, P), 0);
    vm_area_struct* upper = vma_lookup(mm, s + 2 * P);
    EXPECT_EQ(upper->vm_pgoff, 2u);
    EXPECT_EQ(upper->vm_shared, vma_lookup(mm, s)->vm_shared);
    EXPECT_EQ(upper->vm_shared->refcount.load(memory_order::relaxed), 2);
    EXPECT_EQ(vm_mmap(s + P, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0), s + long(P));
    EXPECT_EQ(mm->map_count, 4u);  // a new object: nothing to merge with
}

// The test's files, freed at the end of the test body: their mappings must be
// gone by then.
struct FakeFile {
    file* f;
    explicit FakeFile(unsigned fmode, bool with_mmap = true) : f(fake_file_create(fmode, with_mmap)) {}
    ~FakeFile() { fake_file_destroy(f); }
    long refs() const { return fake_file_refs(f); }
};

TEST_F(Vma, FileMappingsFollowTheOpenMode) {
    FakeFile ro(FAKE_FMODE_READ), wo(FAKE_FMODE_WRITE), rw(FAKE_FMODE_READ | FAKE_FMODE_WRITE);
    FakeFile no_mmap(FAKE_FMODE_READ | FAKE_FMODE_WRITE, false);
    EXPECT_EQ(vm_mmap_pgoff(ro.f, 0, P, RW, MAP_SHARED, 0), -EACCES);
    EXPECT_EQ(vm_mmap_pgoff(wo.f, 0, P, PROT_WRITE, MAP_SHARED, 0), -EACCES);  // never without read
    EXPECT_EQ(vm_mmap_pgoff(wo.f, 0, P, PROT_READ, MAP_PRIVATE, 0), -EACCES);
    EXPECT_EQ(vm_mmap_pgoff(no_mmap.f, 0, P, PROT_READ, MAP_PRIVATE, 0), -ENODEV);
    EXPECT_EQ(vm_mmap_pgoff(rw.f, 0, P, PROT_READ, MAP_TYPE, 0), -EINVAL);
    EXPECT_EQ(vm_mmap_pgoff(rw.f, 0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, 0), -EOPNOTSUPP);
    EXPECT_EQ(vm_mmap_pgoff(rw.f, 0, P, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, 0), -EINVAL);
    EXPECT_EQ(vm_mmap_pgoff(rw.f, 0, 2 * P, PROT_READ, MAP_SHARED, (1ul << 28) - 1), -EOVERFLOW);
    EXPECT_EQ(mm->map_count, 0u);
    EXPECT_EQ(rw.refs(), 1);
    // A failed MAP_FIXED leaves the old mapping in place.
    long a = vm_mmap(0x700000, P, RW, ANON, 0);
    EXPECT_EQ(vm_mmap_pgoff(ro.f, a, P, RW, MAP_SHARED | MAP_FIXED, 0), -EACCES);
    EXPECT_TRUE(zapped.empty());

    // Shared on a read-only descriptor: neither VM_SHARED nor VM_MAYWRITE, so
    // mprotect cannot make it writable; a private one may become writable.
    long s = vm_mmap_pgoff(ro.f, 0, P, PROT_READ, MAP_SHARED, 0);
    ASSERT_GT(s, 0);
    vm_area_struct* vma = vma_lookup(mm, s);
    EXPECT_EQ(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_MAYWRITE), (unsigned long)VM_MAYSHARE);
    EXPECT_EQ(do_mprotect(s, P, RW), -EACCES);
    long p = vm_mmap_pgoff(ro.f, 0, P, PROT_READ, MAP_PRIVATE, 3);
    ASSERT_GT(p, 0);
    EXPECT_EQ(vma_lookup(mm, p)->vm_pgoff, 3u);
    EXPECT_EQ(do_mprotect(p, P, RW), 0);
    long w = vm_mmap_pgoff(rw.f, 0, P, RW, MAP_SHARED, 0);
    ASSERT_GT(w, 0);
    EXPECT_EQ(vma_lookup(mm, w)->vm_flags & VM_SHARED, (unsigned long)VM_SHARED);
    EXPECT_EQ(vma_lookup(mm, w)->vm_file, rw.f);
    // noexec: no executable mapping, now or by mprotect later.
    FakeFile nx(FAKE_FMODE_READ);
    fake_file_noexec(nx.f);
    EXPECT_EQ(vm_mmap_pgoff(nx.f, 0, P, PROT_READ | PROT_EXEC, MAP_PRIVATE, 0), -EPERM);
    long x = vm_mmap_pgoff(nx.f, 0, P, PROT_READ, MAP_PRIVATE, 0);
    ASSERT_GT(x, 0);
    EXPECT_EQ(do_mprotect(x, P, PROT_READ | PROT_EXEC), -EACCES);
    exit_mmap(mm);
    EXPECT_EQ(ro.refs() + rw.refs() + nx.refs(), 3);
}

TEST_F(Vma, FileMappingsHoldReferencesAcrossSplitsAndMergeByOffset) {
    FakeFile rw(FAKE_FMODE_READ | FAKE_FMODE_WRITE);
    long a = vm_mmap_pgoff(rw.f, 0x800000, 4 * P, RW, MAP_SHARED, 10);
    ASSERT_EQ(a, 0x800000);
    EXPECT_EQ(rw.refs(), 2);
    EXPECT_EQ(vm_munmap(a + P, P), 0);  // a hole: two VMAs
    EXPECT_EQ(rw.refs(), 3);
    EXPECT_EQ(fake_vm_opens, 2);   // split's copy, then the hole's piece
    EXPECT_EQ(fake_vm_closes, 1);  // the hole
    EXPECT_EQ(vma_lookup(mm, a + 2 * P)->vm_pgoff, 12u);
    // Refilled at the matching offset it merges back; at another it does not.
    EXPECT_EQ(vm_mmap_pgoff(rw.f, a + P, P, RW, MAP_SHARED | MAP_FIXED, 11), a + long(P));
    EXPECT_EQ(vmas(), (Ranges{{a, a + 4 * P}}));
    EXPECT_EQ(rw.refs(), 2);
    EXPECT_EQ(vm_mmap_pgoff(rw.f, a + 4 * P, P, RW, MAP_SHARED | MAP_FIXED, 20), a + 4 * long(P));
    EXPECT_EQ(mm->map_count, 2u);
    // Nor with anonymous memory of the same rights.
    EXPECT_EQ(vm_mmap(a + 5 * P, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0), a + 5 * long(P));
    EXPECT_EQ(mm->map_count, 3u);
    // MS_SYNC syncs the file of a shared file mapping (and of nothing else).
    fake_fsyncs = 0;
    EXPECT_EQ(do_msync(a, 6 * P, MS_SYNC), 0);
    EXPECT_EQ(fake_fsyncs, 2);
    EXPECT_EQ(do_msync(a, 6 * P, MS_ASYNC), 0);
    EXPECT_EQ(fake_fsyncs, 2);
    EXPECT_EQ(vm_munmap(a, 6 * P), 0);
    EXPECT_EQ(rw.refs(), 1);
    // Every VMA was closed once: the three mmap made (which the file's own
    // mmap counts, not vm_ops->open) and every copy.
    EXPECT_EQ(fake_vm_closes - fake_vm_opens, 3);
}

}  // namespace

