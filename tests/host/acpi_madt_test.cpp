// Host tests for MADT entry walking over crafted tables (drivers/acpi/madt.cpp).
// Kernel headers first: libc's errno macros would rewrite the kernel's errno enum.
#include <acpi/acpi.h>
// keel/compiler.h's empty __init macro would break libstdc++, which uses the name.
#undef __init
#include <gtest/gtest.h>
#include <string.h>
#include <vector>

namespace {

class MadtBuilder {
public:
    explicit MadtBuilder(u8 revision = 1, u32 lapic_addr = 0xfee00000) {
        acpi_table_madt m{};
        memcpy(m.header.signature, "APIC", 4);
        m.header.revision = revision;
        m.address = lapic_addr;
        m.flags = ACPI_MADT_PCAT_COMPAT;
        append(&m, sizeof(m));
    }
    template <typename T> MadtBuilder& add(T entry) {
        entry.header.length = sizeof(T);
        append(&entry, sizeof(T));
        return *this;
    }
    MadtBuilder& lapic(u8 acpi_id, u8 apic_id, u32 flags) {
        return add(acpi_madt_local_apic{{ACPI_MADT_TYPE_LOCAL_APIC, 0}, acpi_id, apic_id, flags});
    }
    MadtBuilder& raw(std::vector<u8> b) {
        append(b.data(), b.size());
        return *this;
    }
    std::vector<u8> build() {
        auto* h = reinterpret_cast<acpi_table_header*>(buf_.data());
        h->length = u32(buf_.size());
        h->checksum = u8(-acpi_checksum(buf_.data(), buf_.size()));
        return buf_;
    }

private:
    void append(const void* p, size_t n) {
        size_t old = buf_.size();
        buf_.resize(old + n);
        memcpy(buf_.data() + old, p, n);
    }
    std::vector<u8> buf_;
};

// QEMU's i440fx MADT with one CPU: a LAPIC, the IO-APIC, five overrides, a LAPIC NMI.
std::vector<u8> qemu_madt() {
    MadtBuilder b;
    b.lapic(0, 0, ACPI_MADT_ENABLED);
    b.add(acpi_madt_io_apic{{ACPI_MADT_TYPE_IO_APIC, 0}, 0, 0, 0xfec00000, 0});
    const u8 irqs[] = {0, 5, 9, 10, 11};
    for (u8 irq : irqs) {
        u16 flags = irq == 0 ? 0 : ACPI_MADT_POLARITY_ACTIVE_HIGH | ACPI_MADT_TRIGGER_LEVEL;
        u32 gsi = irq == 0 ? 2 : irq;
        b.add(acpi_madt_interrupt_override{{ACPI_MADT_TYPE_INTERRUPT_OVERRIDE, 0}, 0, irq, gsi,
                                           flags});
    }
    b.add(acpi_madt_local_apic_nmi{{ACPI_MADT_TYPE_LOCAL_APIC_NMI, 0}, 0xff, 0, 1});
    return b.build();
}

}  // namespace

TEST(AcpiMadt, ParsesQemuTopology) {
    auto t = qemu_madt();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.lapic_addr, 0xfee00000u);
    EXPECT_TRUE(m.pcat_compat);
    ASSERT_EQ(m.nr_lapics, 1u);
    EXPECT_EQ(m.lapics[0].apic_id, 0u);
    EXPECT_TRUE(m.lapics[0].enabled);
    EXPECT_EQ(m.nr_enabled_cpus, 1u);
    EXPECT_EQ(m.nr_hotplug_cpus, 0u);
    ASSERT_EQ(m.nr_ioapics, 1u);
    EXPECT_EQ(m.ioapics[0].address, 0xfec00000u);
    EXPECT_EQ(m.ioapics[0].gsi_base, 0u);
    ASSERT_EQ(m.nr_overrides, 5u);
    EXPECT_EQ(m.overrides[0].bus_irq, 0);
    EXPECT_EQ(m.overrides[0].global_irq, 2u);
    EXPECT_EQ(m.overrides[1].flags, ACPI_MADT_POLARITY_ACTIVE_HIGH | ACPI_MADT_TRIGGER_LEVEL);
    ASSERT_EQ(m.nr_lapic_nmis, 1u);
    EXPECT_EQ(m.lapic_nmis[0].acpi_id, 0xffu);
    EXPECT_EQ(m.lapic_nmis[0].lint, 1);
}

