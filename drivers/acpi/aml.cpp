// Just enough AML to read the sleep-state packages \_S0.._S5 without an interpreter.
// Firmware writes them as a named constant, `Name(_S5, Package() {a, b, ...})`, which
// compiles to
//     NameOp(0x08) [RootPrefix '\' | ParentPrefix '^'...] '_S5_'
//     PackageOp(0x12) PkgLength NumElements DataRefObject...
// so a byte search for the name, checked against that shape, finds it. Everything is
// bounds-checked: the AML comes from firmware and may be truncated or corrupt.
// (Linux evaluates the object with ACPICA's interpreter: acpi_get_sleep_type_data().)
#include <acpi/acpi.h>
#include <keel/printk.h>
#include <lib/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

namespace {

enum : u8 {
    AML_ZERO_OP = 0x00,
    AML_ONE_OP = 0x01,
    AML_NAME_OP = 0x08,
    AML_BYTE_PREFIX = 0x0a,
    AML_WORD_PREFIX = 0x0b,
    AML_DWORD_PREFIX = 0x0c,
    AML_QWORD_PREFIX = 0x0e,
    AML_PACKAGE_OP = 0x12,
    AML_ROOT_PREFIX = '\\',
    AML_PARENT_PREFIX = '^',
    AML_ONES_OP = 0xff,
};

// A cursor that refuses to read past the end it was given.
struct AmlReader {
    const u8* p;
    const u8* end;
    bool read(u8& v) {
        if (p == end) return false;
        v = *p++;
        return true;
    }
    bool read_le(u64& v, unsigned bytes) {
        if (size_t(end - p) < bytes) return false;
        v = 0;
        for (unsigned i = 0; i < bytes; i++) v |= u64(p[i]) << (8 * i);
        p += bytes;
        return true;
    }
};

// PkgLength: bits 7-6 of the lead byte count the bytes that follow (0-3). With none,
// bits 5-0 are the length; otherwise bits 3-0 are its low nibble and each following
// byte adds 8 more bits. The length counts from the lead byte itself.
bool read_pkg_length(AmlReader& r, size_t& length) {
    u8 lead;
    if (!r.read(lead)) return false;
    unsigned extra = lead >> 6;
    if (extra == 0) {
        length = lead & 0x3f;
        return true;
    }
    u64 rest;
    if (!r.read_le(rest, extra)) return false;
    length = (lead & 0x0f) | size_t(rest << 4);
    return true;
}

// ComputationalData integers: ZeroOp, OneOp, OnesOp and the Byte/Word/DWord/QWord consts.
bool read_integer(AmlReader& r, u64& value) {
    u8 op;
    if (!r.read(op)) return false;
    switch (op) {
    case AML_ZERO_OP: value = 0; return true;
    case AML_ONE_OP: value = 1; return true;
    case AML_ONES_OP: value = ~0ull; return true;
    case AML_BYTE_PREFIX: return r.read_le(value, 1);
    case AML_WORD_PREFIX: return r.read_le(value, 2);
    case AML_DWORD_PREFIX: return r.read_le(value, 4);
    case AML_QWORD_PREFIX: return r.read_le(value, 8);
    default: return false;
    }
}

// Is the NameSeg at aml[pos] the name operand of a NameOp (possibly behind a root or
// parent prefix)? Otherwise it is a reference from code, or bytes inside a buffer.
bool follows_name_op(const u8* aml, size_t pos) {
    if (pos > 0 && aml[pos - 1] == AML_ROOT_PREFIX)
        pos--;
    else
        while (pos > 0 && aml[pos - 1] == AML_PARENT_PREFIX) pos--;
    return pos > 0 && aml[pos - 1] == AML_NAME_OP;
}

// Decodes the package starting at its PkgLength. `offset` is only for messages.
Result<acpi_sleep_type> decode_sleep_package(AmlReader r, const char* name, size_t offset) {
    const u8* pkg_start = r.p;
    size_t pkg_length;
    if (!read_pkg_length(r, pkg_length) || pkg_length > size_t(r.end - pkg_start)) {
        pr_err("%.4s package at AML offset 0x%zx is truncated\n", name, offset);
        return Error{EINVAL};
    }
    r.end = pkg_start + pkg_length;
    u8 count;
    if (!r.read(count) || count == 0) {
        pr_err("%.4s package at AML offset 0x%zx has no elements\n", name, offset);
        return Error{EINVAL};
    }
    u64 a, b = 0;
    bool ok = read_integer(r, a);
    // Legacy firmware packs both values into one integer: SLP_TYPa in bits 7-0,
    // SLP_TYPb in bits 15-8 (ACPICA accepts this form too).
    if (ok && count == 1) b = a >> 8;
    if (ok && count >= 2) ok = read_integer(r, b);
    if (!ok) {
        pr_err("%.4s package at AML offset 0x%zx: element is not an integer or is truncated\n",
               name, offset);
        return Error{EINVAL};
    }
    return acpi_sleep_type{u8(a), u8(b)};
}

}  // namespace

Result<acpi_sleep_type> acpi_aml_get_sleep_type(const u8* aml, size_t len, unsigned state) {
    if (state > 5) return Error{EINVAL};
    const char name[ACPI_NAMESEG_SIZE] = {'_', 'S', char('0' + state), '_'};
    for (size_t i = 0; i + ACPI_NAMESEG_SIZE <= len; i++) {
        if (memcmp(aml + i, name, ACPI_NAMESEG_SIZE) != 0 || !follows_name_op(aml, i)) continue;
        AmlReader r{aml + i + ACPI_NAMESEG_SIZE, aml + len};
        u8 op;
        if (!r.read(op) || op != AML_PACKAGE_OP) {
            pr_err("%.4s at AML offset 0x%zx is not a package\n", name, i);
            return Error{EINVAL};
        }
        return decode_sleep_package(r, name, i);
    }
    return Error{ENOENT};
}
