// The x86 IPIs (Linux's arch/x86/kernel/smp.c and the shootdown half of
// arch/x86/mm/tlb.c): reschedule, function call, TLB shootdown, stop.
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/tsc.h>
#include <keel/interrupt.h>
#include <keel/preempt.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <lib/cpumask.h>

namespace {

// The shootdown in flight. One at a time: flush_tlb_kernel_range holds
// tlb_flush_lock while the other CPUs read it.
struct flush_tlb_info {
    unsigned long start;
    unsigned long end;
    Atomic<unsigned> pending;  // CPUs that have yet to flush
};
spinlock_t tlb_flush_lock;
flush_tlb_info* tlb_flush_request;

// Past this many pages one full flush is cheaper than page-by-page invlpg
// (Linux's tlb_single_page_flush_ceiling).
constexpr unsigned long TLB_SINGLE_PAGE_FLUSH_CEILING = 33;

// Kernel mappings are global, so reloading CR3 keeps them; toggling CR4.PGE
// drops every TLB entry, global ones included.
void __flush_tlb_all() {
    u64 cr4 = read_cr4();
    if (cr4 & X86_CR4_PGE) {
        write_cr4(cr4 & ~X86_CR4_PGE);
        write_cr4(cr4);
    } else {
        write_cr3(read_cr3());
    }
}

void do_kernel_range_flush(unsigned long start, unsigned long end) {
    if ((end - start) / PAGE_SIZE > TLB_SINGLE_PAGE_FLUSH_CEILING) {
        __flush_tlb_all();
        return;
    }
    for (unsigned long va = start & ~(PAGE_SIZE - 1); va < end; va += PAGE_SIZE) flush_tlb_one_kernel(va);
}

}  // namespace

void native_smp_send_reschedule(unsigned cpu) {
    if (cpu_online(cpu)) apic_send_IPI(cpu, RESCHEDULE_VECTOR);
}
// The scheduler's name for it (kernel/sched/core.cpp).
void smp_send_reschedule(int cpu) { native_smp_send_reschedule(unsigned(cpu)); }

void native_send_call_func_ipi(const cpumask* mask) { apic_send_IPI_mask(mask, CALL_FUNCTION_VECTOR); }
void native_send_call_func_single_ipi(unsigned cpu) { apic_send_IPI(cpu, CALL_FUNCTION_SINGLE_VECTOR); }

// Only makes the CPU take an interrupt: the return path sees TIF_NEED_RESCHED.
void sysvec_reschedule_ipi() {
    apic_eoi();
    inc_irq_stat(irq_resched_count);
}

void sysvec_call_function() {
    apic_eoi();
    inc_irq_stat(irq_call_count);
    generic_smp_call_function_interrupt();
}

void sysvec_call_function_single() {
    apic_eoi();
    inc_irq_stat(irq_call_count);
    generic_smp_call_function_single_interrupt();
}

void sysvec_invalidate_tlb() {
    flush_tlb_info* info = __atomic_load_n(&tlb_flush_request, __ATOMIC_ACQUIRE);
    if (info) {
        do_kernel_range_flush(info->start, info->end);
        inc_irq_stat(irq_tlb_count);
        info->pending.fetch_sub(1, memory_order::release);
    }
    apic_eoi();
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end) {
    // Spin for the lock with IRQs on: a CPU holding it waits for our answer.
    // Softirqs stay off: one run on an interrupt's exit here (an RCU callback
    // freeing a task's stack, say) could vfree and flush again, spinning for
    // the lock this CPU already holds.
    local_bh_disable();
    preempt_disable();
    while (!tlb_flush_lock.try_lock()) cpu_relax();
    flush_tlb_info info{start, end, 0};
    cpumask others;
    cpumask_clear(&others);
    unsigned self = smp_processor_id(), cpu;
    for_each_online_cpu(cpu)
        if (cpu != self) cpumask_set_cpu(cpu, &others);
    info.pending.store(cpumask_weight(&others), memory_order::relaxed);
    __atomic_store_n(&tlb_flush_request, &info, __ATOMIC_RELEASE);
    apic_send_IPI_mask(&others, INVALIDATE_TLB_VECTOR);
    do_kernel_range_flush(start, end);
    while (info.pending.load(memory_order::acquire)) cpu_relax();
    __atomic_store_n(&tlb_flush_request, nullptr, __ATOMIC_RELEASE);
    tlb_flush_lock.unlock();
    preempt_enable();
    local_bh_enable();
}

void flush_tlb_all() { flush_tlb_kernel_range(0, ~0ul); }

// A stopped CPU leaves the online mask and halts with IRQs off for good.
void sysvec_reboot() {
    apic_eoi();
    cpumask_clear_cpu(smp_processor_id(), cpu_online_mask);
    native_irq_disable_halt_forever();
}

void smp_send_stop() {
    if (num_online_cpus() <= 1) return;
    cpumask others = *cpu_online_mask;
    cpumask_clear_cpu(smp_processor_id(), &others);
    apic_send_IPI_mask(&others, REBOOT_VECTOR);
    u64 deadline = sched_clock() + 1'000'000'000ull;
    while (num_online_cpus() > 1 && sched_clock() < deadline) cpu_relax();
}
