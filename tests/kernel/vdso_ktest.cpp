// vDSO tests: the vDSO's own clock code (include/vdso/gettimeofday.h), run in
// the kernel on the published data page, gives the kernel's time; exec's
// mapping has the layout, rights and contents the C libraries expect, fork
// keeps it and munmap removes it; every CPU's getcpu segment names that CPU.
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/vdso.h>
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/mm.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <keel/timekeeping.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <mm/internal.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_mm.h>
#include <uapi/asm/mman.h>
#include <uapi/linux/elf.h>
#include <vdso/gettimeofday.h>
#include <vdso/vsyscall.h>

namespace {

ktime_t vdso_hres(int clk, bool* ok) {
    u64 sec, nsec;
    *ok = vdso::do_hres(vdso_k_data(), clk, &sec, &nsec);
    return ktime_t(sec * NSEC_PER_SEC + nsec);
}

// The vDSO's reading lies between two kernel readings taken around it (and
// within a microsecond of them, for the time the reads themselves take).
void check_clock(ktest* t, int clk, ktime_t (*kernel)()) {
    for (int i = 0; i < 1000; i++) {
        ktime_t before = kernel();
        bool ok;
        ktime_t v = vdso_hres(clk, &ok);
        ktime_t after = kernel();
        if (!ok) {
            printk(KERN_INFO "    # SKIP %s: clocksource is not the TSC (the vDSO makes the system call)\n", t->name);
            return;
        }
        KTEST_EXPECT_GE(t, v, before);
        KTEST_EXPECT_LE(t, v, after);
        KTEST_EXPECT_LE(t, after - before, 1000 * NSEC_PER_USEC);  // a preempted pass is not a failure...
        if (t->failed) return;                                      // ...but the first failure is enough
    }
}

void hres_clocks_match_ktime(ktest* t) {
    check_clock(t, VDSO_CLOCK_MONOTONIC, ktime_get);
    check_clock(t, VDSO_CLOCK_REALTIME, ktime_get_real);
    check_clock(t, VDSO_CLOCK_BOOTTIME, ktime_get_boottime);
}

// The coarse clocks are the time at the last tick: behind the kernel's clock,
// by at most a few ticks on a loaded host.
void coarse_clocks_trail_by_a_tick(ktest* t) {
    u64 sec, nsec;
    // The coarse reading first: a tick between the two readings moves it on,
    // so read the other way round it could pass a `now` taken before the tick.
    vdso::do_coarse(vdso_k_data(), VDSO_CLOCK_MONOTONIC_COARSE, &sec, &nsec);
    ktime_t now = ktime_get();
    ktime_t coarse = ktime_t(sec * NSEC_PER_SEC + nsec);
    KTEST_EXPECT_LE(t, coarse, now);
    KTEST_EXPECT_LT(t, now - coarse, 100 * NSEC_PER_MSEC);
    KTEST_EXPECT_LT(t, nsec, vdso::NSEC_PER_SEC);
    vdso::do_coarse(vdso_k_data(), VDSO_CLOCK_REALTIME_COARSE, &sec, &nsec);
    now = ktime_get_real();
    coarse = ktime_t(sec * NSEC_PER_SEC + nsec);
    KTEST_EXPECT_LE(t, coarse, now);
    KTEST_EXPECT_LT(t, now - coarse, 100 * NSEC_PER_MSEC);
}

void data_page_follows_settimeofday(ktest* t) {
    timespec64 old = ktime_get_real_ts64();
    timespec64 set{old.tv_sec + 1000, old.tv_nsec};
    KTEST_ASSERT_TRUE(t, do_settimeofday64(set) == 0);
    u64 sec, nsec;
    vdso::do_coarse(vdso_k_data(), VDSO_CLOCK_REALTIME_COARSE, &sec, &nsec);
    KTEST_EXPECT_GE(t, s64(sec), old.tv_sec + 1000);
    KTEST_EXPECT_LT(t, s64(sec), old.tv_sec + 1010);
    timespec64 back = ktime_get_real_ts64();
    back.tv_sec -= 1000;
    do_settimeofday64(back);
}

// ---- the mapping, in a kernel thread owning a fresh mm ----------------------------

void map_vdso_body(ktest* t, mm_struct* mm) {
    long base = map_vdso(mm);
    KTEST_ASSERT_TRUE(t, base > 0);
    KTEST_EXPECT_EQ(t, mm->vdso, reinterpret_cast<void*>(base));
    KTEST_EXPECT_LT(t, (unsigned long)base, mm->mmap_base);
    vm_area_struct* vvar = vma_lookup(mm, base - PAGE_SIZE);
    vm_area_struct* text = vma_lookup(mm, base);
    KTEST_ASSERT_TRUE(t, vvar && text && vvar != text);
    KTEST_EXPECT_EQ(t, vvar->vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_MAYWRITE), VM_READ);
    KTEST_EXPECT_EQ(t, text->vm_flags & (VM_READ | VM_WRITE | VM_EXEC), VM_READ | VM_EXEC);
    KTEST_EXPECT_EQ(t, text->vm_end - text->vm_start, PAGE_SIZE * ((vdso_image_end - vdso_image_start + PAGE_SIZE - 1) / PAGE_SIZE));

