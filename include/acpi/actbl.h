// ACPI table layouts as the firmware lays them out in memory (ACPI 6.5 chapter 5.2).
// Every struct is packed and its size and field offsets are pinned by static_asserts,
// because these bytes come from firmware and a padding byte would misread them all.
// Names follow ACPICA's (include/acpi/actbl*.h in Linux) so the spec and Linux read alike.
#pragma once
#include <keel/compiler.h>
#include <keel/types.h>

#define ACPI_SIG_RSDP "RSD PTR "
#define ACPI_SIG_RSDT "RSDT"
#define ACPI_SIG_XSDT "XSDT"
#define ACPI_SIG_FADT "FACP"
#define ACPI_SIG_FACS "FACS"
#define ACPI_SIG_DSDT "DSDT"
#define ACPI_SIG_SSDT "SSDT"
#define ACPI_SIG_MADT "APIC"

#define ACPI_NAMESEG_SIZE 4
#define ACPI_OEM_ID_SIZE 6
#define ACPI_OEM_TABLE_ID_SIZE 8

// Root System Description Pointer. Revision 0 (ACPI 1.0) ends after rsdt_physical_address;
// revision 2 adds the 64-bit XSDT and a checksum over the whole structure.
struct acpi_table_rsdp {
    char signature[8];
    u8 checksum;  // over the first 20 bytes
    char oem_id[ACPI_OEM_ID_SIZE];
    u8 revision;
    u32 rsdt_physical_address;
    u32 length;  // revision >= 2 from here on
    u64 xsdt_physical_address;
    u8 extended_checksum;  // over `length` bytes
    u8 reserved[3];
} __packed;

#define ACPI_RSDP_REV0_SIZE 20
static_assert(__builtin_offsetof(acpi_table_rsdp, rsdt_physical_address) == 16);
static_assert(__builtin_offsetof(acpi_table_rsdp, length) == ACPI_RSDP_REV0_SIZE);
static_assert(__builtin_offsetof(acpi_table_rsdp, xsdt_physical_address) == 24);
static_assert(__builtin_offsetof(acpi_table_rsdp, extended_checksum) == 32);
static_assert(sizeof(acpi_table_rsdp) == 36);

// The header every description table except the RSDP and FACS starts with.
struct acpi_table_header {
    char signature[ACPI_NAMESEG_SIZE];
    u32 length;  // of the whole table, header included
    u8 revision;
    u8 checksum;  // makes the sum of all `length` bytes zero
    char oem_id[ACPI_OEM_ID_SIZE];
    char oem_table_id[ACPI_OEM_TABLE_ID_SIZE];
    u32 oem_revision;
    char asl_compiler_id[ACPI_NAMESEG_SIZE];
    u32 asl_compiler_revision;
} __packed;

static_assert(__builtin_offsetof(acpi_table_header, checksum) == 9);
static_assert(__builtin_offsetof(acpi_table_header, oem_table_id) == 16);
static_assert(__builtin_offsetof(acpi_table_header, asl_compiler_revision) == 32);
static_assert(sizeof(acpi_table_header) == 36);

// Generic Address Structure: where a register lives and how wide an access must be.
struct acpi_generic_address {
    u8 space_id;  // ACPI_ADR_SPACE_*
    u8 bit_width;
    u8 bit_offset;
    u8 access_width;  // 0 undefined (use bit_width), 1 byte, 2 word, 3 dword, 4 qword
    u64 address;
} __packed;

static_assert(sizeof(acpi_generic_address) == 12);

enum : u8 {
    ACPI_ADR_SPACE_SYSTEM_MEMORY = 0,
    ACPI_ADR_SPACE_SYSTEM_IO = 1,
};

// The FACS starts with just a signature and a length; it carries no checksum.
struct acpi_table_facs {
    char signature[ACPI_NAMESEG_SIZE];
    u32 length;
} __packed;