TEST(AcpiMadt, CountsDisabledCpusAsHotplugBeforeRevision5) {
    auto t = MadtBuilder(3).lapic(0, 0, 1).lapic(1, 1, 0).lapic(2, 2, 0).build();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_enabled_cpus, 1u);
    EXPECT_EQ(m.nr_hotplug_cpus, 2u);
    EXPECT_EQ(m.nr_lapics, 3u);
}

TEST(AcpiMadt, Revision5NeedsOnlineCapableForHotplug) {
    auto t = MadtBuilder(5).lapic(0, 0, 1).lapic(1, 1, 0).lapic(2, 2, ACPI_MADT_ONLINE_CAPABLE)
                 .build();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_enabled_cpus, 1u);
    EXPECT_EQ(m.nr_hotplug_cpus, 1u);
    ASSERT_EQ(m.nr_lapics, 2u);
    EXPECT_EQ(m.lapics[1].apic_id, 2u);
}

TEST(AcpiMadt, IgnoresInvalidApicIdAndDuplicateX2apic) {
    MadtBuilder b;
    b.lapic(0, 0, 1).lapic(1, 0xff, 1);
    b.add(acpi_madt_local_x2apic{{ACPI_MADT_TYPE_LOCAL_X2APIC, 0}, 0, 0, 1, 0});
    b.add(acpi_madt_local_x2apic{{ACPI_MADT_TYPE_LOCAL_X2APIC, 0}, 0, 300, 1, 7});
    auto t = b.build();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    ASSERT_EQ(m.nr_lapics, 2u);
    EXPECT_EQ(m.lapics[1].apic_id, 300u);
    EXPECT_EQ(m.lapics[1].acpi_id, 7u);
}

TEST(AcpiMadt, LapicAddressOverrideWinsWhereverItIs) {
    auto t = MadtBuilder()
                 .add(acpi_madt_local_apic_override{{ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE, 0}, 0,
                                                    0x100fee00000ull})
                 .lapic(0, 0, 1)
                 .build();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.lapic_addr, 0x100fee00000ull);
}

TEST(AcpiMadt, SkipsUnknownEntryTypes) {
    auto t = MadtBuilder().raw({0x7f, 6, 1, 2, 3, 4}).lapic(0, 0, 1).build();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_lapics, 1u);
}

TEST(AcpiMadt, ZeroLengthEntryStopsTheWalk) {
    auto t = MadtBuilder().lapic(0, 0, 1).raw({0, 0, 0, 0, 0, 0, 0, 0}).lapic(1, 1, 1).build();
    acpi_madt_info m;
    EXPECT_TRUE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_lapics, 1u);  // what came before the bad entry is kept
}

TEST(AcpiMadt, EntryRunningPastTheEndIsAnError) {
    auto t = MadtBuilder().lapic(0, 0, 1).raw({ACPI_MADT_TYPE_IO_APIC, 12, 0, 0, 0}).build();
    acpi_madt_info m;
    EXPECT_TRUE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_ioapics, 0u);
}

TEST(AcpiMadt, EntryShorterThanItsTypeIsAnError) {
    auto t = MadtBuilder().raw({ACPI_MADT_TYPE_IO_APIC, 4, 0, 0}).build();
    acpi_madt_info m;
    EXPECT_TRUE(acpi_parse_madt(t.data(), t.size(), m).is_error());
}

TEST(AcpiMadt, TrailingLoneByteIsAnError) {
    auto t = MadtBuilder().lapic(0, 0, 1).raw({ACPI_MADT_TYPE_LOCAL_APIC}).build();
    acpi_madt_info m;
    EXPECT_TRUE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_lapics, 1u);
}

TEST(AcpiMadt, TooShortForFixedPart) {
    auto t = MadtBuilder().build();
    acpi_madt_info m;
    EXPECT_TRUE(acpi_parse_madt(t.data(), 40, m).is_error());
}

TEST(AcpiMadt, CapsTheNumberOfCpus) {
    MadtBuilder b;
    for (unsigned i = 0; i < ACPI_MAX_LAPICS + 3; i++) b.lapic(u8(i), u8(i), 1);
    auto t = b.build();
    acpi_madt_info m;
    ASSERT_FALSE(acpi_parse_madt(t.data(), t.size(), m).is_error());
    EXPECT_EQ(m.nr_lapics, unsigned(ACPI_MAX_LAPICS));
    EXPECT_EQ(m.nr_enabled_cpus, unsigned(ACPI_MAX_LAPICS));
}
