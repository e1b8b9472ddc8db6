// Power off, restart and halt (Linux: arch/x86/kernel/reboot.c). Restart tries one
// method after another, because each works on some machines and silently does nothing
// on others: the ACPI reset register, the keyboard controller's reset line, the PCI
// reset control port 0xCF9, and finally a triple fault, which every CPU turns into a
// reset. `reboot=` picks the method to start with.
#include <acpi/acpi.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <lib/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "reboot: " fmt

void (*pm_power_off)();

namespace {

// The letters are reboot='s, as in Linux.
enum reboot_type : char {
    BOOT_ACPI = 'a',
    BOOT_KBD = 'k',
    BOOT_CF9_FORCE = 'p',
    BOOT_TRIPLE = 't',
};

enum reboot_mode { REBOOT_COLD, REBOOT_WARM };

reboot_type reboot_type_ = BOOT_ACPI;
reboot_mode reboot_mode_ = REBOOT_COLD;

// reboot=[warm|cold][,][acpi|kbd|pci|triple]: a comma-separated list of which only
// the first letter of each word counts, like Linux's parser.
int reboot_setup(const char* val) {
    if (!val || !*val) return -EINVAL;
    for (const char* p = val;; p++) {
        switch (*p) {
        case 'w': reboot_mode_ = REBOOT_WARM; break;
        case 'c': reboot_mode_ = REBOOT_COLD; break;
        case 'a':
        case 'k':
        case 'p':
        case 't': reboot_type_ = reboot_type(*p); break;
        case ',':
        case '\0': break;  // empty word
        default: pr_warn("reboot=%s: '%c' is not supported, ignored\n", val, *p); break;
        }
        p = strchr(p, ',');
        if (!p) break;
    }
    return 0;
}
__setup("reboot=", reboot_setup);

// No timer is calibrated this early or this late; a port-0x80 write takes about 1 us.
void delay_us(unsigned us) {
    while (us--) io_delay();
}

constexpr u16 I8042_STATUS_PORT = 0x64, I8042_COMMAND_PORT = 0x64;
constexpr u8 I8042_STR_IBF = 0x02;           // input buffer full: controller busy
constexpr u8 I8042_CMD_PULSE_RESET = 0xfe;   // pulse output line 0: the CPU reset line

void kb_wait() {
    for (int i = 0; i < 0x10000; i++) {
        if (!(inb(I8042_STATUS_PORT) & I8042_STR_IBF)) return;
        delay_us(2);
    }
}

void keyboard_reset() {
    for (int i = 0; i < 10; i++) {
        kb_wait();
        delay_us(50);
        outb(I8042_CMD_PULSE_RESET, I8042_COMMAND_PORT);
        delay_us(50);
    }
}

// Reset control register of PIIX/ICH-style chipsets: setting SYS_RST (bit 1) arms the
// reset, then RST_CPU (bit 2) performs it; FULL_RST (bit 3) also cycles power (cold).
constexpr u16 RESET_CONTROL_PORT = 0xcf9;

void cf9_reset() {
    u8 code = reboot_mode_ == REBOOT_WARM ? 0x06 : 0x0e;
    u8 cf9 = inb(RESET_CONTROL_PORT) & u8(~code);
    outb(cf9 | 0x02, RESET_CONTROL_PORT);
    delay_us(50);
    outb(cf9 | code, RESET_CONTROL_PORT);
    delay_us(50);
}

// With an empty IDT the breakpoint cannot be delivered, nor can the resulting double
// fault: the CPU shuts down, and the chipset resets it.
void triple_fault() {
    struct __packed {
        u16 limit;
        u64 base;
    } empty_idt = {0, 0};
    asm volatile("lidt %0" ::"m"(empty_idt));
    asm volatile("int3");
}

}  // namespace

void machine_restart() {
    pr_emerg("Restarting system\n");
    arch_local_irq_disable();
    for (reboot_type type = reboot_type_;;) {
        switch (type) {
        case BOOT_ACPI:
            acpi_reboot();
            type = BOOT_KBD;
            break;
        case BOOT_KBD:
            keyboard_reset();
            type = BOOT_CF9_FORCE;
            break;
        case BOOT_CF9_FORCE:
            cf9_reset();
            type = BOOT_TRIPLE;
            break;
        case BOOT_TRIPLE:
            triple_fault();
            type = BOOT_KBD;
            break;
        }
    }
}

void machine_power_off() {
    pr_emerg("Power down\n");
    arch_local_irq_disable();
    if (pm_power_off)
        pm_power_off();
    else
        pr_emerg("no power-off method (ACPI S5 unavailable)\n");
    pr_emerg("power off failed: halting instead\n");
    native_irq_disable_halt_forever();
}

void machine_halt() {
    pr_emerg("System halted\n");
    native_irq_disable_halt_forever();
}
