// Stopping the machine: power off, restart, halt (Linux: arch/x86/include/asm/reboot.h
// and the machine_* hooks of include/linux/reboot.h). The `reboot=` command-line option
// picks the restart methods; docs/acpi.md lists them.
#pragma once

// Set by the ACPI code when the firmware describes a usable S5; machine_power_off()
// calls it. Returns only if the machine kept running.
extern void (*pm_power_off)();

[[noreturn]] void machine_power_off();
[[noreturn]] void machine_restart();
[[noreturn]] void machine_halt();
