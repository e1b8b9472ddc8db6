// What the kernel provides and host tests must stand in for: printk goes to
// stderr, panic() aborts the test process (gtest reports it as a crash/death).
#include <asm/page_types.h>
#include <keel/panic.h>
#include <keel/percpu.h>
#include <keel/preempt.h>
#include <keel/rwsem.h>
#include <lib/vsprintf.h>
#include <stdio.h>
#include <stdlib.h>

unsigned long page_offset_base;
unsigned long vmemmap_base;
// One CPU, whose per-CPU variables are the variables themselves (arch/host/include/asm/percpu.h).
unsigned cpu_number;
unsigned long this_cpu_off;
unsigned long __per_cpu_offset[NR_CPUS];
// No preemption and no tasks in a host process: the counters just count, and
// the lock validator sees no task and no stack frames.
unsigned __preempt_count;
struct task_struct* current_task;
void preempt_enable() { preempt_count_sub(PREEMPT_OFFSET); }
unsigned save_stack_trace(unsigned long*, unsigned) { return 0; }
void print_stack_trace(const unsigned long*, unsigned, int) {}

int vprintk(const char* fmt, va_list args) {
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, args);
    const char* text = buf;
    if (text[0] == '\001' && text[1]) text += 2;  // drop the KERN_<level> prefix
    fputs(text, stderr);
    return n;
}

int printk(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = vprintk(fmt, args);
    va_end(args);
    return n;
}

void panic(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fputs("Kernel panic - not syncing: ", stderr);
    vprintk(fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

void warn_slowpath(const char* file, int line, const char* cond) {
    fprintf(stderr, "WARNING: at %s:%d: %s\n", file, line, cond);
}

// The sleeping read-write semaphore needs the scheduler; a host test is one
// thread, so taking it only has to be checked for balance.
void down_read(rw_semaphore* sem) { sem->count.fetch_add(RWSEM_READER_BIAS, memory_order::acquire); }
void up_read(rw_semaphore* sem) { sem->count.fetch_sub(RWSEM_READER_BIAS, memory_order::release); }
void down_write(rw_semaphore* sem) {
    if (sem->count.load(memory_order::relaxed)) panic("host down_write: the semaphore is held");
    sem->count.store(RWSEM_WRITER_LOCKED, memory_order::relaxed);  // one thread: no ordering to make
}
void up_write(rw_semaphore* sem) { sem->count.store(0, memory_order::release); }
