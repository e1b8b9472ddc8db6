// Interrupts on the real machine: a vector raised by a self-IPI reaches its
// request_irq handler and is counted; spurious and unknown vectors are counted,
// not fatal; softirqs raised in a handler run on irq_exit, and wait for
// local_bh_enable; tasklets stay serialised when scheduled from every CPU.
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/preempt.h>
#include <keel/sched.h>
#include <lib/cpumask.h>
#include <lib/string.h>
#include <tests/kernel/ktest.h>

namespace {

constexpr unsigned TEST_IRQ = 48;  // beyond the IO-APIC's GSIs: free for software

// The suite needs init_IRQ (start_kernel); say so instead of faulting.
bool irq_ready(ktest* t) {
    if (apic_mmio_base) return true;
    printk(KERN_INFO "    # %s: SKIP init_IRQ has not run\n", t->name);
    return false;
}

// Spins (IRQs on) until cond holds or ~1 s passes.
template <typename F> bool wait_for(F cond) {
    u64 end = sched_clock() + 1'000'000'000ull;
    while (!cond()) {
        if (sched_clock() > end) return false;
        cpu_relax();
    }
    return true;
}

struct irq_probe {
    Atomic<unsigned> hits{0};
    bool in_hardirq = false;
    bool softirq_ran_inside = false;
    unsigned softirq_nr = NR_SOFTIRQS;
};
Atomic<unsigned> softirq_hits{0};
bool softirq_in_serving = false;

void probe_softirq(softirq_action*) {
    softirq_in_serving = in_serving_softirq();
    softirq_hits.fetch_add(1, memory_order::relaxed);
}

irqreturn_t probe_handler(int irq, void* dev_id) {
    auto* p = static_cast<irq_probe*>(dev_id);
    p->in_hardirq = in_hardirq();
    if (p->softirq_nr < NR_SOFTIRQS) {
        raise_softirq(p->softirq_nr);
        p->softirq_ran_inside = softirq_hits.load(memory_order::relaxed) != 0;
    }
    p->hits.fetch_add(1, memory_order::relaxed);
    return IRQ_HANDLED;
}

// Sets up TEST_IRQ on a fresh vector with the probe as handler; returns the vector.
int setup_test_irq(ktest* t, irq_probe* probe) {
    irq_set_chip_and_handler_name(TEST_IRQ, &lapic_chip, handle_edge_irq, "edge");
    int vector = assign_irq_vector(TEST_IRQ);
    KTEST_EXPECT_GE(t, vector, FIRST_DYNAMIC_VECTOR);
    KTEST_EXPECT_LT(t, vector, FIRST_SYSTEM_VECTOR);
    KTEST_EXPECT_EQ(t, request_irq(TEST_IRQ, probe_handler, 0, "ktest", probe), 0);
    return vector;
}
void teardown_test_irq(irq_probe* probe) {
    free_irq(TEST_IRQ, probe);
    clear_irq_vector(TEST_IRQ);
    irq_desc* desc = irq_to_desc(TEST_IRQ);
    for (auto& n : desc->kstat_irqs) n = 0;
}

void self_ipi_reaches_handler(ktest* t) {
    if (!irq_ready(t)) return;
    irq_probe probe;
    int vector = setup_test_irq(t, &probe);
    KTEST_ASSERT_TRUE(t, vector > 0);
    unsigned long before = kstat_irqs_cpu(TEST_IRQ, smp_processor_id());
    apic_send_IPI_self(unsigned(vector));
    KTEST_EXPECT_TRUE(t, wait_for([&] { return probe.hits.load(memory_order::relaxed) == 1; }));
    KTEST_EXPECT_TRUE(t, probe.in_hardirq);
    KTEST_EXPECT_EQ(t, kstat_irqs_cpu(TEST_IRQ, smp_processor_id()), before + 1);
    static char buf[8192];
    show_interrupts(buf, sizeof(buf), cpu_online_mask);
    KTEST_EXPECT_TRUE(t, strstr(buf, " 48: ") != nullptr);
    KTEST_EXPECT_TRUE(t, strstr(buf, "APIC  48-edge      ktest") != nullptr);
    KTEST_EXPECT_TRUE(t, strstr(buf, "LOC: ") != nullptr);
    teardown_test_irq(&probe);
    // After free_irq the vector maps nowhere: a late one is an error, not a crash.
    unsigned err = irq_err_count.load(memory_order::relaxed);
    apic_send_IPI_self(unsigned(vector));
    KTEST_EXPECT_TRUE(t, wait_for([&] { return irq_err_count.load(memory_order::relaxed) == err + 1; }));
    KTEST_EXPECT_EQ(t, probe.hits.load(memory_order::relaxed), 1u);
}

void spurious_vector_is_counted(ktest* t) {
    if (!irq_ready(t)) return;
    unsigned spu = this_cpu_read(irq_stat.irq_spurious_count);
    asm volatile("int $0xff");
    KTEST_EXPECT_EQ(t, this_cpu_read(irq_stat.irq_spurious_count), spu + 1);
    // A device vector nobody owns, and a stray 8259 vector: both go to ERR.
    KTEST_ASSERT_TRUE(t, vector_to_irq(0xe9) < 0);
    unsigned err = irq_err_count.load(memory_order::relaxed);
    asm volatile("int $0xe9");
    asm volatile("int $0x27");
    KTEST_EXPECT_EQ(t, irq_err_count.load(memory_order::relaxed), err + 2);
}

void softirq_raised_in_handler_runs_on_irq_exit(ktest* t) {
    if (!irq_ready(t)) return;
    open_softirq(IRQ_POLL_SOFTIRQ, probe_softirq);
    softirq_hits.store(0, memory_order::relaxed);
    irq_probe probe;
    probe.softirq_nr = IRQ_POLL_SOFTIRQ;
    int vector = setup_test_irq(t, &probe);
    KTEST_ASSERT_TRUE(t, vector > 0);
    // A runnable ksoftirqd takes softirqs over from irq_exit (as in Linux):
    // let it finish and sleep first, so irq_exit is what runs this one.
    wait_for([] {
        task_struct* k = this_cpu_read(ksoftirqd);
        if (!k || k->__state.load(memory_order::relaxed) != TASK_RUNNING) return true;
        yield();
        return false;
    });
    arch_local_irq_disable();
    unsigned long count = kstat_softirqs_cpu(IRQ_POLL_SOFTIRQ, smp_processor_id());
    apic_send_IPI_self(unsigned(vector));
    arch_local_irq_enable();  // delivered here, on this CPU
    KTEST_EXPECT_TRUE(t, wait_for([&] { return softirq_hits.load(memory_order::relaxed) == 1; }));
    KTEST_EXPECT_FALSE(t, probe.softirq_ran_inside);  // not inside the hard IRQ handler
    KTEST_EXPECT_TRUE(t, softirq_in_serving);
    KTEST_EXPECT_EQ(t, kstat_softirqs_cpu(IRQ_POLL_SOFTIRQ, smp_processor_id()), count + 1);
    teardown_test_irq(&probe);
    static char buf[2048];
    show_softirqs(buf, sizeof(buf), cpu_possible_mask);
    KTEST_EXPECT_TRUE(t, strstr(buf, "    IRQ_POLL:") != nullptr);
}

void bh_disabled_section_defers_softirqs(ktest* t) {
    if (!irq_ready(t)) return;
    open_softirq(IRQ_POLL_SOFTIRQ, probe_softirq);
    softirq_hits.store(0, memory_order::relaxed);
    local_bh_disable();
    raise_softirq(IRQ_POLL_SOFTIRQ);
    udelay(1000);
    KTEST_EXPECT_EQ(t, softirq_hits.load(memory_order::relaxed), 0u);
    KTEST_EXPECT_TRUE(t, in_softirq());
    local_bh_enable();
    // Run either by local_bh_enable or by ksoftirqd, which the raise woke.
    KTEST_EXPECT_TRUE(t, wait_for([] {
        yield();
        return softirq_hits.load(memory_order::relaxed) == 1;
    }));
    KTEST_EXPECT_FALSE(t, in_softirq());
}

struct serial_probe {
    Atomic<int> running{0};
    Atomic<unsigned> runs{0};
    Atomic<unsigned> overlaps{0};
    Atomic<unsigned> cpus_seen{0};  // bitmask of CPUs it ran on (first 32)
    tasklet_struct tasklet;
};
serial_probe* serial;

void serial_tasklet_fn(unsigned long) {
    if (serial->running.fetch_add(1, memory_order::acq_rel) != 0)
        serial->overlaps.fetch_add(1, memory_order::relaxed);
    serial->cpus_seen.fetch_or(1u << (smp_processor_id() & 31), memory_order::relaxed);
    udelay(20);  // widen the window a second CPU would have to overlap
    serial->runs.fetch_add(1, memory_order::relaxed);
    serial->running.fetch_sub(1, memory_order::acq_rel);
}

void schedule_serial(void*) { tasklet_schedule(&serial->tasklet); }

void tasklet_runs_serialised_across_cpus(ktest* t) {
    if (!irq_ready(t)) return;
    static serial_probe probe;
    serial = &probe;
    tasklet_init(&probe.tasklet, serial_tasklet_fn, 0);
    for (int i = 0; i < 300; i++) on_each_cpu(schedule_serial, nullptr, true);
    tasklet_kill(&probe.tasklet);
    KTEST_EXPECT_EQ(t, probe.overlaps.load(memory_order::relaxed), 0u);
    KTEST_EXPECT_GT(t, probe.runs.load(memory_order::relaxed), 0u);
    printk(KERN_INFO "    # tasklet: %u runs on CPU mask %#x, 0 overlaps expected, %u seen\n",
           probe.runs.load(memory_order::relaxed), probe.cpus_seen.load(memory_order::relaxed),
           probe.overlaps.load(memory_order::relaxed));
}

Atomic<unsigned> disabled_runs{0};
void count_tasklet_fn(unsigned long) { disabled_runs.fetch_add(1, memory_order::relaxed); }

void disabled_tasklet_waits_for_enable(ktest* t) {
    if (!irq_ready(t)) return;
    static tasklet_struct tl;
    tasklet_init(&tl, count_tasklet_fn, 0);
    disabled_runs.store(0, memory_order::relaxed);
    tasklet_disable(&tl);
    tasklet_schedule(&tl);
    for (int i = 0; i < 20; i++) yield();
    udelay(2000);
    KTEST_EXPECT_EQ(t, disabled_runs.load(memory_order::relaxed), 0u);
    tasklet_enable(&tl);
    KTEST_EXPECT_TRUE(t, wait_for([] {
        yield();
        return disabled_runs.load(memory_order::relaxed) == 1;
    }));
    tasklet_kill(&tl);
}

const ktest_case irq_cases[] = {
    KTEST_CASE(self_ipi_reaches_handler),
    KTEST_CASE(spurious_vector_is_counted),
    KTEST_CASE(softirq_raised_in_handler_runs_on_irq_exit),
    KTEST_CASE(bh_disabled_section_defers_softirqs),
    KTEST_CASE(tasklet_runs_serialised_across_cpus),
    KTEST_CASE(disabled_tasklet_waits_for_enable),
    {},
};

}  // namespace

KTEST_SUITE(irq, irq_cases);
