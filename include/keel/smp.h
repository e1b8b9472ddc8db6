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
