// Terminal ioctl numbers (include/uapi/asm-generic/ioctls.h, which x86 uses).
// The structures they carry are in termbits.h.
#pragma once
#include <uapi/asm/termbits.h>

enum : unsigned {
    TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
    TCSBRK = 0x5409, TCXONC = 0x540A, TCFLSH = 0x540B,
    TIOCSCTTY = 0x540E,
    TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCSTI = 0x5412,
    TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414,
    FIONREAD = 0x541B, TIOCINQ = FIONREAD,
    TIOCGSERIAL = 0x541E,
    FIONBIO = 0x5421, TIOCNOTTY = 0x5422, TIOCSETD = 0x5423, TIOCGETD = 0x5424,
    TCSBRKP = 0x5425, TIOCGSID = 0x5429, TIOCVHANGUP = 0x5437,
    FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452,
};

// TIOCGSERIAL's answer (include/uapi/linux/serial.h): busybox's cttyhack
// asks it to learn which ttyS<line> a console is.
struct serial_struct {
    int type, line;
    unsigned port;
    int irq, flags, xmit_fifo_size, custom_divisor, baud_base;
    unsigned short close_delay;
    char io_type, reserved_char[1];
    int hub6;
    unsigned short closing_wait, closing_wait2;
    unsigned char* iomem_base;
    unsigned short iomem_reg_shift;
    unsigned port_high;
    unsigned long iomap_base;
};
static_assert(sizeof(serial_struct) == 72);
enum : int { PORT_16550A = 4 };
