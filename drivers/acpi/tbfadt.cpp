// FADT decoding (Linux: ACPICA's tbfadt.c). The FADT grew with every ACPI revision and
// firmware still ships the short ones, so each field is read only when the table's
// length covers it, and the 64-bit "X" fields win over their 32-bit originals.
#include <acpi/acpi.h>
#include <keel/printk.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

#define FADT_HAS(len, field) \
    ((len) >= __builtin_offsetof(acpi_table_fadt, field) + sizeof(acpi_table_fadt::field))

// A PM1 control block from the 32-bit port field, described the way the X field would.
static acpi_generic_address legacy_io_block(u32 port, u8 length) {
    acpi_generic_address gas{};
    if (port == 0) return gas;
    gas.space_id = ACPI_ADR_SPACE_SYSTEM_IO;
    gas.bit_width = u8(length * 8);
    gas.address = port;
    return gas;
}

Result<acpi_fadt_info> acpi_parse_fadt(const u8* buf, size_t len) {
    // Revision 1 ends at `flags`; anything shorter lacks the PM1 blocks we came for.
    if (!FADT_HAS(len, flags)) {
        pr_err("FADT too short (%zu bytes)\n", len);
        return Error{EINVAL};
    }
    auto* f = reinterpret_cast<const acpi_table_fadt*>(buf);
    acpi_fadt_info info{};
    info.flags = f->flags;
    info.facs = f->facs;
    info.dsdt = f->dsdt;
    info.sci_interrupt = f->sci_interrupt;
    info.smi_command = f->smi_command;
    info.acpi_enable = f->acpi_enable;
    info.pm1a_control = legacy_io_block(f->pm1a_control_block, f->pm1_control_length);
    info.pm1b_control = legacy_io_block(f->pm1b_control_block, f->pm1_control_length);

    if (FADT_HAS(len, Xfacs) && f->Xfacs) info.facs = f->Xfacs;
    if (FADT_HAS(len, Xdsdt) && f->Xdsdt) info.dsdt = f->Xdsdt;
    if (FADT_HAS(len, xpm1a_control_block) && f->xpm1a_control_block.address)
        info.pm1a_control = f->xpm1a_control_block;
    if (FADT_HAS(len, xpm1b_control_block) && f->xpm1b_control_block.address)
        info.pm1b_control = f->xpm1b_control_block;

    if (FADT_HAS(len, reset_value) && (f->flags & ACPI_FADT_RESET_REGISTER)) {
        const auto& reg = f->reset_register;
        // The spec allows only an 8-bit register at offset 0, in I/O, memory or PCI
        // config space; Keel writes the first two.
        bool usable = reg.address && reg.bit_width == 8 && reg.bit_offset == 0 &&
                      (reg.space_id == ACPI_ADR_SPACE_SYSTEM_IO ||
                       reg.space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY);
        if (usable) {
            info.reset_supported = true;
            info.reset_register = reg;
            info.reset_value = f->reset_value;
        } else {
            pr_warn("FADT reset register unusable (space %u, width %u, address 0x%llx)\n",
                    reg.space_id, reg.bit_width, (unsigned long long)reg.address);
        }
    }
    return info;
}