// Fixed ACPI Description Table. Firmware ships older, shorter revisions (QEMU's i440fx
// FADT is revision 1 and ends at `flags`), so a field is only valid when the table's
// length reaches past it: see acpi_fadt_has().
struct acpi_table_fadt {
    acpi_table_header header;
    u32 facs;
    u32 dsdt;
    u8 model;
    u8 preferred_profile;
    u16 sci_interrupt;
    u32 smi_command;
    u8 acpi_enable;
    u8 acpi_disable;
    u8 s4_bios_request;
    u8 pstate_control;
    u32 pm1a_event_block;
    u32 pm1b_event_block;
    u32 pm1a_control_block;
    u32 pm1b_control_block;
    u32 pm2_control_block;
    u32 pm_timer_block;
    u32 gpe0_block;
    u32 gpe1_block;
    u8 pm1_event_length;
    u8 pm1_control_length;
    u8 pm2_control_length;
    u8 pm_timer_length;
    u8 gpe0_block_length;
    u8 gpe1_block_length;
    u8 gpe1_base;
    u8 cst_control;
    u16 c2_latency;
    u16 c3_latency;
    u16 flush_size;
    u16 flush_stride;
    u8 duty_offset;
    u8 duty_width;
    u8 day_alarm;
    u8 month_alarm;
    u8 century;
    u16 boot_flags;  // IA-PC boot architecture flags
    u8 reserved;
    u32 flags;  // ACPI_FADT_*
    acpi_generic_address reset_register;  // ACPI 2.0+ from here on
    u8 reset_value;
    u16 arm_boot_flags;
    u8 minor_revision;
    u64 Xfacs;
    u64 Xdsdt;
    acpi_generic_address xpm1a_event_block;
    acpi_generic_address xpm1b_event_block;
    acpi_generic_address xpm1a_control_block;
    acpi_generic_address xpm1b_control_block;
    acpi_generic_address xpm2_control_block;
    acpi_generic_address xpm_timer_block;
    acpi_generic_address xgpe0_block;
    acpi_generic_address xgpe1_block;
    acpi_generic_address sleep_control;  // ACPI 5.0+
    acpi_generic_address sleep_status;
    u64 hypervisor_id;  // ACPI 6.0+
} __packed;

static_assert(__builtin_offsetof(acpi_table_fadt, facs) == 36);
static_assert(__builtin_offsetof(acpi_table_fadt, smi_command) == 48);
static_assert(__builtin_offsetof(acpi_table_fadt, pm1a_control_block) == 64);
static_assert(__builtin_offsetof(acpi_table_fadt, pm_timer_block) == 76);
static_assert(__builtin_offsetof(acpi_table_fadt, pm1_control_length) == 89);
static_assert(__builtin_offsetof(acpi_table_fadt, boot_flags) == 109);
static_assert(__builtin_offsetof(acpi_table_fadt, flags) == 112);
static_assert(__builtin_offsetof(acpi_table_fadt, reset_register) == 116);
static_assert(__builtin_offsetof(acpi_table_fadt, reset_value) == 128);
static_assert(__builtin_offsetof(acpi_table_fadt, Xfacs) == 132);
static_assert(__builtin_offsetof(acpi_table_fadt, Xdsdt) == 140);
static_assert(__builtin_offsetof(acpi_table_fadt, xpm1a_control_block) == 172);
static_assert(__builtin_offsetof(acpi_table_fadt, xpm1b_control_block) == 184);
static_assert(__builtin_offsetof(acpi_table_fadt, sleep_control) == 244);
static_assert(sizeof(acpi_table_fadt) == 276);

enum : u32 {
    ACPI_FADT_RESET_REGISTER = 1u << 10,  // reset_register is implemented
    ACPI_FADT_HW_REDUCED = 1u << 20,      // no PM1 blocks: sleep goes through sleep_control
};

// PM1 control register bits (ACPI 6.5 4.8.3.2.1).
enum : u16 {
    ACPI_PM1_SCI_EN = 1u << 0,
    ACPI_PM1_SLP_TYP_SHIFT = 10,
    ACPI_PM1_SLP_TYP_MASK = 7u << 10,
    ACPI_PM1_SLP_EN = 1u << 13,
};

