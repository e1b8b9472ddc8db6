// What the boot CPU can do, read once from CPUID (Linux's boot_cpu_data).
#pragma once
#include <keel/types.h>

struct cpuinfo_x86 {
    char vendor_id[16];
    char model_id[64];
    u32 family, model, stepping;
    u32 cpuid_level;
    bool nx, smep, smap, umip, pge, gbpages;
};

extern cpuinfo_x86 boot_cpu_data;

// Reads CPUID into boot_cpu_data and prints the CPU's name.
void early_cpu_init();
// Turns on the protections the CPU offers: NX (EFER.NXE), SMEP, SMAP, UMIP, and
// keeps CR0.WP on, honouring nosmep/nosmap/noexec=off.
void setup_cpu_protections();
