// The CPU sets (possible, online, active) and boot_cpu_init, which puts the boot
// CPU in all of them before anything else runs (Linux's kernel/cpu.c).
#include <keel/smp.h>
#include <lib/cpumask.h>

cpumask cpu_possible_mask_bits, cpu_online_mask_bits, cpu_active_mask_bits;

void boot_cpu_init() {
    unsigned cpu = smp_processor_id();
    cpumask_set_cpu(cpu, cpu_possible_mask);
    cpumask_set_cpu(cpu, cpu_online_mask);
    cpumask_set_cpu(cpu, cpu_active_mask);
}