// Multiple APIC Description Table: a fixed part followed by variable-length entries,
// each starting with a type and a length.
struct acpi_table_madt {
    acpi_table_header header;
    u32 address;  // local APIC physical address
    u32 flags;    // ACPI_MADT_PCAT_COMPAT
} __packed;

static_assert(sizeof(acpi_table_madt) == 44);

enum : u32 { ACPI_MADT_PCAT_COMPAT = 1 };  // dual 8259s present: mask them before using IO-APICs

struct acpi_subtable_header {
    u8 type;
    u8 length;
} __packed;

enum acpi_madt_type : u8 {
    ACPI_MADT_TYPE_LOCAL_APIC = 0,
    ACPI_MADT_TYPE_IO_APIC = 1,
    ACPI_MADT_TYPE_INTERRUPT_OVERRIDE = 2,
    ACPI_MADT_TYPE_NMI_SOURCE = 3,
    ACPI_MADT_TYPE_LOCAL_APIC_NMI = 4,
    ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE = 5,
    ACPI_MADT_TYPE_LOCAL_X2APIC = 9,
    ACPI_MADT_TYPE_LOCAL_X2APIC_NMI = 10,
};

struct acpi_madt_local_apic {
    acpi_subtable_header header;
    u8 processor_id;  // ACPI processor UID
    u8 id;            // local APIC id
    u32 lapic_flags;
} __packed;
static_assert(sizeof(acpi_madt_local_apic) == 8);

enum : u32 {
    ACPI_MADT_ENABLED = 1u << 0,
    ACPI_MADT_ONLINE_CAPABLE = 1u << 1,  // MADT revision >= 5: may be brought online later
};

struct acpi_madt_io_apic {
    acpi_subtable_header header;
    u8 id;
    u8 reserved;
    u32 address;
    u32 global_irq_base;
} __packed;
static_assert(sizeof(acpi_madt_io_apic) == 12);

struct acpi_madt_interrupt_override {
    acpi_subtable_header header;
    u8 bus;  // always 0: ISA
    u8 source_irq;
    u32 global_irq;
    u16 inti_flags;  // ACPI_MADT_POLARITY_* | ACPI_MADT_TRIGGER_*
} __packed;
static_assert(sizeof(acpi_madt_interrupt_override) == 10);

struct acpi_madt_nmi_source {
    acpi_subtable_header header;
    u16 inti_flags;
    u32 global_irq;
} __packed;
static_assert(sizeof(acpi_madt_nmi_source) == 8);

struct acpi_madt_local_apic_nmi {
    acpi_subtable_header header;
    u8 processor_id;  // 0xff: all processors
    u16 inti_flags;
    u8 lint;  // LINT0 or LINT1
} __packed;
static_assert(sizeof(acpi_madt_local_apic_nmi) == 6);

struct acpi_madt_local_apic_override {
    acpi_subtable_header header;
    u16 reserved;
    u64 address;
} __packed;
static_assert(sizeof(acpi_madt_local_apic_override) == 12);

struct acpi_madt_local_x2apic {
    acpi_subtable_header header;
    u16 reserved;
    u32 local_apic_id;
    u32 lapic_flags;
    u32 uid;
} __packed;
static_assert(sizeof(acpi_madt_local_x2apic) == 16);

struct acpi_madt_local_x2apic_nmi {
    acpi_subtable_header header;
    u16 inti_flags;
    u32 uid;  // 0xffffffff: all processors
    u8 lint;
    u8 reserved[3];
} __packed;
static_assert(sizeof(acpi_madt_local_x2apic_nmi) == 12);

// MPS INTI flags of overrides and NMI entries.
enum : u16 {
    ACPI_MADT_POLARITY_MASK = 3,
    ACPI_MADT_POLARITY_CONFORMS = 0,
    ACPI_MADT_POLARITY_ACTIVE_HIGH = 1,
    ACPI_MADT_POLARITY_ACTIVE_LOW = 3,
    ACPI_MADT_TRIGGER_MASK = 3 << 2,
    ACPI_MADT_TRIGGER_CONFORMS = 0,
    ACPI_MADT_TRIGGER_EDGE = 1 << 2,
    ACPI_MADT_TRIGGER_LEVEL = 3 << 2,
};
