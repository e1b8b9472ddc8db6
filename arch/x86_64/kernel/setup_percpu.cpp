// Per-CPU areas. Until setup_per_cpu_areas runs, the boot CPU uses the template
// where the image was loaded (its GS base is set by the first C++ code); then
// every possible CPU gets its own copy from memblock, and GS moves to CPU 0's.
#include <asm/processor.h>
#include <asm/sections.h>
#include <keel/panic.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <mm/memblock.h>

// First in the section: the variables every per-CPU access path needs.
__section(".data..percpu..first") unsigned long this_cpu_off;
__section(".data..percpu..first") unsigned cpu_number;

unsigned long __per_cpu_offset[NR_CPUS];

void setup_early_per_cpu_area() {
    auto base = reinterpret_cast<unsigned long>(__per_cpu_load);
    __per_cpu_offset[0] = base;
    *reinterpret_cast<unsigned long*>(base + reinterpret_cast<unsigned long>(&this_cpu_off)) = base;
    wrmsr(MSR_GS_BASE, base);
}

void setup_per_cpu_areas() {
    size_t size = align_up(size_t(__per_cpu_end - __per_cpu_start), size_t(64));
    unsigned cpu;
    for_each_possible_cpu(cpu) {
        auto* area = static_cast<char*>(memblock_alloc(size, 4096));
        if (!area) panic("percpu: cannot allocate %zu bytes for CPU %u", size, cpu);
        memcpy(area, __per_cpu_load, size_t(__per_cpu_end - __per_cpu_start));
        auto base = reinterpret_cast<unsigned long>(area);
        __per_cpu_offset[cpu] = base;
        per_cpu(this_cpu_off, cpu) = base;
        per_cpu(cpu_number, cpu) = cpu;
    }
    wrmsr(MSR_GS_BASE, __per_cpu_offset[0]);
    printk(KERN_INFO "percpu: %u CPUs, %zu bytes per CPU\n", cpumask_weight(cpu_possible_mask), size);
}
