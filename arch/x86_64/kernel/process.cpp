// Context switching: copy_thread builds a new task's first stack frame, and
// __switch_to does what must happen on the new stack — swap the FPU state and
// make `next` the current task.
#include <asm/current.h>
#include <asm/fpu.h>
#include <asm/process.h>
#include <keel/percpu.h>
#include <keel/sched.h>

extern "C" task_struct* __switch_to_asm(task_struct* prev, task_struct* next, unsigned long* prev_sp,
                                        unsigned long* next_sp);
extern "C" void ret_from_fork();

namespace {
// What __switch_to_asm leaves on a switched-out task's stack, lowest address first.
struct inactive_task_frame {
    unsigned long r15, r14, r13, r12, bx, bp;
    unsigned long ret_addr;
};
}  // namespace

void copy_thread(task_struct* p, int (*fn)(void*), void* arg) {
    auto* top = reinterpret_cast<inactive_task_frame*>(static_cast<char*>(p->stack) + THREAD_SIZE);
    inactive_task_frame* frame = top - 1;
    *frame = {};
    frame->bx = reinterpret_cast<unsigned long>(fn);
    frame->r12 = reinterpret_cast<unsigned long>(arg);
    frame->ret_addr = reinterpret_cast<unsigned long>(&ret_from_fork);
    p->thread.sp = reinterpret_cast<unsigned long>(frame);
}

extern "C" task_struct* __switch_to(task_struct* prev, task_struct* next) {
    switch_fpu(prev, next);
    this_cpu_write(current_task, next);
    return prev;
}

task_struct* switch_to(task_struct* prev, task_struct* next) {
    return __switch_to_asm(prev, next, &prev->thread.sp, &next->thread.sp);
}
