// cpumask_t: a set of CPUs, as a bitmap of NR_CPUS bits (Linux's cpumask.h).
#pragma once
#include <keel/smp.h>
#include <lib/bitmap.h>

struct cpumask {
    DECLARE_BITMAP(bits, NR_CPUS);
};
using cpumask_t = cpumask;

static inline void cpumask_set_cpu(unsigned cpu, cpumask* m) { set_bit(cpu, m->bits); }
static inline void cpumask_clear_cpu(unsigned cpu, cpumask* m) { clear_bit(cpu, m->bits); }
static inline bool cpumask_test_cpu(unsigned cpu, const cpumask* m) { return test_bit(cpu, m->bits); }
static inline void cpumask_clear(cpumask* m) { bitmap_zero(m->bits, NR_CPUS); }
static inline void cpumask_setall(cpumask* m) { bitmap_fill(m->bits, NR_CPUS); }
static inline unsigned cpumask_weight(const cpumask* m) { return unsigned(bitmap_weight(m->bits, NR_CPUS)); }
static inline unsigned cpumask_first(const cpumask* m) { return unsigned(find_first_bit(m->bits, NR_CPUS)); }
static inline unsigned cpumask_next(int n, const cpumask* m) {
    return unsigned(find_next_bit(m->bits, NR_CPUS, n + 1));
}
static inline bool cpumask_empty(const cpumask* m) { return cpumask_first(m) >= NR_CPUS; }

#define for_each_cpu(cpu, mask) \
    for ((cpu) = cpumask_first(mask); (cpu) < NR_CPUS; (cpu) = cpumask_next((cpu), (mask)))

// The CPU sets every kernel keeps: possible (may ever exist), present, online
// (running and schedulable), active (takes new tasks).
extern cpumask cpu_possible_mask_bits, cpu_online_mask_bits, cpu_active_mask_bits;
#define cpu_possible_mask (&cpu_possible_mask_bits)
#define cpu_online_mask (&cpu_online_mask_bits)
#define cpu_active_mask (&cpu_active_mask_bits)
#define for_each_possible_cpu(cpu) for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu) for_each_cpu((cpu), cpu_online_mask)
static inline unsigned num_online_cpus() { return cpumask_weight(cpu_online_mask); }
static inline bool cpu_online(unsigned cpu) { return cpumask_test_cpu(cpu, cpu_online_mask); }
