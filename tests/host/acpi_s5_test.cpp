// Host tests for the AML sleep-package decoder (drivers/acpi/aml.cpp): the encodings
// firmware uses for \_S5, and truncated or corrupt AML that must be refused cleanly.
// Kernel headers first: libc's errno macros would rewrite the kernel's errno enum.
#include <acpi/acpi.h>
// keel/compiler.h's empty __init macro would break libstdc++, which uses the name.
#undef __init
#include <gtest/gtest.h>
#include <vector>

namespace {

using Bytes = std::vector<u8>;

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

const Bytes S5 = {'_', 'S', '5', '_'};
// Some unrelated AML around the object: a Scope(\_SB) header and a Name(_S3_...) constant.
const Bytes PREFIX = {0x10, 0x0c, '\\', '_', 'S', 'B', '_', 0x08, 'P', 'C', 'I', '0', 0x00};
const Bytes SUFFIX = {0x08, 'X', 'Y', 'Z', '_', 0x0a, 0x42};

Result<acpi_sleep_type> s5(const Bytes& aml) {
    return acpi_aml_get_sleep_type(aml.data(), aml.size(), 5);
}

}  // namespace

TEST(AcpiS5, QemuI440fxDsdt) {
    // The bytes QEMU 7.2's i440fx DSDT holds: Scope (\) { Name (_S3, Package (4) {One,
    // One, Zero, Zero}) Name (_S4, Package (4) {2, 2, Zero, Zero}) Name (_S5, Package (4)
    // {Zero, Zero, Zero, Zero}) }
    const Bytes aml = {0x10, 0x29, 0x5c, 0x00, 0x08, 0x5f, 0x53, 0x33, 0x5f, 0x12, 0x06, 0x04,
                       0x01, 0x01, 0x00, 0x00, 0x08, 0x5f, 0x53, 0x34, 0x5f, 0x12, 0x08, 0x04,
                       0x0a, 0x02, 0x0a, 0x02, 0x00, 0x00, 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12,
                       0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 0);
    EXPECT_EQ(r.value().b, 0);
    auto s4 = acpi_aml_get_sleep_type(aml.data(), aml.size(), 4);
    ASSERT_FALSE(s4.is_error());
    EXPECT_EQ(s4.value().a, 2);
    auto s3 = acpi_aml_get_sleep_type(aml.data(), aml.size(), 3);
    ASSERT_FALSE(s3.is_error());
    EXPECT_EQ(s3.value().b, 1);
    EXPECT_EQ(acpi_aml_get_sleep_type(aml.data(), aml.size(), 0).error(), ENOENT);
}

TEST(AcpiS5, ZeroOpElements) {
    // Name (_S5, Package (0x02) { Zero, Zero })
    auto aml = cat({PREFIX, {0x08}, S5, {0x12, 0x04, 0x02, 0x00, 0x00}, SUFFIX});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 0);
    EXPECT_EQ(r.value().b, 0);
}

TEST(AcpiS5, BytePrefixAndOneOpElements) {
    // Name (_S5, Package (0x04) { 0x07, One, Zero, Zero })
    auto aml = cat({{0x08}, S5, {0x12, 0x07, 0x04, 0x0a, 0x07, 0x01, 0x00, 0x00}});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 7);
    EXPECT_EQ(r.value().b, 1);
}

TEST(AcpiS5, WordDwordQwordAndOnesElementsAreTruncatedToBytes) {
    auto aml = cat({{0x08}, S5, {0x12, 0x0a, 0x02, 0x0b, 0x05, 0x01, 0x0c, 0x06, 0, 0, 0}});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 5);
    EXPECT_EQ(r.value().b, 6);

    aml = cat({{0x08}, S5, {0x12, 0x0c, 0x02, 0x0e, 3, 0, 0, 0, 0, 0, 0, 0, 0xff}});
    r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 3);
    EXPECT_EQ(r.value().b, 0xff);
}

TEST(AcpiS5, RootAndParentPrefixedNames) {
    auto aml = cat({{0x08, '\\'}, S5, {0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05}});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 5);

    aml = cat({{0x08, '^', '^'}, S5, {0x12, 0x05, 0x02, 0x0a, 0x03, 0x01}});
    r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 3);
    EXPECT_EQ(r.value().b, 1);
}

