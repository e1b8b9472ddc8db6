// The 16550A UART, the PC's serial port. Programming it takes three steps:
// the baud divisor (115200 / baud) through the divisor latch (LCR.DLAB), the
// line format (8 data bits, no parity, 1 stop bit: "8N1"), and the FIFOs.
// Output is polled: the console waits for the transmit-holding register to
// empty (LSR.THRE) before each byte, which is what a console must do anyway
// when interrupts are off (panic, early boot).
#include <asm/io.h>
#include <drivers/tty/serial/8250.h>
#include <keel/console.h>
#include <keel/init.h>
#include <lib/string.h>

namespace {

// Register offsets from the port base.
enum : u16 {
    UART_TX = 0, UART_RX = 0, UART_DLL = 0, UART_IER = 1, UART_DLM = 1, UART_FCR = 2,
    UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_SCR = 7,
};
enum : u8 {
    UART_LCR_WLEN8 = 0x03, UART_LCR_DLAB = 0x80,
    UART_FCR_ENABLE_FIFO = 0x01, UART_FCR_CLEAR_RCVR = 0x02, UART_FCR_CLEAR_XMIT = 0x04,
    UART_FCR_TRIGGER_14 = 0xc0,
    UART_MCR_DTR = 0x01, UART_MCR_RTS = 0x02, UART_MCR_OUT2 = 0x08,
    UART_LSR_THRE = 0x20,
};
constexpr unsigned BASE_BAUD = 115200;
constexpr u16 serial_ports[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};  // COM1..COM4

// A port with nothing behind it reads back 0xff; the scratch register proves a UART.
bool serial8250_probe(u16 base) {
    outb(0x5a, base + UART_SCR);
    if (inb(base + UART_SCR) != 0x5a) return false;
    outb(0xa5, base + UART_SCR);
    return inb(base + UART_SCR) == 0xa5;
}

void serial8250_setup(u16 base, unsigned baud) {
    if (baud == 0 || baud > BASE_BAUD) baud = BASE_BAUD;
    u16 divisor = u16(BASE_BAUD / baud);
    outb(0, base + UART_IER);  // polled: no interrupts
    outb(UART_LCR_DLAB, base + UART_LCR);
    outb(divisor & 0xff, base + UART_DLL);
    outb(divisor >> 8, base + UART_DLM);
    outb(UART_LCR_WLEN8, base + UART_LCR);  // 8N1, DLAB off
    outb(UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_14,
         base + UART_FCR);
    outb(UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2, base + UART_MCR);
}

void serial8250_putc(u16 base, char c) {
    for (unsigned spins = 0; !(inb(base + UART_LSR) & UART_LSR_THRE) && spins < 100000; spins++) {}
    outb(u8(c), base + UART_TX);
}

void serial8250_console_write(console* con, const char* text, size_t len) {
    u16 base = serial_ports[con->index];
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') serial8250_putc(base, '\r');  // terminals want CR LF
        serial8250_putc(base, text[i]);
    }
}

// "115200n8": the baud rate, then the line format (always 8N1 here).
unsigned parse_baud(const char* options) {
    unsigned v = 0;
    while (*options >= '0' && *options <= '9') v = v * 10 + unsigned(*options++ - '0');
    return v;
}

console serial8250_consoles[ARRAY_SIZE(serial_ports)];
console early_serial_console;

}  // namespace

void serial8250_console_init() {
    for (unsigned i = 0; i < ARRAY_SIZE(serial_ports); i++) {
        if (!serial8250_probe(serial_ports[i])) continue;
        console& con = serial8250_consoles[i];
        con = {"ttyS", serial8250_console_write, int(i), 0, nullptr};
        serial8250_setup(serial_ports[i], parse_baud(console_options(&con)));
        register_console(&con);
    }
}

int setup_early_serial_console(const char* val) {
    if (!val || strncmp(val, "serial", 6) != 0) return -EINVAL;
    const char* rest = val + 6;
    int index = 0;
    if (strncmp(rest, ",ttyS", 5) == 0) {
        index = rest[5] - '0';
        rest += 6;
    }
    if (index < 0 || index >= int(ARRAY_SIZE(serial_ports)) || !serial8250_probe(serial_ports[index]))
        return -ENODEV;
    unsigned baud = *rest == ',' ? parse_baud(rest + 1) : BASE_BAUD;
    serial8250_setup(serial_ports[index], baud);
    early_serial_console = {"ttyS", serial8250_console_write, index, CON_BOOT, nullptr};
    register_console(&early_serial_console);
    return 0;
}

early_param("earlyprintk", setup_early_serial_console);
