// SMP on the real machine: every CPU the MADT enables is online, function calls
// run on the CPU they name, on_each_cpu reaches all of them, reschedule IPIs
// arrive, and a TLB shootdown makes every CPU see a changed kernel mapping.
#include <acpi/acpi.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/tsc.h>
#include <keel/atomic.h>
#include <keel/preempt.h>
#include <keel/smp.h>
#include <lib/cpumask.h>
#include <mm/gfp.h>
#include <mm/page.h>
#include <mm/vmalloc.h>
#include <tests/kernel/ktest.h>
#include <uapi/asm/errno.h>

namespace {

bool smp_ready(ktest* t) {
    if (apic_mmio_base) return true;
    printk(KERN_INFO "    # %s: SKIP init_IRQ has not run\n", t->name);
    return false;
}

void all_enabled_cpus_are_online(ktest* t) {
    if (!smp_ready(t)) return;
    unsigned expected = acpi_madt.nr_enabled_cpus ? acpi_madt.nr_enabled_cpus : 1;
    KTEST_EXPECT_EQ(t, num_online_cpus(), expected);
    unsigned cpu;
    for_each_online_cpu(cpu) KTEST_EXPECT_NE(t, x86_cpu_to_apicid[cpu], BAD_APICID);
    printk(KERN_INFO "    # %u CPUs online\n", num_online_cpus());
}

struct where {
    unsigned cpu;
    bool hardirq;
    bool irqs_off;
};
void record_cpu(void* info) {
    auto* w = static_cast<where*>(info);
    w->cpu = smp_processor_id();
    w->hardirq = in_hardirq();
    w->irqs_off = arch_irqs_disabled();
}

void call_function_single_runs_on_target(ktest* t) {
    if (!smp_ready(t)) return;
    unsigned cpu;
    for_each_online_cpu(cpu) {
        where w{~0u, false, false};
        KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_cpu, &w, true), 0);
        KTEST_EXPECT_EQ(t, w.cpu, cpu);
        KTEST_EXPECT_TRUE(t, w.irqs_off);
    }
    where w{};
    KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS - 1, record_cpu, &w, true), -ENXIO);
}

Atomic<unsigned long> reached{0};
void mark_cpu(void*) { reached.fetch_or(1ul << smp_processor_id(), memory_order::relaxed); }

void on_each_cpu_reaches_every_cpu(ktest* t) {
    if (!smp_ready(t)) return;
    unsigned long online = cpu_online_mask->bits[0];
    for (int round = 0; round < 50; round++) {
        reached.store(0, memory_order::relaxed);
        on_each_cpu(mark_cpu, nullptr, true);
        KTEST_EXPECT_EQ(t, reached.load(memory_order::relaxed), online);
    }
    // Without waiting: the calls still all arrive.
    reached.store(0, memory_order::relaxed);
    on_each_cpu(mark_cpu, nullptr, false);
    u64 end = sched_clock() + 1'000'000'000ull;
    while (reached.load(memory_order::relaxed) != online && sched_clock() < end) cpu_relax();
    KTEST_EXPECT_EQ(t, reached.load(memory_order::relaxed), online);
}

void reschedule_ipi_is_counted(ktest* t) {
    if (!smp_ready(t)) return;
    if (num_online_cpus() < 2) return;
    preempt_disable();
    unsigned self = smp_processor_id();
    unsigned target = cpumask_first(cpu_online_mask) == self ? cpumask_next(int(self), cpu_online_mask)
                                                               : cpumask_first(cpu_online_mask);
    unsigned before = per_cpu(irq_stat, target).irq_resched_count;
    native_smp_send_reschedule(target);
    preempt_enable();
    u64 end = sched_clock() + 1'000'000'000ull;
    while (__atomic_load_n(&per_cpu(irq_stat, target).irq_resched_count, __ATOMIC_RELAXED) == before &&
           sched_clock() < end)
        cpu_relax();
    KTEST_EXPECT_EQ(t, per_cpu(irq_stat, target).irq_resched_count, before + 1);
}

// What each CPU reads through the test mapping.
volatile unsigned long* tlb_va;
unsigned long seen[NR_CPUS];
void read_mapping(void*) { seen[smp_processor_id()] = *tlb_va; }

void tlb_shootdown_seen_on_all_cpus(ktest* t) {
    if (!smp_ready(t)) return;
    page* a = alloc_page(GFP_KERNEL);
    page* b = alloc_page(GFP_KERNEL);
    KTEST_ASSERT_TRUE(t, a && b);
    *static_cast<unsigned long*>(page_address(a)) = 0xaaaa;
    *static_cast<unsigned long*>(page_address(b)) = 0xbbbb;
    page* pages[1] = {a};
    void* va = vmap(pages, 1, VM_MAP, PAGE_KERNEL);
    KTEST_ASSERT_TRUE(t, va != nullptr);
    tlb_va = static_cast<volatile unsigned long*>(va);
    // Every CPU reads it, so every TLB holds the translation to page a.
    on_each_cpu(read_mapping, nullptr, true);
    unsigned cpu;
    for_each_online_cpu(cpu) KTEST_EXPECT_EQ(t, seen[cpu], 0xaaaaul);

    pg_level level;
    pteval_t* pte = lookup_address(init_top_pgt, reinterpret_cast<unsigned long>(va), &level);
    KTEST_ASSERT_TRUE(t, pte && level == PG_LEVEL_4K);
    unsigned tlb_before[NR_CPUS];
    for_each_online_cpu(cpu) tlb_before[cpu] = per_cpu(irq_stat, cpu).irq_tlb_count;
    pteval_t old = *pte;
    *pte = (old & ~PTE_PFN_MASK) | page_to_phys(b);
    flush_tlb_kernel_range(reinterpret_cast<unsigned long>(va), reinterpret_cast<unsigned long>(va) + PAGE_SIZE);
    on_each_cpu(read_mapping, nullptr, true);
    unsigned self = smp_processor_id();  // stable enough: only for the counter check
    for_each_online_cpu(cpu) {
        KTEST_EXPECT_EQ(t, seen[cpu], 0xbbbbul);
        if (cpu != self) KTEST_EXPECT_EQ(t, per_cpu(irq_stat, cpu).irq_tlb_count, tlb_before[cpu] + 1);
    }
    *pte = old;
    flush_tlb_kernel_range(reinterpret_cast<unsigned long>(va), reinterpret_cast<unsigned long>(va) + PAGE_SIZE);
    vunmap(va);
    __free_page(a);
    __free_page(b);
}

const ktest_case smp_cases[] = {
    KTEST_CASE(all_enabled_cpus_are_online),
    KTEST_CASE(call_function_single_runs_on_target),
    KTEST_CASE(on_each_cpu_reaches_every_cpu),
    KTEST_CASE(reschedule_ipi_is_counted),
    KTEST_CASE(tlb_shootdown_seen_on_all_cpus),
    {},
};

}  // namespace

KTEST_SUITE(smp, smp_cases);
