// The kernel's final page tables, replacing the link-time tables of head_64.S:
//  - the direct map (page_offset_base + phys) covers the legacy first 1 MiB,
//    every e820 range below 4 GiB (so ACPI tables are reachable with __va) and
//    all RAM above, with 1 GiB/2 MiB pages where alignment allows;
//    the VGA/BIOS hole (0xa0000-0xfffff) is uncached, the rest write-back;
//  - the kernel image (__START_KERNEL_map + phys) gets per-section rights:
//    text read-only+executable, rodata read-only+NX, data and bss read-write+NX;
//  - the identity map of the low 4 GiB is gone, so a NULL dereference faults.
#include <asm/e820.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <mm/page_alloc.h>

namespace {

constexpr phys_addr_t ISA_START = 0xa0000, ISA_END = 0x100000;

void map_direct(phys_addr_t start, phys_addr_t end, pgprot_t prot) {
    if (start >= end) return;
    auto r = map_range(init_top_pgt, page_offset_base + start, start, end - start, prot, true);
    if (r.is_error()) panic("init_memory_mapping: cannot map [mem %#llx-%#llx]: error %d",
                            (unsigned long long)start, (unsigned long long)end - 1, r.error());
}

void map_kernel_section(const char* start, const char* end, pgprot_t prot) {
    auto va = align_down(reinterpret_cast<unsigned long>(start), PAGE_SIZE);
    auto va_end = align_up(reinterpret_cast<unsigned long>(end), PAGE_SIZE);
    auto r = map_range(init_top_pgt, va, va - __START_KERNEL_map, va_end - va, prot);
    if (r.is_error()) panic("cannot map kernel section at %#lx: error %d", va, r.error());
}

}  // namespace

void init_mem_mapping() {
    // Page-rounded e820 ranges can share a page; merge as we go so no page is mapped twice.
    map_direct(0, ISA_START, PAGE_KERNEL);
    map_direct(ISA_START, ISA_END, PAGE_KERNEL_NOCACHE);
    phys_addr_t mapped_end = ISA_END;
    for (unsigned i = 0; i < e820_table_firmware.nr_entries; i++) {
        const e820_entry& e = e820_table_firmware.entries[i];
        phys_addr_t start = align_down(e.addr, phys_addr_t(PAGE_SIZE));
        phys_addr_t end = align_up(e.addr + e.size, phys_addr_t(PAGE_SIZE));
        if (e.type != E820_TYPE_RAM && start >= (4ull << 30)) continue;  // device ranges: ioremap()
        if (start < mapped_end) start = mapped_end;
        if (start >= end) continue;
        map_direct(start, end, PAGE_KERNEL);
        printk(KERN_INFO "init_memory_mapping: [mem %#010llx-%#010llx]\n", (unsigned long long)start,
               (unsigned long long)end - 1);
        mapped_end = end;
    }
    map_kernel_section(_text, _etext, PAGE_KERNEL_ROX);
    map_kernel_section(__start_rodata, __end_rodata, PAGE_KERNEL_RO);
    map_kernel_section(_sdata, _end, PAGE_KERNEL);
    write_cr3(__pa(init_top_pgt));
}

void paging_init() {
    unsigned long max_zone_pfns[MAX_NR_ZONES] = {};
    max_zone_pfns[ZONE_DMA] = PFN_DOWN(16ul << 20);
    max_zone_pfns[ZONE_DMA32] = max_pfn < PFN_DOWN(4ul << 30) ? max_pfn : PFN_DOWN(4ul << 30);
    max_zone_pfns[ZONE_NORMAL] = max_pfn;
    free_area_init(max_zone_pfns);
}
