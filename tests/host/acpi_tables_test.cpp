// Host tests for ACPI table validation, root-table walking and FADT decoding over
// crafted buffers (drivers/acpi/tbutils.cpp, tbfadt.cpp).
// Kernel headers first: libc's errno macros would rewrite the kernel's errno enum.
#include <acpi/acpi.h>
#include <gtest/gtest.h>
#include <string.h>
#include <vector>

namespace {

// Builds a table with a valid header and checksum around `body`.
std::vector<u8> make_table(const char sig[4], u8 revision, const std::vector<u8>& body) {
    std::vector<u8> t(sizeof(acpi_table_header) + body.size());
    auto* h = reinterpret_cast<acpi_table_header*>(t.data());
    memcpy(h->signature, sig, 4);
    h->length = u32(t.size());
    h->revision = revision;
    memcpy(h->oem_id, "BOCHS ", 6);
    memcpy(h->oem_table_id, "BXPC    ", 8);
    h->oem_revision = 1;
    memcpy(h->asl_compiler_id, "BXPC", 4);
    h->asl_compiler_revision = 1;
    memcpy(t.data() + sizeof(acpi_table_header), body.data(), body.size());
    h->checksum = u8(-acpi_checksum(t.data(), t.size()));
    return t;
}

void fix_checksum(std::vector<u8>& t) {
    auto* h = reinterpret_cast<acpi_table_header*>(t.data());
    h->checksum = 0;
    h->checksum = u8(-acpi_checksum(t.data(), h->length));
}

acpi_table_rsdp make_rsdp(u8 revision) {
    acpi_table_rsdp r{};
    memcpy(r.signature, ACPI_SIG_RSDP, 8);
    memcpy(r.oem_id, "BOCHS ", 6);
    r.revision = revision;
    r.rsdt_physical_address = 0x1ffe1a8a;
    r.checksum = u8(-acpi_checksum(&r, ACPI_RSDP_REV0_SIZE));
    if (revision >= 2) {
        r.length = sizeof(r);
        r.xsdt_physical_address = 0x1ffe2000;
        r.extended_checksum = u8(-acpi_checksum(&r, sizeof(r)));
    }
    return r;
}

const u8* bytes(const void* p) { return static_cast<const u8*>(p); }

}  // namespace

TEST(AcpiChecksum, SumsBytesModulo256) {
    const u8 data[] = {0x80, 0x80, 0x01, 0xff};
    EXPECT_EQ(acpi_checksum(data, 0), 0);
    EXPECT_EQ(acpi_checksum(data, 2), 0);
    EXPECT_EQ(acpi_checksum(data, 4), 0);
    EXPECT_EQ(acpi_checksum(data, 3), 1);
}

TEST(AcpiRsdp, AcceptsValidRevision0And2) {
    auto v1 = make_rsdp(0);
    EXPECT_FALSE(acpi_validate_rsdp(bytes(&v1), ACPI_RSDP_REV0_SIZE).is_error());
    auto v2 = make_rsdp(2);
    EXPECT_FALSE(acpi_validate_rsdp(bytes(&v2), sizeof(v2)).is_error());
}

TEST(AcpiRsdp, RejectsBadSignatureAndChecksums) {
    auto r = make_rsdp(0);
    r.signature[0] = 'X';
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), sizeof(r)).is_error());

    r = make_rsdp(0);
    r.rsdt_physical_address ^= 1;
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), sizeof(r)).is_error());

    r = make_rsdp(2);
    r.xsdt_physical_address ^= 1;  // outside the first 20 bytes: only the extended sum sees it
    EXPECT_FALSE(acpi_checksum(&r, ACPI_RSDP_REV0_SIZE));
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), sizeof(r)).is_error());
}

TEST(AcpiRsdp, RejectsTruncatedOrOverlongRevision2) {
    auto r = make_rsdp(2);
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), ACPI_RSDP_REV0_SIZE).is_error());
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), 19).is_error());
    r.length = 0x1000;  // claims more than is readable
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), sizeof(r)).is_error());
    r.length = 20;  // shorter than a revision-2 RSDP
    EXPECT_TRUE(acpi_validate_rsdp(bytes(&r), sizeof(r)).is_error());
}

TEST(AcpiTable, AcceptsValidTable) {
    auto t = make_table("APIC", 1, {1, 2, 3, 4});
    EXPECT_FALSE(acpi_validate_table(t.data(), t.size()).is_error());
    // Readable bytes beyond the table do not matter.
    t.resize(t.size() + 16, 0xaa);
    EXPECT_FALSE(acpi_validate_table(t.data(), t.size()).is_error());
}

