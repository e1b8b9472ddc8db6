// In-kernel tests of ACPI on the machine Keel booted on (QEMU i440fx or q35): the
// tables were found and validate, the MADT describes this CPU and an IO-APIC, and
// the \_S5 package decodes so power-off can work.
#include <acpi/acpi.h>
#include <asm/page_types.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <tests/kernel/ktest.h>

namespace {

void rsdp_found_and_valid(ktest* t) {
    phys_addr_t pa = acpi_os_get_root_pointer();
    KTEST_ASSERT_TRUE(t, pa != 0);
    KTEST_EXPECT_EQ(t, pa % 16, 0ul);
    KTEST_ASSERT_TRUE(t, acpi_os_phys_mapped(pa, ACPI_RSDP_REV0_SIZE));
    auto* rsdp = static_cast<const u8*>(__va(pa));
    KTEST_EXPECT_EQ(t, acpi_checksum(rsdp, ACPI_RSDP_REV0_SIZE), 0);
    KTEST_EXPECT_FALSE(t, acpi_validate_rsdp(rsdp, sizeof(acpi_table_rsdp)).is_error());
    KTEST_EXPECT_FALSE(t, acpi_disabled);
}

// Every table acpi_get_table() hands out is whole and checksummed.
void tables_present_and_valid(ktest* t) {
    const char* required[] = {ACPI_SIG_FADT, ACPI_SIG_DSDT, ACPI_SIG_MADT};
    for (const char* sig : required) {
        const acpi_table_header* h = acpi_get_table(sig, 0);
        KTEST_ASSERT_TRUE(t, h != nullptr);
        KTEST_EXPECT_GE(t, h->length, u32(sizeof(acpi_table_header)));
        KTEST_EXPECT_EQ(t, acpi_checksum(h, h->length), 0);
    }
    KTEST_EXPECT_TRUE(t, acpi_get_table("XXXX", 0) == nullptr);
    KTEST_EXPECT_TRUE(t, acpi_get_table(ACPI_SIG_MADT, 1) == nullptr);
}

void fadt_decoded(ktest* t) {
    const acpi_fadt_info& f = acpi_gbl_FADT;
    KTEST_EXPECT_NE(t, f.dsdt, 0ull);
    KTEST_EXPECT_EQ(t, f.pm1a_control.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
    KTEST_EXPECT_NE(t, f.pm1a_control.address, 0ull);
    // Reading PM1a_CNT changes nothing and must work through the GAS accessor.
    KTEST_EXPECT_FALSE(t, acpi_hw_read(f.pm1a_control).is_error());
}

void unsupported_register_refused(ktest* t) {
    acpi_generic_address pci_config = {2, 8, 0, 0, 0xcf9};
    KTEST_EXPECT_TRUE(t, acpi_hw_read(pci_config).is_error());
    acpi_generic_address wide_io = {ACPI_ADR_SPACE_SYSTEM_IO, 64, 0, 0, 0x80};
    KTEST_EXPECT_TRUE(t, acpi_hw_read(wide_io).is_error());
    acpi_generic_address unmapped = {ACPI_ADR_SPACE_SYSTEM_MEMORY, 32, 0, 0, 1ull << 45};
    KTEST_EXPECT_TRUE(t, acpi_hw_read(unmapped).is_error());
}

void madt_describes_this_cpu(ktest* t) {
    KTEST_EXPECT_EQ(t, acpi_madt.lapic_addr, 0xfee00000ull);
    KTEST_ASSERT_TRUE(t, acpi_madt.nr_enabled_cpus >= 1);
    KTEST_ASSERT_TRUE(t, acpi_madt.nr_ioapics >= 1);
    KTEST_EXPECT_EQ(t, acpi_madt.ioapics[0].gsi_base, 0u);
    // The boot CPU's initial APIC id (CPUID leaf 1, EBX bits 31-24) is an enabled LAPIC.
    u32 apic_id = cpuid(1).ebx >> 24;
    bool found = false;
    for (unsigned i = 0; i < acpi_madt.nr_lapics; i++)
        found |= acpi_madt.lapics[i].apic_id == apic_id && acpi_madt.lapics[i].enabled;
    KTEST_EXPECT_TRUE(t, found);
    // QEMU routes the PIT (ISA IRQ 0) to GSI 2 through an interrupt source override.
    bool irq0 = false;
    for (unsigned i = 0; i < acpi_madt.nr_overrides; i++)
        irq0 |= acpi_madt.overrides[i].bus_irq == 0 && acpi_madt.overrides[i].global_irq == 2;
    KTEST_EXPECT_TRUE(t, irq0);
}

void s5_decoded(ktest* t) {
    auto s5 = acpi_get_sleep_type_data(5);
    KTEST_ASSERT_TRUE(t, !s5.is_error());
    // QEMU's PIIX4 and ICH9 both enter soft-off with SLP_TYP 0.
    KTEST_EXPECT_EQ(t, s5.value().a, 0);
    KTEST_EXPECT_TRUE(t, pm_power_off == acpi_power_off);
    // QEMU defines no \_S1 (and no \_S0): the lookup must say so, not invent one.
    auto s1 = acpi_get_sleep_type_data(1);
    KTEST_ASSERT_TRUE(t, s1.is_error());
    KTEST_EXPECT_EQ(t, s1.error(), ENOENT);
}

const ktest_case acpi_tables_cases[] = {
    KTEST_CASE(rsdp_found_and_valid),
    KTEST_CASE(tables_present_and_valid),
    KTEST_CASE(fadt_decoded),
    KTEST_CASE(unsupported_register_refused),
    KTEST_CASE(madt_describes_this_cpu),
    KTEST_CASE(s5_decoded),
    {},
};

}  // namespace

KTEST_SUITE(acpi_tables, acpi_tables_cases);