TEST(AcpiS5, MultiBytePkgLength) {
    // PkgLength lead byte 0x46: one more byte follows; length = 0x6 | 0x00 << 4.
    auto aml = cat({{0x08}, S5, {0x12, 0x46, 0x00, 0x02, 0x0a, 0x04, 0x01}});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 4);
    EXPECT_EQ(r.value().b, 1);
}

TEST(AcpiS5, LegacySingleIntegerPacksBothValues) {
    auto aml = cat({{0x08}, S5, {0x12, 0x05, 0x01, 0x0b, 0x05, 0x07}});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 5);
    EXPECT_EQ(r.value().b, 7);
}

TEST(AcpiS5, SkipsReferencesThatAreNotDefinitions) {
    // A method body mentioning \_S5 (Store (\_S5, Local0)) comes before the definition.
    auto aml = cat({{0x70, '\\'}, S5, {0x60}, {0x08}, S5, {0x12, 0x06, 0x02, 0x0a, 0x02, 0x0a, 0x03}});
    auto r = s5(aml);
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value().a, 2);
    EXPECT_EQ(r.value().b, 3);
}

TEST(AcpiS5, OtherStatesAreDistinct) {
    auto aml = cat({{0x08}, {'_', 'S', '3', '_'}, {0x12, 0x06, 0x02, 0x0a, 0x01, 0x0a, 0x01},
                    {0x08}, S5, {0x12, 0x04, 0x02, 0x00, 0x00}});
    auto s3 = acpi_aml_get_sleep_type(aml.data(), aml.size(), 3);
    ASSERT_FALSE(s3.is_error());
    EXPECT_EQ(s3.value().a, 1);
    EXPECT_FALSE(s5(aml).is_error());
    auto s4 = acpi_aml_get_sleep_type(aml.data(), aml.size(), 4);
    ASSERT_TRUE(s4.is_error());
    EXPECT_EQ(s4.error(), ENOENT);
    EXPECT_EQ(acpi_aml_get_sleep_type(aml.data(), aml.size(), 6).error(), EINVAL);
}

TEST(AcpiS5, MissingObjectIsENOENT) {
    auto aml = cat({PREFIX, SUFFIX});
    ASSERT_TRUE(s5(aml).is_error());
    EXPECT_EQ(s5(aml).error(), ENOENT);
    EXPECT_EQ(acpi_aml_get_sleep_type(nullptr, 0, 5).error(), ENOENT);
    Bytes name_only = cat({{0x08}, {'_', 'S', '5'}});  // name cut short
    EXPECT_EQ(s5(name_only).error(), ENOENT);
}

TEST(AcpiS5, EveryTruncationIsRefused) {
    const Bytes full = cat({{0x08}, S5, {0x12, 0x0a, 0x02, 0x0b, 0x05, 0x01, 0x0c, 0x06, 0, 0, 0}});
    ASSERT_FALSE(s5(full).is_error());
    for (size_t len = 5; len < full.size(); len++) {
        Bytes cut(full.begin(), full.begin() + len);
        auto r = s5(cut);
        ASSERT_TRUE(r.is_error()) << "length " << len;
        EXPECT_EQ(r.error(), EINVAL) << "length " << len;
    }
}

TEST(AcpiS5, PackageLengthBeyondTheBufferIsRefused) {
    auto aml = cat({{0x08}, S5, {0x12, 0x3f, 0x02, 0x00, 0x00}});
    EXPECT_EQ(s5(aml).error(), EINVAL);
    // Four-byte PkgLength claiming ~256 MiB.
    aml = cat({{0x08}, S5, {0x12, 0xcf, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00}});
    EXPECT_EQ(s5(aml).error(), EINVAL);
}

TEST(AcpiS5, ElementsMustLieInsideThePackage) {
    // PkgLength says 3 bytes (itself, NumElements, one element) but two are declared.
    auto aml = cat({{0x08}, S5, {0x12, 0x03, 0x02, 0x00, 0x00}, SUFFIX});
    EXPECT_EQ(s5(aml).error(), EINVAL);
}

TEST(AcpiS5, MalformedContentsAreRefused) {
    // Not a package.
    EXPECT_EQ(s5(cat({{0x08}, S5, {0x0a, 0x05}})).error(), EINVAL);
    // An empty package.
    EXPECT_EQ(s5(cat({{0x08}, S5, {0x12, 0x02, 0x00}})).error(), EINVAL);
    // A string element.
    EXPECT_EQ(s5(cat({{0x08}, S5, {0x12, 0x06, 0x02, 0x0d, 'a', 0x00, 0x00}})).error(), EINVAL);
}
