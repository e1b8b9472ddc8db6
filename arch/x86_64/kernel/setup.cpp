// setup_arch(): the architecture's part of start_kernel, in Linux's order.
#include <asm/bootparam.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/e820.h>
#include <asm/page_types.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <asm/tsc.h>
#include <acpi/acpi.h>
#include <keel/init.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <lib/cpumask.h>
#include <mm/memblock.h>
#include <mm/page.h>

unsigned int nr_cpu_ids = 1;
phys_addr_t initrd_start_phys;
unsigned long initrd_size;

namespace {

constexpr unsigned long MAX_ARCH_PFN = 1ul << (46 - PAGE_SHIFT);  // 4-level paging: 64 TiB direct map

// The boot loader put the initrd somewhere in RAM; keep the allocators off it.
// One that does not lie wholly in usable RAM is dropped with a message, like Linux.
void reserve_initrd() {
    u64 start = boot_params.hdr.ramdisk_image | (u64(boot_params.ext_ramdisk_image) << 32);
    u64 size = boot_params.hdr.ramdisk_size | (u64(boot_params.ext_ramdisk_size) << 32);
    if (!start || !size) return;
    u64 end = align_up(start + size, u64(PAGE_SIZE));
    if (start + size < start || !e820__mapped_all(start, end, E820_TYPE_RAM)) {
        printk(KERN_ERR "initrd: [mem %#010llx-%#010llx] is not in usable RAM; disabling initrd\n",
               (unsigned long long)start, (unsigned long long)(start + size - 1));
        return;
    }
    printk(KERN_INFO "RAMDISK: [mem %#010llx-%#010llx]\n", (unsigned long long)start,
           (unsigned long long)end - 1);
    memblock_reserve(start, end - start);
    initrd_start_phys = start;
    initrd_size = size;
}

void memblock_x86_setup() {
    e820__memblock_setup();
    // The first 1 MiB holds the BIOS data area, the EBDA, the real-mode setup and
    // firmware tables; Linux keeps all of it out of the allocators, and so do we.
    memblock_reserve(0, 0x100000);
    memblock_reserve(__pa(_text), __pa(_end) - __pa(_text));
    // Early page tables must be reachable through the boot direct map (4 GiB).
    memblock_set_current_limit(4ull << 30);
}

}  // namespace

void setup_arch(char** cmdline_p) {
    // The final GDT, TSS and IDT go in first: from here on any exception during
    // boot prints an oops instead of resetting the machine.
    cpu_init();
    idt_setup_traps();
    early_cpu_init();
    e820__memory_setup(boot_params.e820_table, boot_params.e820_entries);
    parse_early_param();
    setup_cpu_protections();
    max_pfn = e820__end_of_ram_pfn(MAX_ARCH_PFN);
    if (!max_pfn) panic("e820: the firmware memory map lists no usable RAM");
    printk(KERN_INFO "last_pfn = %#lx max_arch_pfn = %#lx\n", max_pfn, MAX_ARCH_PFN);

    memblock_x86_setup();
    reserve_initrd();
    tsc_early_init();
    acpi_boot_table_init();
    init_mem_mapping();
    paging_init();
    acpi_boot_init();
    unsigned possible = acpi_madt.nr_enabled_cpus + acpi_madt.nr_hotplug_cpus;
    nr_cpu_ids = possible == 0 ? 1 : possible > NR_CPUS ? NR_CPUS : possible;
    for (unsigned cpu = 0; cpu < nr_cpu_ids; cpu++) cpumask_set_cpu(cpu, cpu_possible_mask);
    *cmdline_p = boot_command_line;
}
