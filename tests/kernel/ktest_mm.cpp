// ktest_run_in_mm and the user-memory helpers (tests/kernel/ktest_mm.h).
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/uaccess.h>
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/sched.h>
#include <mm/internal.h>
#include <tests/kernel/ktest_mm.h>

namespace {

struct mm_test {
    ktest* t;
    void (*body)(ktest*, mm_struct*);
    completion done;
};

int mm_test_thread(void* arg) {
    auto* test = static_cast<mm_test*>(arg);
    mm_struct* mm = mm_alloc();
    if (!mm) {
        ktest_fail(test->t, __FILE__, __LINE__, "mm_alloc failed");
    } else {
        current->mm = current->active_mm = mm;
        switch_mm(nullptr, mm, current);
        test->body(test->t, mm);
        switch_mm(mm, &init_mm, current);
        current->mm = current->active_mm = nullptr;
        mmput(mm);
    }
    complete(&test->done);
    return 0;
}

}  // namespace

void ktest_run_in_mm(ktest* t, void (*body)(ktest*, mm_struct*), const char* thread_name) {
    mm_test test{t, body, {}};
    init_completion(&test.done);
    task_struct* k = kthread_create_on_cpu(mm_test_thread, &test, 0, thread_name);
    KTEST_ASSERT_TRUE(t, k != nullptr);
    wake_up_process(k);
    wait_for_completion(&test.done);
}

namespace {
long user_copy(void* dst, const void* src, size_t n) {
    bool smap = read_cr4() & X86_CR4_SMAP;
    if (smap) asm volatile("stac" ::: "memory");
    long ret = copy_from_kernel_nofault(dst, src, n);
    if (smap) asm volatile("clac" ::: "memory");
    return ret;
}
}  // namespace

long ktest_put_user_byte(unsigned long addr, char c) { return user_copy(reinterpret_cast<void*>(addr), &c, 1); }
long ktest_get_user_byte(unsigned long addr, char* c) { return user_copy(c, reinterpret_cast<void*>(addr), 1); }

vm_fault_t ktest_user_fault(mm_struct* mm, unsigned long addr, unsigned flags, int* si_code) {
    down_read(&mm->mmap_lock);
    vm_fault_t ret = handle_user_fault(addr, flags, si_code);
    up_read(&mm->mmap_lock);
    return ret;
}

page* ktest_page_at(mm_struct* mm, unsigned long addr) {
    unsigned long next;
    pteval_t* pte = pte_lookup(mm->pgd, addr, &next);
    return pte && pte_mapped(*pte) ? phys_to_page(*pte & PTE_PFN_MASK) : nullptr;
}
