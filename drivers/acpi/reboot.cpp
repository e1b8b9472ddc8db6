// Reset through the FADT reset register (Linux: drivers/acpi/reboot.c). On chipsets
// that implement it this is the cleanest reset; machine_restart() falls back to the
// keyboard controller and friends when it is absent or does nothing.
#include <acpi/acpi.h>
#include <asm/io.h>

void acpi_reboot() {
    if (acpi_disabled || !acpi_gbl_FADT.reset_supported) return;
    if (acpi_hw_write(acpi_gbl_FADT.reset_register, acpi_gbl_FADT.reset_value).is_error()) return;
    // Give the reset about 50 us to take hold before the caller tries something else.
    for (int i = 0; i < 50; i++) io_delay();
}
