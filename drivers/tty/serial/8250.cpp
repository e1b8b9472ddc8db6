// The 16550A UART, the PC's serial port. Programming it takes three steps:
// the baud divisor (115200 / baud) through the divisor latch (LCR.DLAB), the
// line format (8 data bits, no parity, 1 stop bit: "8N1"), and the FIFOs.
// Output is polled: the console waits for the transmit-holding register to
// empty (LSR.THRE) before each byte, which is what a console must do anyway
// when interrupts are off (panic, early boot). The ttyS terminals write the
// same way; their input comes by interrupt (IRQ 4 for COM1/COM3, 3 for
// COM2/COM4): the receive-data interrupt moves the bytes waiting in the FIFO
// into the port's flip buffer, for the line discipline.
#include <asm/io.h>
#include <drivers/tty/serial/8250.h>
#include <keel/console.h>
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/printk.h>
#include <keel/tty.h>
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
    UART_LSR_DR = 0x01, UART_LSR_THRE = 0x20,
    UART_IER_RDI = 0x01,
    UART_LCR_STOP = 0x04, UART_LCR_PARITY = 0x08, UART_LCR_EPAR = 0x10,
};
constexpr unsigned BASE_BAUD = 115200;
constexpr u16 serial_ports[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};  // COM1..COM4
constexpr unsigned serial_irqs[] = {4, 3, 4, 3};
constexpr unsigned NR_PORTS = ARRAY_SIZE(serial_ports);

// What was found and how it is programmed.
struct uart_8250_port {
    bool present;
    unsigned baud;
    u8 lcr;
    // Reprogramming the line (DLAB on) against the receive interrupt, which
    // would otherwise read the divisor latch instead of the data.
    spinlock_t lock{"uart_8250_port.lock"};
    tty_port port;
};
uart_8250_port uart_ports[NR_PORTS];

// A port with nothing behind it reads back 0xff; the scratch register proves a UART.
bool serial8250_probe(u16 base) {
    outb(0x5a, base + UART_SCR);
    if (inb(base + UART_SCR) != 0x5a) return false;
    outb(0xa5, base + UART_SCR);
    return inb(base + UART_SCR) == 0xa5;
}

void serial8250_set_line(unsigned index, unsigned baud, u8 lcr) {
    u16 base = serial_ports[index];
    if (baud == 0 || baud > BASE_BAUD) baud = BASE_BAUD;
    u16 divisor = u16(BASE_BAUD / baud);
    Guard<IrqSave> guard(uart_ports[index].lock);
    uart_ports[index].baud = BASE_BAUD / divisor;
    uart_ports[index].lcr = lcr;
    outb(UART_LCR_DLAB, base + UART_LCR);
    outb(divisor & 0xff, base + UART_DLL);
    outb(divisor >> 8, base + UART_DLM);
    outb(lcr, base + UART_LCR);  // DLAB off
}

