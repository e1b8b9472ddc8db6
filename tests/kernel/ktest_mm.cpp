// ktest_run_in_mm (tests/kernel/ktest_mm.h).
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/sched.h>
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
