// CPU identity. Only the boot CPU runs until SMP bring-up (issue 3), so the
// current CPU is always 0 here; per-CPU data indexed by it is already per-CPU.
#pragma once

#define NR_CPUS 64

static inline unsigned smp_processor_id() { return 0; }

// Possible CPUs: enabled plus hot-pluggable ones in the MADT (set in setup_arch).
extern unsigned int nr_cpu_ids;