void serial8250_setup(unsigned index, unsigned baud) {
    u16 base = serial_ports[index];
    outb(0, base + UART_IER);  // no interrupts until the tty takes the port
    serial8250_set_line(index, baud, UART_LCR_WLEN8);  // 8N1
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

// ---- the ttyS terminals ----

constexpr struct {
    unsigned baud;
    tcflag_t cbaud;
} baud_table[] = {{1200, B1200}, {2400, B2400}, {4800, B4800}, {9600, B9600}, {19200, B19200},
                  {38400, B38400}, {57600, B57600}, {115200, B115200}};

tcflag_t baud_to_cflag(unsigned baud) {
    for (const auto& b : baud_table)
        if (b.baud == baud) return b.cbaud;
    return B115200;
}

size_t serial8250_write(tty_struct* tty, const unsigned char* buf, size_t count) {
    u16 base = serial_ports[tty->index];
    for (size_t i = 0; i < count; i++) serial8250_putc(base, char(buf[i]));
    return count;
}

unsigned serial8250_write_room(tty_struct*) { return 4096; }  // polled: everything is taken

// Speed, word length, parity and stop bits from c_cflag (Linux's
// serial8250_do_set_termios); B0 and unknown speeds keep the current one.
void serial8250_set_termios(tty_struct* tty, const termios*) {
    tcflag_t cflag = tty->termios.c_cflag;
    unsigned index = unsigned(tty->index);
    unsigned baud = uart_ports[index].baud;
    for (const auto& b : baud_table)
        if ((cflag & CBAUD) == b.cbaud) baud = b.baud;
    u8 lcr = u8((cflag & CSIZE) >> 4);  // CS5..CS8 are 0..3, as the LCR's word length
    if (cflag & CSTOPB) lcr |= UART_LCR_STOP;
    if (cflag & PARENB) lcr |= UART_LCR_PARITY;
    if ((cflag & PARENB) && !(cflag & PARODD)) lcr |= UART_LCR_EPAR;
    // Most calls (a shell's tcsetattr) change no line setting: leave the UART alone.
    if (baud != uart_ports[index].baud || lcr != uart_ports[index].lcr) serial8250_set_line(index, baud, lcr);
    tty->termios.c_cflag = (cflag & ~CBAUD) | baud_to_cflag(uart_ports[index].baud);
}

int serial8250_ioctl(tty_struct* tty, unsigned cmd, unsigned long arg) {
    if (cmd != TIOCGSERIAL) return -ENOIOCTLCMD;
    serial_struct ss{};
    ss.type = PORT_16550A;
    ss.line = tty->index;
    ss.port = serial_ports[tty->index];
    ss.irq = int(serial_irqs[tty->index]);
    ss.xmit_fifo_size = 16;
    ss.baud_base = int(BASE_BAUD);
    return copy_to_user(reinterpret_cast<void __user*>(arg), &ss, sizeof(ss)) ? -EFAULT : 0;
}

const tty_operations serial8250_ops = {
    .write = serial8250_write,
    .write_room = serial8250_write_room,
    .chars_in_buffer = nullptr,
    .set_termios = serial8250_set_termios,
    .ioctl = serial8250_ioctl,
};

tty_port* serial8250_tty_ports[NR_PORTS];

tty_driver serial8250_driver = {
    .name = "ttyS",
    .name_base = 0,
    .major = 4,
    .minor_start = 64,
    .num = NR_PORTS,
    .init_termios = {},
    .init_winsize = {},
    .ops = &serial8250_ops,
    .ports = serial8250_tty_ports,
    .ttys = nullptr,
    .driver_state = nullptr,
};

tty_driver* serial8250_console_device(console* con, int* index) {
    *index = con->index;
    return &serial8250_driver;
}

// Receive-data interrupt: drain the FIFO into the flip buffer. COM1 and COM3
// share a line, so a port with nothing waiting says IRQ_NONE.
irqreturn_t serial8250_interrupt(int, void* dev_id) {
    unsigned index = unsigned(static_cast<uart_8250_port*>(dev_id) - uart_ports);
    u16 base = serial_ports[index];
    tty_port* port = &uart_ports[index].port;
    bool got = false;
    Guard<NoIrqSave> guard(uart_ports[index].lock);
    while (inb(base + UART_LSR) & UART_LSR_DR) {
        tty_insert_flip_char(port, inb(base + UART_RX));
        got = true;
    }
    if (got) tty_flip_buffer_push(port);
    return got ? IRQ_HANDLED : IRQ_NONE;
}

int serial8250_tty_init() {
    serial8250_driver.init_termios = tty_std_termios;
    for (unsigned i = 0; i < NR_PORTS; i++) {
        if (!uart_ports[i].present) continue;
        tty_port_init(&uart_ports[i].port);
        serial8250_tty_ports[i] = &uart_ports[i].port;
    }
    if (int err = tty_register_driver(&serial8250_driver)) return err;
    for (unsigned i = 0; i < NR_PORTS; i++) {
        if (!uart_ports[i].present) continue;
        tty_struct* tty = serial8250_driver.ttys[i];
        // The speed the port runs at; CLOCAL: no modem lines to watch.
        tty->termios.c_cflag = baud_to_cflag(uart_ports[i].baud) | CS8 | CREAD | HUPCL | CLOCAL;
        n_tty_set_termios(&tty->ldisc, &tty->termios);
        u16 base = serial_ports[i];
        while (inb(base + UART_LSR) & UART_LSR_DR) inb(base + UART_RX);  // typed before anyone listened
        if (int err = request_irq(serial_irqs[i], serial8250_interrupt, IRQF_SHARED, "serial", &uart_ports[i])) {
            pr_err("serial: ttyS%u: no IRQ %u (%d): input disabled\n", i, serial_irqs[i], err);
            continue;
        }
        outb(UART_IER_RDI, base + UART_IER);
    }
    return 0;
}
device_initcall(serial8250_tty_init);

console serial8250_consoles[ARRAY_SIZE(serial_ports)];
console early_serial_console;

}  // namespace

void serial8250_console_init() {
    for (unsigned i = 0; i < ARRAY_SIZE(serial_ports); i++) {
        if (!serial8250_probe(serial_ports[i])) continue;
        console& con = serial8250_consoles[i];
        con = {"ttyS", serial8250_console_write, int(i), 0, nullptr, serial8250_console_device};
        uart_ports[i].present = true;
        serial8250_setup(i, parse_baud(console_options(&con)));
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
    serial8250_setup(unsigned(index), baud);
    early_serial_console = {"ttyS", serial8250_console_write, index, CON_BOOT, nullptr, nullptr};
    register_console(&early_serial_console);
    return 0;
}

early_param("earlyprintk", setup_early_serial_console);
