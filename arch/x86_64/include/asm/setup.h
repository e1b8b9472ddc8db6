#pragma once

// Architecture half of start_kernel: CPU tables, memory map, memblock, page
// tables, zones, ACPI. Returns the command line in *cmdline_p.
void setup_arch(char** cmdline_p);
// Builds the final kernel page tables and switches to them.
void init_mem_mapping();
// Sizes the zones and creates the struct page array.
void paging_init();

extern phys_addr_t initrd_start_phys;
extern unsigned long initrd_size;

// Points GS at the per-CPU template so per-CPU variables work from the start.
void setup_early_per_cpu_area();
// Gives every possible CPU its own copy and moves CPU 0 onto its copy.
void setup_per_cpu_areas();
