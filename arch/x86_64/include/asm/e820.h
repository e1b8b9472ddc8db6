// The physical memory map, as the firmware reported it (through int 15h/E820 or
// the boot loader) and as the kernel then trims it (mem=).
#pragma once
#include <uapi/asm/bootparam.h>

constexpr unsigned E820_MAX_ENTRIES = 128;

struct e820_entry {
    u64 addr;
    u64 size;
    e820_type type;
};

struct e820_table {
    unsigned nr_entries;
    e820_entry entries[E820_MAX_ENTRIES];
};

extern e820_table e820_table_firmware;  // as the firmware gave it, sanitized
extern e820_table e820_table_kernel;    // what the kernel uses (after mem=)

// Rewrites a table into sorted, non-overlapping, merged ranges. Where ranges
// overlap, the more restrictive (higher-numbered) type wins, as in Linux, so
// reserved memory is never handed out as RAM. Empty or wrapping ranges are dropped.
void e820__update_table(e820_table* table);
// Removes [start, start+size) from entries of the given type (or any type if 0).
void e820__range_remove(e820_table* table, u64 start, u64 size, e820_type type);
void e820__range_add(e820_table* table, u64 start, u64 size, e820_type type);
// Copies the firmware's entries in, sanitizes and prints them ("BIOS-e820: ...").
void e820__memory_setup(const boot_e820_entry* entries, unsigned nr_entries);
void e820__print_table(const e820_table* table, const char* who);
// First page frame past the last usable RAM below `limit_pfn`.
unsigned long e820__end_of_ram_pfn(unsigned long limit_pfn);
// True if [start, end) lies entirely inside ranges of `type`.
bool e820__mapped_all(u64 start, u64 end, e820_type type);
// Hands every RAM range to memblock (after mem= has trimmed the table).
void e820__memblock_setup();
const char* e820_type_name(e820_type type);
