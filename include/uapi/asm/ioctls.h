// Terminal ioctls (include/uapi/asm-generic/ioctls.h, termbits.h): what the C
// library asks a terminal — musl's stdio calls TIOCGWINSZ on stdout to decide
// whether it is a terminal (line buffering) or not.
#pragma once
#include <stddef.h>

enum : unsigned { TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
                  TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414 };

constexpr unsigned NCCS = 19;

// The kernel's struct termios (not glibc's larger one).
struct termios {
    unsigned c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line;
    unsigned char c_cc[NCCS];
};
static_assert(sizeof(termios) == 36 && offsetof(termios, c_line) == 16 && offsetof(termios, c_cc) == 17);

struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};
static_assert(sizeof(winsize) == 8);

// Flag values used for the console's default termios (asm-generic/termbits.h).
enum : unsigned {
    ICRNL = 0000400, IXON = 0002000,
    OPOST = 0000001, ONLCR = 0000004,
    B38400 = 0000017, CS8 = 0000060, CREAD = 0000200, HUPCL = 0002000,
    ISIG = 0000001, ICANON = 0000002, ECHO = 0000010, ECHOE = 0000020, ECHOK = 0000040,
    ECHOCTL = 0001000, ECHOKE = 0004000, IEXTEN = 0100000,
};
