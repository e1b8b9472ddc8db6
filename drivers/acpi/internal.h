// Declarations shared between the files of drivers/acpi only.
#pragma once

// Looks up the sleep states the firmware supports and, when S5 is usable, installs
// acpi_power_off as pm_power_off. Called from acpi_boot_init().
void acpi_sleep_init();
