// Access to registers described by a Generic Address Structure (Linux: ACPICA's
// hwregs.c, acpi_hw_read/acpi_hw_write). Only system I/O and system memory spaces are
// supported; memory registers must lie in the direct map.
#include <acpi/acpi.h>
#include <asm/io.h>
#include <asm/page_types.h>
#include <keel/printk.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

// The access size: access_width when the firmware gave one, else the register width.
static Result<unsigned> access_bits(const acpi_generic_address& reg) {
    unsigned bits = reg.access_width ? 8u << (reg.access_width - 1) : reg.bit_width;
    bool io = reg.space_id == ACPI_ADR_SPACE_SYSTEM_IO;
    bool mem = reg.space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY;
    bool ok = (bits == 8 || bits == 16 || bits == 32 || (bits == 64 && mem)) &&
              ((io && reg.address <= 0xffff) ||
               (mem && acpi_os_phys_mapped(reg.address, bits / 8)));
    if (!ok) {
        pr_err("cannot access register: space %u, %u bits at 0x%llx\n", reg.space_id, bits,
               (unsigned long long)reg.address);
        return Error{EINVAL};
    }
    return bits;
}

Result<u64> acpi_hw_read(const acpi_generic_address& reg) {
    unsigned bits = TRY(access_bits(reg));
    if (reg.space_id == ACPI_ADR_SPACE_SYSTEM_IO) {
        u16 port = u16(reg.address);
        switch (bits) {
        case 8: return u64(inb(port));
        case 16: return u64(inw(port));
        default: return u64(inl(port));
        }
    }
    void* va = __va(reg.address);
    switch (bits) {
    case 8: return u64(readx<u8>(va));
    case 16: return u64(readx<u16>(va));
    case 32: return u64(readx<u32>(va));
    default: return readx<u64>(va);
    }
}

Result<void> acpi_hw_write(const acpi_generic_address& reg, u64 value) {
    unsigned bits = TRY(access_bits(reg));
    if (reg.space_id == ACPI_ADR_SPACE_SYSTEM_IO) {
        u16 port = u16(reg.address);
        switch (bits) {
        case 8: outb(u8(value), port); break;
        case 16: outw(u16(value), port); break;
        default: outl(u32(value), port); break;
        }
        return {};
    }
    void* va = __va(reg.address);
    switch (bits) {
    case 8: writex<u8>(va, u8(value)); break;
    case 16: writex<u16>(va, u16(value)); break;
    case 32: writex<u32>(va, u32(value)); break;
    default: writex<u64>(va, value); break;
    }
    return {};
}
