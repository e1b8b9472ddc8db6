// The PC keyboard controller (Linux's drivers/input/serio/i8042.c, reduced to
// its keyboard port): data at port 0x60, status and commands at 0x64. Its
// "translation" makes the keyboard's bytes set-1 scancodes, which the virtual
// terminal's keyboard code (drivers/tty/vt/keyboard.cpp) understands; each
// byte raises IRQ 1.
#include <asm/io.h>
#include <drivers/tty/vt/vt.h>
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/printk.h>

namespace {

constexpr u16 I8042_DATA_REG = 0x60, I8042_STATUS_REG = 0x64, I8042_COMMAND_REG = 0x64;
enum : u8 { I8042_STR_OBF = 0x01, I8042_STR_IBF = 0x02 };
enum : u8 { I8042_CMD_CTL_RCTR = 0x20, I8042_CMD_CTL_WCTR = 0x60 };
enum : u8 { I8042_CTR_KBDINT = 0x01, I8042_CTR_KBDDIS = 0x10, I8042_CTR_XLATE = 0x40 };
constexpr unsigned I8042_KBD_IRQ = 1;

bool wait_write() {
    for (unsigned i = 0; i < 100000; i++)
        if (!(inb(I8042_STATUS_REG) & I8042_STR_IBF)) return true;
    return false;
}

bool wait_read() {
    for (unsigned i = 0; i < 100000; i++)
        if (inb(I8042_STATUS_REG) & I8042_STR_OBF) return true;
    return false;
}

void flush() {
    for (unsigned i = 0; i < 32 && (inb(I8042_STATUS_REG) & I8042_STR_OBF); i++) inb(I8042_DATA_REG);
}

irqreturn_t i8042_interrupt(int, void*) {
    if (!(inb(I8042_STATUS_REG) & I8042_STR_OBF)) return IRQ_NONE;
    kbd_scancode(inb(I8042_DATA_REG));
    return IRQ_HANDLED;
}

// Keyboard port on, its interrupt on, translation to set 1 on.
int i8042_init() {
    if (inb(I8042_STATUS_REG) == 0xff) return 0;  // no controller
    flush();
    if (!wait_write()) return -ENODEV;
    outb(I8042_CMD_CTL_RCTR, I8042_COMMAND_REG);
    if (!wait_read()) return -ENODEV;
    u8 ctr = inb(I8042_DATA_REG);
    ctr = u8((ctr & ~I8042_CTR_KBDDIS) | I8042_CTR_KBDINT | I8042_CTR_XLATE);
    if (int err = request_irq(I8042_KBD_IRQ, i8042_interrupt, 0, "i8042", nullptr)) return err;
    if (!wait_write()) return -ENODEV;
    outb(I8042_CMD_CTL_WCTR, I8042_COMMAND_REG);
    if (!wait_write()) return -ENODEV;
    outb(ctr, I8042_DATA_REG);
    pr_info("serio: i8042 KBD port at 0x60,0x64 irq 1\n");
    return 0;
}
device_initcall(i8042_init);

}  // namespace
