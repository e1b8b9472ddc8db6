// The IRQ core on the host: descriptors with a fake chip, the edge and level
// flows, sharing rules, the "nobody cared" accounting, the vector matrix and
// the exact /proc/interrupts layout.
#include <gtest/gtest.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <kernel/irq/matrix.h>
#include <lib/cpumask.h>
#include <lib/vsprintf.h>
#include <string>
#include <uapi/asm/errno.h>

// The architecture's rows; the real ones live in arch/x86_64/kernel/irq.cpp.
size_t arch_show_interrupts(char* buf, size_t size, const cpumask*, int prec) {
    return size_t(scnprintf(buf, size, "%*s: %10u\n", prec, "ERR", 0u));
}

namespace {

struct fake_chip_state {
    int masks = 0, unmasks = 0, acks = 0;
    bool masked = true;
} chip_state;

void fake_mask(irq_data*) { chip_state.masks++, chip_state.masked = true; }
void fake_unmask(irq_data*) { chip_state.unmasks++, chip_state.masked = false; }
void fake_ack(irq_data*) { chip_state.acks++; }
irq_chip fake_chip = {"IO-APIC", fake_mask, fake_unmask, fake_ack, nullptr};

int calls_a, calls_b;
irqreturn_t handler_a(int, void*) { calls_a++; return IRQ_HANDLED; }
irqreturn_t handler_b(int, void*) { calls_b++; return IRQ_HANDLED; }
irqreturn_t handler_none(int, void*) { return IRQ_NONE; }

class IrqCore : public ::testing::Test {
protected:
    void SetUp() override {
        early_irq_init();
        chip_state = {};
        calls_a = calls_b = 0;
        irq_set_chip_and_handler_name(5, &fake_chip, handle_edge_irq, "edge");
    }
    void TearDown() override {
        // Descriptors are static: drop what the test installed.
        irq_desc* desc = irq_to_desc(5);
        desc->action = nullptr;
        for (auto& n : desc->kstat_irqs) n = 0;
    }
};

TEST_F(IrqCore, FirstHandlerUnmasksAndDeliveryCounts) {
    irqaction act{handler_a, nullptr, nullptr, 0, 0, "dev-a"};
    ASSERT_EQ(setup_irq(5, &act), 0);
    EXPECT_FALSE(chip_state.masked);
    ASSERT_TRUE(generic_handle_irq(5));
    ASSERT_TRUE(generic_handle_irq(5));
    EXPECT_EQ(calls_a, 2);
    EXPECT_EQ(chip_state.acks, 2);
    EXPECT_EQ(kstat_irqs(5), 2u);
}

TEST_F(IrqCore, UnknownIrqIsRejected) {
    EXPECT_FALSE(generic_handle_irq(NR_IRQS));
    EXPECT_FALSE(generic_handle_irq(6));  // no flow handler installed
    irqaction act{handler_a, nullptr, nullptr, 0, 0, "x"};
    EXPECT_EQ(setup_irq(NR_IRQS, &act), -EINVAL);
    EXPECT_EQ(setup_irq(6, &act), -EINVAL);
}

TEST_F(IrqCore, SharingNeedsEveryonesConsent) {
    int da, db;
    irqaction a{handler_a, &da, nullptr, 0, 0, "a"};
    irqaction b{handler_b, &db, nullptr, 0, IRQF_SHARED, "b"};
    ASSERT_EQ(setup_irq(5, &a), 0);
    EXPECT_EQ(setup_irq(5, &b), -EBUSY);
    irq_to_desc(5)->action = nullptr;
    a.flags = IRQF_SHARED;
    ASSERT_EQ(setup_irq(5, &a), 0);
    ASSERT_EQ(setup_irq(5, &b), 0);
    generic_handle_irq(5);
    EXPECT_EQ(calls_a, 1);
    EXPECT_EQ(calls_b, 1);
    irqaction no_id{handler_b, nullptr, nullptr, 0, IRQF_SHARED, "c"};
    EXPECT_EQ(setup_irq(5, &no_id), -EINVAL);
}

TEST_F(IrqCore, DisabledEdgeIsRememberedNotRun) {
    irqaction act{handler_a, nullptr, nullptr, 0, 0, "dev-a"};
    ASSERT_EQ(setup_irq(5, &act), 0);
    disable_irq(5);
    EXPECT_TRUE(chip_state.masked);
    generic_handle_irq(5);
    EXPECT_EQ(calls_a, 0);
    EXPECT_TRUE(irq_to_desc(5)->istate & IRQS_PENDING);
    enable_irq(5);
    EXPECT_FALSE(chip_state.masked);
}

TEST_F(IrqCore, LevelFlowMasksAroundHandlers) {
    irq_set_chip_and_handler_name(5, &fake_chip, handle_level_irq, "level");
    irqaction act{handler_a, nullptr, nullptr, 0, 0, "dev-a"};
    ASSERT_EQ(setup_irq(5, &act), 0);
    int masks = chip_state.masks;
    generic_handle_irq(5);
    EXPECT_EQ(calls_a, 1);
    EXPECT_EQ(chip_state.masks, masks + 1);
    EXPECT_FALSE(chip_state.masked);
}

TEST_F(IrqCore, StuckLineIsReportedAndDisabled) {
    irqaction act{handler_none, nullptr, nullptr, 0, 0, "deaf"};
    ASSERT_EQ(setup_irq(5, &act), 0);
    for (int i = 0; i < 99999; i++) generic_handle_irq(5);
    EXPECT_FALSE(irq_to_desc(5)->istate & IRQS_SPURIOUS_DISABLED);
    generic_handle_irq(5);  // the 100000th: "irq 5: nobody cared"
    EXPECT_TRUE(irq_to_desc(5)->istate & IRQS_SPURIOUS_DISABLED);
    EXPECT_TRUE(chip_state.masked);
}

TEST_F(IrqCore, OccasionalUnhandledIsTolerated) {
    irqaction act{handler_a, nullptr, nullptr, 0, 0, "dev-a"};
    irqaction deaf{handler_none, &act, nullptr, 0, 0, "deaf"};
    ASSERT_EQ(setup_irq(5, &deaf), 0);
    for (int i = 0; i < 1000; i++) generic_handle_irq(5);
    irq_to_desc(5)->action = nullptr;
    ASSERT_EQ(setup_irq(5, &act), 0);
    for (int i = 0; i < 100000; i++) generic_handle_irq(5);
    EXPECT_FALSE(irq_to_desc(5)->istate & IRQS_SPURIOUS_DISABLED);
}

TEST_F(IrqCore, ProcInterruptsLayoutMatchesLinux) {
    irq_set_chip_and_handler_name(0, &fake_chip, handle_edge_irq, "edge");
    irq_to_desc(0)->irq_data.hwirq = 2;
    irqaction timer{handler_a, nullptr, nullptr, 0, 0, "timer"};
    ASSERT_EQ(setup_irq(0, &timer), 0);
    for (int i = 0; i < 44; i++) generic_handle_irq(0);
    cpumask cpus;
    cpumask_clear(&cpus);
    cpumask_set_cpu(0, &cpus);
    char buf[4096];
    size_t len = show_interrupts(buf, sizeof(buf), &cpus);
    EXPECT_EQ(len, strlen(buf));
    std::string out(buf);
    EXPECT_EQ(out.substr(0, out.find('\n') + 1), "           CPU0       \n");
    EXPECT_NE(out.find("\n  0:         44   IO-APIC   2-edge      timer\n"), std::string::npos) << out;
    EXPECT_NE(out.find("ERR:          0\n"), std::string::npos);
    // IRQ 5 has neither a handler nor a count: no row.
    EXPECT_EQ(out.find("  5:"), std::string::npos);
    irq_to_desc(0)->action = nullptr;
    irq_to_desc(0)->kstat_irqs[0] = 0;
}

TEST_F(IrqCore, ProcInterruptsTruncatesSafely) {
    cpumask cpus;
    cpumask_clear(&cpus);
    cpumask_set_cpu(0, &cpus);
    char buf[8];
    size_t len = show_interrupts(buf, sizeof(buf), &cpus);
    EXPECT_LT(len, sizeof(buf));
    EXPECT_EQ(len, strlen(buf));
}

TEST(IrqMatrix, SpreadsOverPriorityClassesAndExhausts) {
    irq_matrix m;
    irq_matrix_init(&m, 0x40, 0x60);  // two classes: 0x4x and 0x5x
    int a = irq_matrix_alloc(&m), b = irq_matrix_alloc(&m), c = irq_matrix_alloc(&m);
    EXPECT_EQ(a, 0x40);
    EXPECT_EQ(b, 0x50);  // the emptier class
    EXPECT_EQ(c, 0x41);
    EXPECT_TRUE(irq_matrix_reserve(&m, 0x42));
    EXPECT_FALSE(irq_matrix_reserve(&m, 0x42));
    while (irq_matrix_alloc(&m) >= 0) {}
    EXPECT_EQ(irq_matrix_allocated(&m), 32u);
    EXPECT_EQ(irq_matrix_alloc(&m), -ENOSPC);
    irq_matrix_free(&m, 0x57);
    EXPECT_EQ(irq_matrix_alloc(&m), 0x57);
    irq_matrix_free(&m, 0x20);  // outside the range: ignored
    EXPECT_EQ(irq_matrix_allocated(&m), 32u);
}

}  // namespace
