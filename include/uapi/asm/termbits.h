// The terminal settings (include/uapi/asm-generic/termbits.h, which x86 uses):
// struct termios as the kernel sees it (not the C library's larger one), the
// control-character slots of c_cc and the flag bits of the four mode words.
// Values are Linux's; octal, as there.
#pragma once
#include <stddef.h>

using tcflag_t = unsigned;
using cc_t = unsigned char;

constexpr unsigned NCCS = 19;

struct termios {
    tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
    cc_t c_line;  // line discipline (N_TTY)
    cc_t c_cc[NCCS];
};
static_assert(sizeof(termios) == 36 && offsetof(termios, c_line) == 16 && offsetof(termios, c_cc) == 17);

struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};
static_assert(sizeof(winsize) == 8);

// c_cc indices.
enum : unsigned {
    VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7,
    VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14,
    VLNEXT = 15, VEOL2 = 16,
};
// A c_cc slot holding this never matches (Linux's __DISABLED_CHAR).
constexpr cc_t _POSIX_VDISABLE = 0;

// c_iflag
enum : tcflag_t {
    IGNBRK = 0000001, BRKINT = 0000002, IGNPAR = 0000004, PARMRK = 0000010, INPCK = 0000020,
    ISTRIP = 0000040, INLCR = 0000100, IGNCR = 0000200, ICRNL = 0000400, IUCLC = 0001000,
    IXON = 0002000, IXANY = 0004000, IXOFF = 0010000, IMAXBEL = 0020000, IUTF8 = 0040000,
};
// c_oflag
enum : tcflag_t {
    OPOST = 0000001, OLCUC = 0000002, ONLCR = 0000004, OCRNL = 0000010, ONOCR = 0000020,
    ONLRET = 0000040, OFILL = 0000100, OFDEL = 0000200,
    TABDLY = 0014000, XTABS = 0014000,  // TAB3: expand tabs to spaces
};
// c_cflag
enum : tcflag_t {
    CBAUD = 0010017, B0 = 0000000, B1200 = 0000011, B2400 = 0000013, B4800 = 0000014,
    B9600 = 0000015, B19200 = 0000016, B38400 = 0000017, CBAUDEX = 0010000,
    B57600 = 0010001, B115200 = 0010002,
    CSIZE = 0000060, CS5 = 0000000, CS6 = 0000020, CS7 = 0000040, CS8 = 0000060,
    CSTOPB = 0000100, CREAD = 0000200, PARENB = 0000400, PARODD = 0001000, HUPCL = 0002000,
    CLOCAL = 0004000,
};
// c_lflag
enum : tcflag_t {
    ISIG = 0000001, ICANON = 0000002, XCASE = 0000004, ECHO = 0000010, ECHOE = 0000020,
    ECHOK = 0000040, ECHONL = 0000100, NOFLSH = 0000200, TOSTOP = 0000400, ECHOCTL = 0001000,
    ECHOPRT = 0002000, ECHOKE = 0004000, FLUSHO = 0010000, PENDIN = 0040000, IEXTEN = 0100000,
    EXTPROC = 0200000,
};

// TCFLSH and TCXONC arguments.
enum : unsigned { TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2 };
enum : unsigned { TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3 };

// Line disciplines (TIOCGETD/TIOCSETD): only N_TTY exists.
constexpr int N_TTY = 0;
