// The Linux x86 boot protocol (Documentation/x86/boot.rst): the setup header a
// boot loader reads and fills in, and the "zero page" (struct boot_params) the
// kernel receives. Offsets are the protocol's; the asserts below hold them.
#pragma once
#include <keel/types.h>

#define LOADED_HIGH (1 << 0)
#define KEEP_SEGMENTS (1 << 6)
#define CAN_USE_HEAP (1 << 7)

struct setup_header {
    u8 setup_sects;
    u16 root_flags;
    u32 syssize;
    u16 ram_size;
    u16 vid_mode;
    u16 root_dev;
    u16 boot_flag;
    u16 jump;
    u32 header;
    u16 version;
    u32 realmode_swtch;
    u16 start_sys_seg;
    u16 kernel_version;
    u8 type_of_loader;
    u8 loadflags;
    u16 setup_move_size;
    u32 code32_start;
    u32 ramdisk_image;
    u32 ramdisk_size;
    u32 bootsect_kludge;
    u16 heap_end_ptr;
    u8 ext_loader_ver;
    u8 ext_loader_type;
    u32 cmd_line_ptr;
    u32 initrd_addr_max;
    u32 kernel_alignment;
    u8 relocatable_kernel;
    u8 min_alignment;
    u16 xloadflags;
    u32 cmdline_size;
    u32 hardware_subarch;
    u64 hardware_subarch_data;
    u32 payload_offset;
    u32 payload_length;
    u64 setup_data;
    u64 pref_address;
    u32 init_size;
    u32 handover_offset;
    u32 kernel_info_offset;
} __attribute__((packed));

enum e820_type : u32 {
    E820_TYPE_RAM = 1,
    E820_TYPE_RESERVED = 2,
    E820_TYPE_ACPI = 3,
    E820_TYPE_NVS = 4,
    E820_TYPE_UNUSABLE = 5,
    E820_TYPE_PMEM = 7,
};

struct boot_e820_entry {
    u64 addr;
    u64 size;
    u32 type;
} __attribute__((packed));

#define E820_MAX_ENTRIES_ZEROPAGE 128

struct boot_params {
    u8 screen_info[0x40];
    u8 apm_bios_info[0x14];
    u8 _pad2[4];
    u64 tboot_addr;
    u8 ist_info[0x10];
    u64 acpi_rsdp_addr;
    u8 _pad3[8];
    u8 hd0_info[16];
    u8 hd1_info[16];
    u8 sys_desc_table[0x10];
    u8 olpc_ofw_header[0x10];
    u32 ext_ramdisk_image;
    u32 ext_ramdisk_size;
    u32 ext_cmd_line_ptr;
    u8 _pad4[112];
    u32 cc_blob_address;
    u8 edid_info[0x80];
    u8 efi_info[0x20];
    u32 alt_mem_k;
    u32 scratch;
    u8 e820_entries;
    u8 eddbuf_entries;
    u8 edd_mbr_sig_buf_entries;
    u8 kbd_status;
    u8 secure_boot;
    u8 _pad5[2];
    u8 sentinel;
    u8 _pad6[1];
    setup_header hdr;
    u8 _pad7[0x290 - 0x1f1 - sizeof(setup_header)];
    u32 edd_mbr_sig_buffer[16];
    boot_e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE];
    u8 _pad8[48];
    u8 eddbuf[0x1ec];
    u8 _pad9[276];
} __attribute__((packed));

static_assert(sizeof(setup_header) == 0x26c - 0x1f1);
static_assert(__builtin_offsetof(setup_header, jump) == 0x200 - 0x1f1);
static_assert(__builtin_offsetof(setup_header, code32_start) == 0x214 - 0x1f1);
static_assert(__builtin_offsetof(setup_header, cmd_line_ptr) == 0x228 - 0x1f1);
static_assert(__builtin_offsetof(setup_header, init_size) == 0x260 - 0x1f1);
static_assert(sizeof(boot_params) == 4096);
static_assert(__builtin_offsetof(boot_params, acpi_rsdp_addr) == 0x070);
static_assert(__builtin_offsetof(boot_params, ext_ramdisk_image) == 0x0c0);
static_assert(__builtin_offsetof(boot_params, e820_entries) == 0x1e8);
static_assert(__builtin_offsetof(boot_params, hdr) == 0x1f1);
static_assert(__builtin_offsetof(boot_params, e820_table) == 0x2d0);
static_assert(__builtin_offsetof(boot_params, eddbuf) == 0xd00);
