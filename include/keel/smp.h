// CPU identity: each CPU's number lives in its per-CPU area (keel/percpu.h).
#pragma once
#include <asm/percpu.h>

#define NR_CPUS 64

extern unsigned cpu_number;  // per-CPU
static inline unsigned smp_processor_id() { return this_cpu_read(cpu_number); }

// Possible CPUs: enabled plus hot-pluggable ones in the MADT (set in setup_arch).
extern unsigned int nr_cpu_ids;
// Marks the boot CPU possible, online and active (first thing in start_kernel).
void boot_cpu_init();

// ---- cross-CPU function calls (kernel/smp.cpp) ----------------------------------
// `func` runs on the target CPU in interrupt context (IRQs off) with `info`.
// With wait, the caller spins until it has returned. Callers must have IRQs
// on: two CPUs waiting for each other with IRQs off would never answer.
struct cpumask;
using smp_call_func_t = void (*)(void* info);
// 0, or -ENXIO when `cpu` is not online. On the calling CPU itself it runs
// directly, with IRQs off.
int smp_call_function_single(unsigned cpu, smp_call_func_t func, void* info, bool wait);
// Every online CPU in `mask` except the caller.
void smp_call_function_many(const cpumask* mask, smp_call_func_t func, void* info, bool wait);
// Every online CPU except the caller.
void smp_call_function(smp_call_func_t func, void* info, bool wait);
// Every online CPU, the caller included (last, with IRQs off).
void on_each_cpu(smp_call_func_t func, void* info, bool wait);
// The IPI handlers' half: run what was queued for this CPU.
void generic_smp_call_function_interrupt();
void generic_smp_call_function_single_interrupt();

// Starts every present CPU and reports how many came up (kernel_init).
void smp_init();
// Before smp_init, once kmalloc and the per-CPU areas exist: per-CPU call queues
// and the architecture's preparations (the trampoline).
void smp_prepare_cpus();
