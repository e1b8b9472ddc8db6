// Validation and printing of ACPI tables as byte buffers: checksums, the RSDP, table
// headers and the root table's list of addresses (Linux: ACPICA's tbutils.c, tbprint.c).
// Nothing here reads hardware or assumes the buffer is trustworthy.
#include <acpi/acpi.h>
#include <keel/printk.h>
#include <lib/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

u8 acpi_checksum(const void* buf, size_t len) {
    auto* p = static_cast<const u8*>(buf);
    u8 sum = 0;
    for (size_t i = 0; i < len; i++) sum = u8(sum + p[i]);
    return sum;
}

Result<void> acpi_validate_rsdp(const u8* buf, size_t len) {
    if (len < ACPI_RSDP_REV0_SIZE || memcmp(buf, ACPI_SIG_RSDP, 8) != 0) return Error{EINVAL};
    if (acpi_checksum(buf, ACPI_RSDP_REV0_SIZE) != 0) return Error{EINVAL};
    auto* rsdp = reinterpret_cast<const acpi_table_rsdp*>(buf);
    if (rsdp->revision < 2) return {};
    // ACPI 2.0+: the extended part must be readable and sum to zero as well.
    if (len < sizeof(acpi_table_rsdp) || rsdp->length < sizeof(acpi_table_rsdp) ||
        rsdp->length > len)
        return Error{EINVAL};
    if (acpi_checksum(buf, rsdp->length) != 0) return Error{EINVAL};
    return {};
}

// Table signatures and OEM strings are printed, so an unprintable byte must not reach
// the console; Linux shows it as '?' as well.
static void acpi_fix_string(char* dst, const char* src, size_t n) {
    size_t i = 0;
    for (; i < n && src[i]; i++) dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
    dst[i] = 0;
}

Result<void> acpi_validate_table(const u8* buf, size_t len) {
    if (len < sizeof(acpi_table_header)) {
        pr_err("table header truncated (%zu bytes)\n", len);
        return Error{EINVAL};
    }
    auto* h = reinterpret_cast<const acpi_table_header*>(buf);
    char sig[ACPI_NAMESEG_SIZE + 1];
    acpi_fix_string(sig, h->signature, ACPI_NAMESEG_SIZE);
    if (h->length < sizeof(acpi_table_header) || h->length > len) {
        pr_err("[%s] invalid length 0x%x (0x%zx bytes available)\n", sig, h->length, len);
        return Error{EINVAL};
    }
    u8 sum = acpi_checksum(buf, h->length);
    if (sum != 0) {
        pr_err("[%s] incorrect checksum 0x%02x, should be 0x%02x\n", sig, h->checksum,
               u8(h->checksum - sum));
        return Error{EINVAL};
    }
    return {};
}

size_t acpi_root_table_entries(const acpi_table_header* root, bool xsdt, u64* out, size_t max) {
    size_t entry_size = xsdt ? 8 : 4;
    size_t count = (root->length - sizeof(acpi_table_header)) / entry_size;
    auto* entries = reinterpret_cast<const u8*>(root) + sizeof(acpi_table_header);
    for (size_t i = 0; i < count && i < max; i++) {
        // Entries are packed right after the 36-byte header, so XSDT entries are
        // not 8-byte aligned: copy them out instead of dereferencing.
        u64 addr = 0;
        memcpy(&addr, entries + i * entry_size, entry_size);
        out[i] = addr;
    }
    return count;
}

void acpi_print_rsdp(u64 address, const acpi_table_rsdp* rsdp) {
    char oem[ACPI_OEM_ID_SIZE + 1];
    acpi_fix_string(oem, rsdp->oem_id, ACPI_OEM_ID_SIZE);
    u32 length = rsdp->revision >= 2 ? rsdp->length : ACPI_RSDP_REV0_SIZE;
    pr_info("RSDP 0x%016llX %06X (v%02d %-6s)\n", (unsigned long long)address, length,
            rsdp->revision, oem);
}

void acpi_print_table_header(u64 address, const acpi_table_header* h) {
    char sig[ACPI_NAMESEG_SIZE + 1], oem[ACPI_OEM_ID_SIZE + 1];
    char table_id[ACPI_OEM_TABLE_ID_SIZE + 1], compiler[ACPI_NAMESEG_SIZE + 1];
    acpi_fix_string(sig, h->signature, ACPI_NAMESEG_SIZE);
    acpi_fix_string(oem, h->oem_id, ACPI_OEM_ID_SIZE);
    acpi_fix_string(table_id, h->oem_table_id, ACPI_OEM_TABLE_ID_SIZE);
    acpi_fix_string(compiler, h->asl_compiler_id, ACPI_NAMESEG_SIZE);
    pr_info("%-4s 0x%016llX %06X (v%02d %-6s %-8s %08X %-4s %08X)\n", sig,
            (unsigned long long)address, h->length, h->revision, oem, table_id,
            h->oem_revision, compiler, h->asl_compiler_revision);
}
