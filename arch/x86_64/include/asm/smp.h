// x86 SMP: starting the other CPUs (smpboot.cpp) and the IPIs they exchange
// (smp.cpp). The generic layer (keel/smp.h, kernel/smp.cpp) builds function
// calls and smp_init on these.
#pragma once
#include <keel/types.h>

struct cpumask;

// Allocates the trampoline and the APs' per-CPU descriptor tables (after the
// per-CPU areas and kmalloc exist).
void native_smp_prepare_cpus();
// Starts `cpu` (INIT-SIPI-SIPI) and waits until it is online. 0, or -EIO when
// it did not answer within the timeout (reported and left offline).
int native_cpu_up(unsigned cpu);

// IPIs of the generic SMP code.
void native_smp_send_reschedule(unsigned cpu);
// The scheduler's name for it: make `cpu` notice TIF_NEED_RESCHED.
void smp_send_reschedule(int cpu);
void native_send_call_func_ipi(const cpumask* mask);
void native_send_call_func_single_ipi(unsigned cpu);
// Stops every other CPU (panic, power-off): they halt with IRQs off.
void smp_send_stop();

// Flushes kernel mappings in [start, end) from every online CPU's TLB: locally,
// then by IPI on the others, waiting until all have. Callable with IRQs on.
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all();