TEST(AcpiTable, RejectsBadChecksum) {
    auto t = make_table("APIC", 1, {1, 2, 3, 4});
    t.back() ^= 0x10;
    EXPECT_TRUE(acpi_validate_table(t.data(), t.size()).is_error());
}

TEST(AcpiTable, RejectsTruncatedAndBadLengths) {
    auto t = make_table("APIC", 1, {1, 2, 3, 4});
    EXPECT_TRUE(acpi_validate_table(t.data(), 10).is_error());  // not even a header
    EXPECT_TRUE(acpi_validate_table(t.data(), t.size() - 1).is_error());
    auto* h = reinterpret_cast<acpi_table_header*>(t.data());
    h->length = 0xffffffff;
    EXPECT_TRUE(acpi_validate_table(t.data(), t.size()).is_error());
    h->length = 8;  // shorter than its own header
    EXPECT_TRUE(acpi_validate_table(t.data(), t.size()).is_error());
}

TEST(AcpiRootTable, ReadsRsdtEntries) {
    std::vector<u8> body = {0x5e, 0x1a, 0xfe, 0x1f, 0xb2, 0x19, 0xfe, 0x1f};
    auto t = make_table("RSDT", 1, body);
    u64 out[4] = {};
    auto* h = reinterpret_cast<const acpi_table_header*>(t.data());
    ASSERT_EQ(acpi_root_table_entries(h, false, out, 4), 2u);
    EXPECT_EQ(out[0], 0x1ffe1a5eu);
    EXPECT_EQ(out[1], 0x1ffe19b2u);
}

TEST(AcpiRootTable, ReadsUnalignedXsdtEntriesAndHonoursMax) {
    std::vector<u8> body(24);
    const u64 addrs[3] = {0x100000000ull, 0x7fe1234ull, 0xfedcba9876543210ull};
    memcpy(body.data(), addrs, sizeof(addrs));
    body.push_back(0x77);  // a partial trailing entry is not an entry
    auto t = make_table("XSDT", 1, body);
    u64 out[2] = {};
    auto* h = reinterpret_cast<const acpi_table_header*>(t.data());
    EXPECT_EQ(acpi_root_table_entries(h, true, out, 2), 3u);
    EXPECT_EQ(out[0], addrs[0]);
    EXPECT_EQ(out[1], addrs[1]);
}

namespace {

// A revision-1 FADT like QEMU's i440fx one: 116 bytes, ending at `flags`.
std::vector<u8> make_fadt_v1() {
    acpi_table_fadt f{};
    f.facs = 0x1ffe0000;
    f.dsdt = 0x1ffe0040;
    f.sci_interrupt = 9;
    f.smi_command = 0xb2;
    f.acpi_enable = 0xf1;
    f.pm1a_event_block = 0xb000;
    f.pm1a_control_block = 0xb004;
    f.pm_timer_block = 0xb008;
    f.pm1_event_length = 4;
    f.pm1_control_length = 2;
    f.flags = 0x80a5;
    auto* p = reinterpret_cast<const u8*>(&f) + sizeof(acpi_table_header);
    return make_table("FACP", 1, std::vector<u8>(p, p + 116 - sizeof(acpi_table_header)));
}

std::vector<u8> make_fadt_v3(u32 flags) {
    acpi_table_fadt f{};
    f.dsdt = 0x1ffe0040;
    f.pm1a_control_block = 0x604;
    f.pm1_control_length = 2;
    f.flags = flags;
    f.reset_register = {ACPI_ADR_SPACE_SYSTEM_IO, 8, 0, 0, 0xcf9};
    f.reset_value = 0x0f;
    f.Xdsdt = 0x100000040ull;
    f.xpm1a_control_block = {ACPI_ADR_SPACE_SYSTEM_IO, 16, 0, 2, 0x604};
    f.xpm1b_control_block = {ACPI_ADR_SPACE_SYSTEM_MEMORY, 16, 0, 2, 0xfed00004};
    auto* p = reinterpret_cast<const u8*>(&f) + sizeof(acpi_table_header);
    return make_table("FACP", 3, std::vector<u8>(p, p + 244 - sizeof(acpi_table_header)));
}

}  // namespace

