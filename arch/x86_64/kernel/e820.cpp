// The e820 memory map. Firmware maps may be unsorted, overlap or repeat ranges;
// e820__update_table turns any of that into the sorted, disjoint list the rest of
// the kernel can trust. The method is a sweep over every range boundary: between
// two consecutive boundaries the type is the highest type of the ranges covering
// it, and neighbouring pieces of the same type merge.
#define pr_fmt(fmt) "e820: " fmt
#include <asm/e820.h>
#include <asm/page_types.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <lib/cmdline.h>
#include <mm/memblock.h>

e820_table e820_table_firmware;
e820_table e820_table_kernel;

namespace {

void sort_u64(u64* v, unsigned n) {  // insertion sort: at most 256 boundaries
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            u64 t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

bool user_defined_map;

}  // namespace

void e820__update_table(e820_table* table) {
    static u64 points[2 * E820_MAX_ENTRIES];
    unsigned nr_points = 0;
    for (unsigned i = 0; i < table->nr_entries; i++) {
        const e820_entry& e = table->entries[i];
        if (e.size == 0 || e.addr + e.size < e.addr) continue;  // empty or wraps past 2^64
        points[nr_points++] = e.addr;
        points[nr_points++] = e.addr + e.size;
    }
    sort_u64(points, nr_points);

    static e820_table out;
    out.nr_entries = 0;
    for (unsigned p = 0; p + 1 < nr_points; p++) {
        u64 start = points[p], end = points[p + 1];
        if (start == end) continue;
        u32 type = 0;
        for (unsigned i = 0; i < table->nr_entries; i++) {
            const e820_entry& e = table->entries[i];
            if (e.size && e.addr + e.size > e.addr && e.addr <= start && end <= e.addr + e.size &&
                e.type > type)
                type = e.type;
        }
        if (!type) continue;  // a hole
        e820_entry* last = out.nr_entries ? &out.entries[out.nr_entries - 1] : nullptr;
        if (last && last->type == type && last->addr + last->size == start) {
            last->size += end - start;
        } else if (out.nr_entries < E820_MAX_ENTRIES) {
            out.entries[out.nr_entries++] = {start, end - start, e820_type(type)};
        }
    }
    *table = out;
}

void e820__range_add(e820_table* table, u64 start, u64 size, e820_type type) {
    if (table->nr_entries >= E820_MAX_ENTRIES) {
        pr_err("too many entries; ignoring [mem %#018llx-%#018llx]\n", (unsigned long long)start,
               (unsigned long long)(start + size - 1));
        return;
    }
    table->entries[table->nr_entries++] = {start, size, type};
}

void e820__range_remove(e820_table* table, u64 start, u64 size, e820_type type) {
    u64 end = start + size < start ? ~0ull : start + size;
    for (unsigned i = 0; i < table->nr_entries; i++) {
        e820_entry& e = table->entries[i];
        if (type && e.type != type) continue;
        u64 e_end = e.addr + e.size;
        if (e_end <= start || e.addr >= end) continue;
        if (e.addr >= start && e_end <= end) {  // entirely inside: drop it
            e.size = 0;
            continue;
        }
        if (e.addr < start && e_end > end) {  // the hole splits it in two
            e820__range_add(table, end, e_end - end, e.type);
            e.size = start - e.addr;
            continue;
        }
        if (e.addr < start) e.size = start - e.addr;
        else {
            e.size = e_end - end;
            e.addr = end;
        }
    }
    e820__update_table(table);
}

const char* e820_type_name(e820_type type) {
    switch (type) {
    case E820_TYPE_RAM: return "usable";
    case E820_TYPE_RESERVED: return "reserved";
    case E820_TYPE_ACPI: return "ACPI data";
    case E820_TYPE_NVS: return "ACPI NVS";
    case E820_TYPE_UNUSABLE: return "unusable";
    case E820_TYPE_PMEM: return "persistent (type 7)";
    default: return "type unknown";
    }
}

void e820__print_table(const e820_table* table, const char* who) {
    for (unsigned i = 0; i < table->nr_entries; i++) {
        const e820_entry& e = table->entries[i];
        printk(KERN_INFO "%s: [mem %#018llx-%#018llx] %s\n", who, (unsigned long long)e.addr,
               (unsigned long long)(e.addr + e.size - 1), e820_type_name(e.type));
    }
}

void e820__memory_setup(const boot_e820_entry* entries, unsigned nr_entries) {
    if (nr_entries > E820_MAX_ENTRIES_ZEROPAGE) nr_entries = E820_MAX_ENTRIES_ZEROPAGE;
    e820_table_firmware.nr_entries = 0;
    for (unsigned i = 0; i < nr_entries; i++)
        e820__range_add(&e820_table_firmware, entries[i].addr, entries[i].size, e820_type(entries[i].type));
    e820__update_table(&e820_table_firmware);
    if (e820_table_firmware.nr_entries != nr_entries)
        pr_info("firmware map had overlapping, unsorted or empty ranges: sanitized %u -> %u entries\n",
                nr_entries, e820_table_firmware.nr_entries);
    e820_table_kernel = e820_table_firmware;
    printk(KERN_INFO "BIOS-provided physical RAM map:\n");
    e820__print_table(&e820_table_firmware, "BIOS-e820");
}

unsigned long e820__end_of_ram_pfn(unsigned long limit_pfn) {
    unsigned long last_pfn = 0;
    for (unsigned i = 0; i < e820_table_kernel.nr_entries; i++) {
        const e820_entry& e = e820_table_kernel.entries[i];
        if (e.type != E820_TYPE_RAM) continue;
        unsigned long start = PFN_UP(e.addr), end = PFN_DOWN(e.addr + e.size);
        if (start >= limit_pfn) continue;
        if (end > limit_pfn) end = limit_pfn;
        if (end > last_pfn) last_pfn = end;
    }
    return last_pfn;
}

bool e820__mapped_all(u64 start, u64 end, e820_type type) {
    // The table is sorted and merged, so one pass can follow the range along.
    for (unsigned i = 0; i < e820_table_kernel.nr_entries && start < end; i++) {
        const e820_entry& e = e820_table_kernel.entries[i];
        if (e.type != type || e.addr + e.size <= start) continue;
        if (e.addr > start) return false;
        start = e.addr + e.size;
    }
    return start >= end;
}

void e820__memblock_setup() {
    if (user_defined_map) {
        printk(KERN_INFO "user-defined physical RAM map:\n");
        e820__print_table(&e820_table_kernel, "user");
    }
    for (unsigned i = 0; i < e820_table_kernel.nr_entries; i++) {
        const e820_entry& e = e820_table_kernel.entries[i];
        if (e.type == E820_TYPE_RAM) memblock_add(e.addr, e.size);
    }
}

// mem=<size>: pretend RAM ends at <size> (Linux's "limit usable memory").
static int parse_memopt(const char* val) {
    if (!val) return -EINVAL;
    char* end;
    u64 limit = memparse(val, &end);
    if (end == val || *end || limit < (16ull << 20)) return -EINVAL;  // below 16 MiB would not boot
    e820__range_remove(&e820_table_kernel, limit, ~0ull - limit, E820_TYPE_RAM);
    user_defined_map = true;
    return 0;
}
early_param("mem", parse_memopt);
