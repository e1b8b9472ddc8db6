// Cross-CPU function calls and bring-up of the other CPUs (Linux's kernel/smp.c).
// Each CPU has a queue of call_single_data (csd) entries, pushed lock-free by
// any CPU; the first entry pushed onto an empty queue sends the IPI, and the
// target's handler takes the whole queue at once. A csd is locked (CSD_FLAG_LOCK)
// from queueing until the target has run it, which is what a waiting caller
// spins on and what keeps a per-CPU csd from being reused too early.
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <keel/atomic.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <lib/cpumask.h>
#include <uapi/asm/errno.h>

namespace {

constexpr unsigned CSD_FLAG_LOCK = 1;
constexpr unsigned CSD_FLAG_SYNC = 2;  // the caller waits for this one

struct call_single_data {
    call_single_data* next;
    smp_call_func_t func;
    void* info;
    Atomic<unsigned> flags;
};

// A caller's csds for smp_call_function_many: one per target CPU (Linux's cfd).
struct call_function_data {
    call_single_data csd[NR_CPUS];
};

}  // namespace

DEFINE_PER_CPU(call_single_data*, call_single_queue);
DEFINE_PER_CPU(call_single_data, csd_data);
DEFINE_PER_CPU(call_function_data, cfd_data);

namespace {

void csd_lock_wait(call_single_data* csd) {
    while (csd->flags.load(memory_order::acquire) & CSD_FLAG_LOCK) cpu_relax();
}
void csd_lock(call_single_data* csd) {
    csd_lock_wait(csd);
    csd->flags.store(CSD_FLAG_LOCK, memory_order::relaxed);
}
void csd_unlock(call_single_data* csd) { csd->flags.store(0, memory_order::release); }

// Pushes csd on cpu's queue; true when the queue was empty (the IPI is ours to send).
bool queue_csd(unsigned cpu, call_single_data* csd) {
    call_single_data** head = &per_cpu(call_single_queue, cpu);
    call_single_data* first = __atomic_load_n(head, __ATOMIC_RELAXED);
    do {
        csd->next = first;
    } while (!__atomic_compare_exchange_n(head, &first, csd, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    return first == nullptr;
}

void warn_irqs_disabled(const char* fn) {
    if (arch_irqs_disabled())
        printk(KERN_WARNING "WARNING: %s called with IRQs off on CPU %u: may deadlock\n", fn,
               smp_processor_id());
}

// Runs this CPU's queue in the order entries were pushed. A waited-for csd is
// released after its function ran (the waiter may read results); an async one
// before, so its owner may queue it again while the function runs.
void flush_smp_call_function_queue() {
    call_single_data* list = __atomic_exchange_n(this_cpu_ptr(&call_single_queue), nullptr, __ATOMIC_ACQUIRE);
    call_single_data* reversed = nullptr;
    while (list) {
        call_single_data* next = list->next;
        list->next = reversed;
        reversed = list;
        list = next;
    }
    for (call_single_data* csd = reversed; csd;) {
        call_single_data* next = csd->next;
        smp_call_func_t func = csd->func;
        void* info = csd->info;
        if (csd->flags.load(memory_order::relaxed) & CSD_FLAG_SYNC) {
            func(info);
            csd_unlock(csd);
        } else {
            csd_unlock(csd);
            func(info);
        }
        csd = next;
    }
}

void run_locally(smp_call_func_t func, void* info) {
    unsigned long flags = arch_local_irq_save();
    func(info);
    arch_local_irq_restore(flags);
}

}  // namespace

void generic_smp_call_function_interrupt() { flush_smp_call_function_queue(); }
void generic_smp_call_function_single_interrupt() { flush_smp_call_function_queue(); }

int smp_call_function_single(unsigned cpu, smp_call_func_t func, void* info, bool wait) {
    warn_irqs_disabled("smp_call_function_single");
    preempt_disable();
    int ret = 0;
    if (cpu == smp_processor_id()) {
        run_locally(func, info);
    } else if (cpu >= NR_CPUS || !cpu_online(cpu)) {
        ret = -ENXIO;
    } else {
        call_single_data on_stack{};
        call_single_data* csd = wait ? &on_stack : this_cpu_ptr(&csd_data);
        csd_lock(csd);
        if (wait) csd->flags.store(CSD_FLAG_LOCK | CSD_FLAG_SYNC, memory_order::relaxed);
        csd->func = func;
        csd->info = info;
        if (queue_csd(cpu, csd)) native_send_call_func_single_ipi(cpu);
        if (wait) csd_lock_wait(csd);
    }
    preempt_enable();
    return ret;
}

void smp_call_function_many(const cpumask* mask, smp_call_func_t func, void* info, bool wait) {
    warn_irqs_disabled("smp_call_function_many");
    preempt_disable();
    unsigned self = smp_processor_id(), cpu;
    call_function_data* cfd = this_cpu_ptr(&cfd_data);
    cpumask ipi_mask;
    cpumask_clear(&ipi_mask);
    for_each_cpu(cpu, mask) {
        if (cpu == self || !cpu_online(cpu)) continue;
        call_single_data* csd = &cfd->csd[cpu];
        csd_lock(csd);
        if (wait) csd->flags.store(CSD_FLAG_LOCK | CSD_FLAG_SYNC, memory_order::relaxed);
        csd->func = func;
        csd->info = info;
        if (queue_csd(cpu, csd)) cpumask_set_cpu(cpu, &ipi_mask);
    }
    native_send_call_func_ipi(&ipi_mask);
    if (wait) {
        for_each_cpu(cpu, mask)
            if (cpu != self) csd_lock_wait(&cfd->csd[cpu]);
    }
    preempt_enable();
}

void smp_call_function(smp_call_func_t func, void* info, bool wait) {
    smp_call_function_many(cpu_online_mask, func, info, wait);
}

void on_each_cpu(smp_call_func_t func, void* info, bool wait) {
    preempt_disable();
    smp_call_function_many(cpu_online_mask, func, info, wait);
    run_locally(func, info);
    preempt_enable();
}

void smp_prepare_cpus() { native_smp_prepare_cpus(); }

void smp_init() {
    printk(KERN_INFO "smp: Bringing up secondary CPUs ...\n");
    bool announced = false;
    for (unsigned cpu = 1; cpu < nr_cpu_ids; cpu++) {
        if (cpu_online(cpu)) continue;
        int ret = native_cpu_up(cpu);
        if (ret == 0) announced = true;
    }
    if (announced) printk(KERN_CONT "\n");
    unsigned n = num_online_cpus();
    printk(KERN_INFO "smp: Brought up 1 node, %u CPU%s\n", n, n > 1 ? "s" : "");
}