TEST(AcpiFadt, Revision1UsesLegacyFieldsAndHasNoResetRegister) {
    auto t = make_fadt_v1();
    auto r = acpi_parse_fadt(t.data(), t.size());
    ASSERT_FALSE(r.is_error());
    const acpi_fadt_info& f = r.value();
    EXPECT_EQ(f.dsdt, 0x1ffe0040u);
    EXPECT_EQ(f.facs, 0x1ffe0000u);
    EXPECT_EQ(f.smi_command, 0xb2u);
    EXPECT_EQ(f.acpi_enable, 0xf1);
    EXPECT_EQ(f.pm1a_control.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
    EXPECT_EQ(f.pm1a_control.address, 0xb004u);
    EXPECT_EQ(f.pm1a_control.bit_width, 16);
    EXPECT_EQ(f.pm1b_control.address, 0u);
    EXPECT_FALSE(f.reset_supported);
}

TEST(AcpiFadt, PrefersExtendedFieldsAndReadsResetRegister) {
    auto t = make_fadt_v3(ACPI_FADT_RESET_REGISTER);
    auto r = acpi_parse_fadt(t.data(), t.size());
    ASSERT_FALSE(r.is_error());
    const acpi_fadt_info& f = r.value();
    EXPECT_EQ(f.dsdt, 0x100000040ull);
    EXPECT_EQ(f.pm1a_control.address, 0x604u);
    EXPECT_EQ(f.pm1b_control.space_id, ACPI_ADR_SPACE_SYSTEM_MEMORY);
    EXPECT_EQ(f.pm1b_control.address, 0xfed00004u);
    ASSERT_TRUE(f.reset_supported);
    EXPECT_EQ(f.reset_register.address, 0xcf9u);
    EXPECT_EQ(f.reset_value, 0x0f);
}

TEST(AcpiFadt, ResetRegisterNeedsFlagAndSaneEncoding) {
    auto t = make_fadt_v3(0);
    EXPECT_FALSE(acpi_parse_fadt(t.data(), t.size()).value().reset_supported);

    t = make_fadt_v3(ACPI_FADT_RESET_REGISTER);
    auto* f = reinterpret_cast<acpi_table_fadt*>(t.data());
    f->reset_register.bit_width = 32;  // the spec allows only 8-bit reset registers
    fix_checksum(t);
    EXPECT_FALSE(acpi_parse_fadt(t.data(), t.size()).value().reset_supported);

    t = make_fadt_v3(ACPI_FADT_RESET_REGISTER);
    f = reinterpret_cast<acpi_table_fadt*>(t.data());
    f->reset_register.space_id = 2;  // PCI configuration space: not supported
    fix_checksum(t);
    EXPECT_FALSE(acpi_parse_fadt(t.data(), t.size()).value().reset_supported);
}

TEST(AcpiFadt, FieldsPastTheTableLengthAreAbsent) {
    // Cut the table right before X_DSDT: the 32-bit DSDT must be used.
    auto t = make_fadt_v3(ACPI_FADT_RESET_REGISTER);
    auto r = acpi_parse_fadt(t.data(), __builtin_offsetof(acpi_table_fadt, Xdsdt) + 4);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().dsdt, 0x1ffe0040u);
    EXPECT_EQ(r.value().pm1b_control.address, 0u);
    EXPECT_TRUE(r.value().reset_supported);
}

TEST(AcpiFadt, RejectsTooShortTable) {
    auto t = make_fadt_v1();
    EXPECT_TRUE(acpi_parse_fadt(t.data(), 100).is_error());
    EXPECT_TRUE(acpi_parse_fadt(t.data(), sizeof(acpi_table_header)).is_error());
}

TEST(AcpiPrint, MatchesLinuxBootLog) {
    auto rsdp = make_rsdp(0);
    testing::internal::CaptureStderr();
    acpi_print_rsdp(0xf52a0, &rsdp);
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "ACPI: RSDP 0x00000000000F52A0 000014 (v00 BOCHS )\n");

    auto t = make_fadt_v1();
    testing::internal::CaptureStderr();
    acpi_print_table_header(0x1ffe1a5e, reinterpret_cast<const acpi_table_header*>(t.data()));
    EXPECT_EQ(testing::internal::GetCapturedStderr(),
              "ACPI: FACP 0x000000001FFE1A5E 000074 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\n");
}

TEST(AcpiPrint, ReplacesUnprintableBytes) {
    auto t = make_table("AP\x01\xff", 1, {});
    auto* h = reinterpret_cast<acpi_table_header*>(t.data());
    memcpy(h->oem_id, "AB\0CDE", 6);
    testing::internal::CaptureStderr();
    acpi_print_table_header(0x1000, h);
    EXPECT_EQ(testing::internal::GetCapturedStderr(),
              "ACPI: AP?? 0x0000000000001000 000024 (v01 AB     BXPC     00000001 BXPC 00000001)\n");
}
