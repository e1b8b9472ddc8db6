// Sleep states and power-off (Linux: drivers/acpi/sleep.c with ACPICA's hwsleep.c).
// Entering S5 means writing the state's SLP_TYP value, taken from the \_S5 package in
// the AML, into the PM1 control registers together with SLP_EN.
#include "internal.h"
#include <acpi/acpi.h>
#include <asm/io.h>
#include <asm/reboot.h>
#include <keel/printk.h>
#include <lib/vsprintf.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: PM: " fmt

#define ACPI_STATE_S5 5

static acpi_sleep_type acpi_s5_type;

// Searches the DSDT, then the SSDTs, stopping at the first definition found.
Result<acpi_sleep_type> acpi_get_sleep_type_data(unsigned state) {
    const acpi_table_header* t = acpi_get_table(ACPI_SIG_DSDT, 0);
    for (int ssdt = 0; t; t = acpi_get_table(ACPI_SIG_SSDT, ssdt++)) {
        auto aml = reinterpret_cast<const u8*>(t) + sizeof(acpi_table_header);
        auto type = acpi_aml_get_sleep_type(aml, t->length - sizeof(acpi_table_header), state);
        if (!type.is_error() || type.error() != ENOENT) return type;
    }
    return Error{ENOENT};
}

// The PM1 control registers are 16 bits wide whatever the GAS says (ACPI 6.5 4.8.3.2).
static acpi_generic_address pm1_register(acpi_generic_address reg) {
    reg.bit_width = 16;
    reg.access_width = 0;
    return reg;
}

// In legacy mode SMM firmware owns the PM registers; asking it for ACPI mode (the
// FADT's acpi_enable value written to the SMI command port) sets SCI_EN.
static void acpi_enable_mode() {
    auto pm1a = pm1_register(acpi_gbl_FADT.pm1a_control);
    auto cnt = acpi_hw_read(pm1a);
    if (cnt.is_error() || (cnt.value() & ACPI_PM1_SCI_EN)) return;
    if (!acpi_gbl_FADT.smi_command || !acpi_gbl_FADT.acpi_enable) return;
    outb(acpi_gbl_FADT.acpi_enable, u16(acpi_gbl_FADT.smi_command));
    // The spec lets firmware take up to 3 seconds; each io_delay() is about 1 us.
    for (int i = 0; i < 3000000; i++) {
        if (acpi_hw_read(pm1a).value() & ACPI_PM1_SCI_EN) return;
        io_delay();
    }
    pr_warn("firmware did not enter ACPI mode\n");
}

// Writes SLP_TYP first and SLP_EN in a second write, as ACPICA does: some chipsets
// latch the type only while SLP_EN is clear.
static Result<void> write_sleep_type(const acpi_generic_address& reg, u8 slp_typ) {
    auto pm1 = pm1_register(reg);
    u64 cnt = TRY(acpi_hw_read(pm1));
    cnt &= ~u64(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
    cnt |= u64(slp_typ & 7) << ACPI_PM1_SLP_TYP_SHIFT;
    TRY(acpi_hw_write(pm1, cnt));
    return acpi_hw_write(pm1, cnt | ACPI_PM1_SLP_EN);
}

void acpi_power_off() {
    pr_info("Preparing to enter system sleep state S5\n");
    acpi_enable_mode();
    auto err = write_sleep_type(acpi_gbl_FADT.pm1a_control, acpi_s5_type.a);
    if (!err.is_error() && acpi_gbl_FADT.pm1b_control.address)
        err = write_sleep_type(acpi_gbl_FADT.pm1b_control, acpi_s5_type.b);
    if (err.is_error()) return;
    // The chipset takes a moment to cut power; if it is still running after ~100 ms,
    // it is not going to.
    for (int i = 0; i < 100000; i++) io_delay();
    pr_err("machine still running after the S5 request\n");
}

void acpi_sleep_init() {
    // S0 is the working state: supported whether or not the firmware names it.
    char states[32] = " S0";
    int n = 3;
    bool s5 = false;
    for (unsigned s = 1; s <= ACPI_STATE_S5; s++) {
        auto type = acpi_get_sleep_type_data(s);
        if (type.is_error()) continue;
        n += scnprintf(states + n, sizeof(states) - n, " S%u", s);
        if (s == ACPI_STATE_S5) {
            acpi_s5_type = type.value();
            s5 = true;
        }
    }
    pr_info("(supports%s)\n", states);

    if (acpi_gbl_FADT.flags & ACPI_FADT_HW_REDUCED) {
        pr_warn("hardware-reduced ACPI: power-off through sleep registers is not supported\n");
    } else if (!s5) {
        pr_warn("no usable \\_S5 package: power-off through ACPI unavailable\n");
    } else if (!acpi_gbl_FADT.pm1a_control.address) {
        pr_warn("FADT has no PM1a control block: power-off through ACPI unavailable\n");
    } else {
        pm_power_off = acpi_power_off;
    }
}
