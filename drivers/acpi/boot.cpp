// acpi_boot_init: what the kernel takes from the tables once they are listed — the
// interrupt-controller topology (MADT) and the supported sleep states (Linux:
// arch/x86/kernel/acpi/boot.c).
#include "internal.h"
#include <acpi/acpi.h>
#include <keel/printk.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

acpi_madt_info acpi_madt;

void acpi_boot_init() {
    if (acpi_disabled) return;
    const acpi_table_header* madt = acpi_get_table(ACPI_SIG_MADT, 0);
    if (!madt) {
        pr_warn("no MADT: the boot CPU is the only one and there is no IO-APIC\n");
    } else if (acpi_parse_madt(reinterpret_cast<const u8*>(madt), madt->length, acpi_madt)
                   .is_error()) {
        pr_err("MADT is corrupt; using only the entries before the bad one\n");
    } else {
        pr_info("Using ACPI (MADT) for SMP configuration information\n");
    }
    unsigned possible = acpi_madt.nr_enabled_cpus + acpi_madt.nr_hotplug_cpus;
    if (possible)
        printk(KERN_INFO "smpboot: Allowing %u CPUs, %u hotplug CPUs\n", possible,
               acpi_madt.nr_hotplug_cpus);
    acpi_sleep_init();
}