    // What user space reads there: the ELF header, and the kernel's data page.
    unsigned char ehdr[sizeof(Elf64_Ehdr)];
    KTEST_EXPECT_EQ(t, access_remote_vm(mm, base, ehdr, sizeof(ehdr), false), long(sizeof(ehdr)));
    KTEST_EXPECT_EQ(t, memcmp(ehdr, vdso_image_start, sizeof(ehdr)), 0);
    vdso_data seen;
    KTEST_EXPECT_EQ(t, access_remote_vm(mm, base - PAGE_SIZE, &seen, sizeof(seen), false), long(sizeof(seen)));
    KTEST_EXPECT_EQ(t, seen.mult, vdso_k_data()->mult);
    KTEST_EXPECT_EQ(t, seen.shift, vdso_k_data()->shift);

    // Writes are refused on both; the data page cannot even be made writable.
    int si_code;
    down_read(&mm->mmap_lock);
    KTEST_EXPECT_EQ(t, handle_user_fault(base, FAULT_FLAG_WRITE | FAULT_FLAG_USER, &si_code), VM_FAULT_SIGSEGV);
    up_read(&mm->mmap_lock);
    KTEST_EXPECT_NE(t, do_mprotect(base - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);

    // fork keeps the mapping.
    mm_struct* child = dup_mm(mm);
    KTEST_ASSERT_TRUE(t, child != nullptr);
    KTEST_EXPECT_EQ(t, child->vdso, mm->vdso);
    vm_area_struct* ctext = vma_lookup(child, base);
    KTEST_EXPECT_TRUE(t, ctext && ctext->vm_special == text->vm_special);
    KTEST_EXPECT_EQ(t, access_remote_vm(child, base, ehdr, 4, false), 4);
    KTEST_EXPECT_EQ(t, memcmp(ehdr, ELFMAG, 4), 0);
    mmput(child);

    // After MADV_DONTNEED-like zapping the same page faults back in.
    down_write(&mm->mmap_lock);
    zap_page_range(text, text->vm_start, text->vm_end);
    up_write(&mm->mmap_lock);
    KTEST_EXPECT_EQ(t, access_remote_vm(mm, base, ehdr, 4, false), 4);
    KTEST_EXPECT_EQ(t, memcmp(ehdr, ELFMAG, 4), 0);

    // munmap is allowed, as in Linux.
    KTEST_EXPECT_EQ(t, vm_munmap(base - PAGE_SIZE, text->vm_end - (base - PAGE_SIZE)), 0);
    KTEST_EXPECT_TRUE(t, vma_lookup(mm, base) == nullptr);
}

void map_vdso_layout_fork_munmap(ktest* t) { ktest_run_in_mm(t, map_vdso_body, "ktest-vdso"); }

// ---- getcpu ---------------------------------------------------------------------

struct getcpu_test {
    unsigned cpu, seen;
    completion done;
};

int getcpu_thread(void* arg) {
    auto* test = static_cast<getcpu_test*>(arg);
    unsigned p;
    // What the vDSO's getcpu does, here at CPL 0 (the segment's DPL 3 allows both).
    asm volatile("lsl %1, %0" : "=r"(p) : "r"(unsigned(__CPUNODE_SEG)));
    test->seen = p;
    complete(&test->done);
    return 0;
}

void getcpu_segment_names_each_cpu(ktest* t) {
    unsigned cpu;
    for_each_online_cpu(cpu) {
        getcpu_test test{cpu, ~0u, {}};
        init_completion(&test.done);
        task_struct* k = kthread_create_on_cpu(getcpu_thread, &test, cpu, "ktest-getcpu");
        KTEST_ASSERT_TRUE(t, k != nullptr);
        wake_up_process(k);
        wait_for_completion(&test.done);
        KTEST_EXPECT_EQ(t, test.seen, cpu);  // node 0
    }
}

const ktest_case vdso_cases[] = {
    KTEST_CASE(hres_clocks_match_ktime),
    KTEST_CASE(coarse_clocks_trail_by_a_tick),
    KTEST_CASE(data_page_follows_settimeofday),
    KTEST_CASE(map_vdso_layout_fork_munmap),
    KTEST_CASE(getcpu_segment_names_each_cpu),
    {},
};

}  // namespace

KTEST_SUITE(vdso, vdso_cases);
