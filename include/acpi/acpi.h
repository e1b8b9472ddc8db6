// ACPI: the firmware tables that describe the machine (CPUs, interrupt controllers,
// power-management registers) and the two things Keel does with them beyond reading:
// powering off (sleep state S5) and resetting through the FADT reset register.
// docs/acpi.md describes the whole path.
//
// The parsers in the first half take a byte buffer and its length and never touch
// hardware, so host unit tests feed them crafted tables. The second half is the kernel's
// view of the tables the firmware actually provides.
#pragma once
#include <acpi/actbl.h>
#include <keel/result.h>
#include <keel/types.h>
#include <stddef.h>

// ---- parsers over byte buffers (host-testable) ----------------------------------

// Sum of `len` bytes modulo 256; a valid table or RSDP sums to 0.
u8 acpi_checksum(const void* buf, size_t len);

// Checks an RSDP candidate of which `len` bytes are readable: signature, the 20-byte
// checksum and, for revision >= 2, the length and extended checksum. EINVAL on failure.
Result<void> acpi_validate_rsdp(const u8* buf, size_t len);

// Checks a table of which `len` bytes are readable: its header fits, its length fits
// and is at least a header, and its checksum is zero. Reports the reason on failure.
Result<void> acpi_validate_table(const u8* buf, size_t len);

// Physical addresses listed by a validated RSDT (4-byte entries) or XSDT (8-byte
// entries); stores at most `max` and returns how many entries the table holds.
size_t acpi_root_table_entries(const acpi_table_header* root, bool xsdt, u64* out, size_t max);

// Linux's boot-log lines for the RSDP and for each table header.
void acpi_print_rsdp(u64 address, const acpi_table_rsdp* rsdp);
void acpi_print_table_header(u64 address, const acpi_table_header* header);

// What Keel uses from the FADT, with the revision differences already resolved.
struct acpi_fadt_info {
    u32 flags;
    u64 facs;  // physical; 0 when absent
    u64 dsdt;  // physical; X_DSDT preferred over the 32-bit field
    u16 sci_interrupt;
    u32 smi_command;  // port to which acpi_enable is written to enter ACPI mode
    u8 acpi_enable;
    acpi_generic_address pm1a_control;  // address 0: absent
    acpi_generic_address pm1b_control;
    bool reset_supported;  // reset_register is present, valid and flagged in `flags`
    acpi_generic_address reset_register;
    u8 reset_value;
};

// Decodes a validated FADT of `len` bytes. Fields past the table's length (older
// revisions) read as absent. EINVAL if the table is too short to be a FADT at all.
Result<acpi_fadt_info> acpi_parse_fadt(const u8* buf, size_t len);

// The interrupt-controller topology from the MADT, for SMP and IRQ setup.
#define ACPI_MAX_LAPICS 64  // NR_CPUS
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_INT_OVERRIDES 16
#define ACPI_MAX_NMI_SOURCES 8
#define ACPI_MAX_LAPIC_NMIS 8

struct acpi_madt_info {
    u64 lapic_addr;  // after any LOCAL_APIC_OVERRIDE
    bool pcat_compat;  // legacy 8259 PICs present
    struct lapic {
        u32 acpi_id;  // processor UID
        u32 apic_id;
        bool enabled;  // usable now
        bool hotplug;  // disabled but may come online later (counted in possible CPUs)
    } lapics[ACPI_MAX_LAPICS];
    unsigned nr_lapics;
    struct ioapic {
        u8 id;
        u32 address;
        u32 gsi_base;
    } ioapics[ACPI_MAX_IOAPICS];
    unsigned nr_ioapics;
    struct int_override {
        u8 bus;
        u8 bus_irq;
        u32 global_irq;
        u16 flags;  // ACPI_MADT_POLARITY_* | ACPI_MADT_TRIGGER_*
    } overrides[ACPI_MAX_INT_OVERRIDES];
    unsigned nr_overrides;
    struct nmi_source {
        u32 global_irq;
        u16 flags;
    } nmi_sources[ACPI_MAX_NMI_SOURCES];
    unsigned nr_nmi_sources;
    struct lapic_nmi {
        u32 acpi_id;  // 0xff (or 0xffffffff for x2APIC entries): every processor
        u16 flags;
        u8 lint;
    } lapic_nmis[ACPI_MAX_LAPIC_NMIS];
    unsigned nr_lapic_nmis;
    unsigned nr_enabled_cpus;
    unsigned nr_hotplug_cpus;
};

// Walks a validated MADT of `len` bytes into `out`, printing one line per entry as
// Linux does. Entries with a bad length end the walk with EINVAL (what was read
// before stays in `out`); entries beyond the array sizes above are reported and
// dropped; unknown entry types are skipped.
Result<void> acpi_parse_madt(const u8* buf, size_t len, acpi_madt_info& out);

// SLP_TYPa/SLP_TYPb of a sleep state, from the \_Sx package in the AML.
struct acpi_sleep_type {
    u8 a;
    u8 b;
};

// Finds `Name(_Sx, Package() {a, b, ...})` for state x (0..5) in a block of AML
// (a DSDT or SSDT body) and decodes its first two integers. ENOENT when the object
// is not there, EINVAL when it is there but malformed or truncated.
Result<acpi_sleep_type> acpi_aml_get_sleep_type(const u8* aml, size_t len, unsigned state);

// ---- the machine's tables (kernel only) ------------------------------------------

// setup_arch: finds the RSDP, validates and lists every table. Later calls are no-ops.
void acpi_boot_table_init();
// After acpi_boot_table_init: parses the MADT into acpi_madt and the sleep states.
void acpi_boot_init();

// The instance-th (from 0) valid table with this signature, including the DSDT, or
// nullptr. The whole table (header->length bytes) is mapped and checksummed.
const acpi_table_header* acpi_get_table(const char sig[4], int instance);

// Physical address of the RSDP in use, or 0 when none was found.
phys_addr_t acpi_os_get_root_pointer();

// True when [phys, phys+len) lies in ranges the memory map lists (all of which the
// direct map covers), so __va() of it may be read.
bool acpi_os_phys_mapped(phys_addr_t phys, size_t len);

extern bool acpi_disabled;  // no usable tables: nothing below does anything
extern acpi_fadt_info acpi_gbl_FADT;
extern acpi_madt_info acpi_madt;

// Generic-address-structure register access (I/O or memory space). EINVAL for a
// space or width Keel cannot access.
Result<u64> acpi_hw_read(const acpi_generic_address& reg);
Result<void> acpi_hw_write(const acpi_generic_address& reg, u64 value);

// SLP_TYP values of state (0..5), looked up in the DSDT and then the SSDTs.
Result<acpi_sleep_type> acpi_get_sleep_type_data(unsigned state);
// Enters S5. Returns only if the machine did not turn off.
void acpi_power_off();
// Writes the FADT reset register. Returns if there is none or nothing happened.
void acpi_reboot();
