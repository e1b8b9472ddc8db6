// The virtual terminal's output side (Linux's drivers/tty/vt/vt.c, do_con_trol):
// bytes written to tty1 are interpreted as a VT102-like terminal does, so
// full-screen programs (vi, less) can move the cursor and clear: control
// characters, ESC 7/8/M/c and the CSI sequences cursor movement (A B C D G H
// f d), erasing (J K X), inserting and deleting (@ P L M) and colours (m).
// Unlike the printk console, LF only moves down: the terminal's ONLCR
// supplies the CR.
#include "vt.h"
#include <drivers/video/console/vgacon.h>
#include <keel/console.h>
#include <keel/init.h>
#include <keel/spinlock.h>
#include <keel/tty.h>
#include <lib/vsprintf.h>
#include <uapi/linux/vt.h>

namespace {

enum class vt_state { NORMAL, ESC, CSI };

constexpr unsigned NPAR = 8;

struct vc_data {
    vt_state state = vt_state::NORMAL;
    unsigned par[NPAR];
    unsigned npar;
    bool question;       // CSI ? ...: private modes, accepted and ignored
    unsigned saved_x, saved_y;
    u8 fg = 7, bg = 0;
    bool bold, reverse;
};
vc_data vc;

void update_attr() {
    u8 fg = vc.fg | (vc.bold ? 8 : 0), bg = vc.bg;
    vgacon_set_attr(vc.reverse ? u8(fg << 4 | bg) : u8(bg << 4 | fg));
}

// ANSI colour numbers (red=1, green=2, blue=4) in VGA's order (blue=1, red=4).
u8 ansi_to_vga(unsigned c) { return u8((c & 1) << 2 | (c & 2) | (c & 4) >> 2); }

void csi_m() {
    if (vc.npar == 0) vc.par[vc.npar++] = 0;  // ESC [ m is ESC [ 0 m
    for (unsigned i = 0; i < vc.npar; i++) {
        unsigned p = vc.par[i];
        if (p == 0) vc.fg = 7, vc.bg = 0, vc.bold = vc.reverse = false;
        else if (p == 1) vc.bold = true;
        else if (p == 22) vc.bold = false;
        else if (p == 7) vc.reverse = true;
        else if (p == 27) vc.reverse = false;
        else if (p >= 30 && p <= 37) vc.fg = ansi_to_vga(p - 30);
        else if (p == 39) vc.fg = 7;
        else if (p >= 40 && p <= 47) vc.bg = ansi_to_vga(p - 40);
        else if (p == 49) vc.bg = 0;
    }
    update_attr();
}

// A parameter with its default (0 and missing both mean the default, as on a VT).
unsigned arg(unsigned i, unsigned def) { return i < vc.npar && vc.par[i] ? vc.par[i] : def; }

void do_csi(char final) {
    unsigned x, y;
    vgacon_get_cursor(&x, &y);
    if (x >= VGA_COLS) x = VGA_COLS - 1;
    unsigned n = arg(0, 1);
    switch (final) {
    case 'A': vgacon_goto(x, y > n ? y - n : 0); break;
    case 'B': case 'e': vgacon_goto(x, y + n); break;
    case 'C': case 'a': vgacon_goto(x + n, y); break;
    case 'D': vgacon_goto(x > n ? x - n : 0, y); break;
    case 'G': case '`': vgacon_goto(n - 1, y); break;
    case 'd': vgacon_goto(x, n - 1); break;
    case 'H': case 'f': vgacon_goto(arg(1, 1) - 1, arg(0, 1) - 1); break;
    case 'J':
        switch (arg(0, 0)) {
        case 0: vgacon_clear(x, y, VGA_COLS - 1, VGA_ROWS - 1); break;
        case 1: vgacon_clear(0, 0, x, y); break;
        default: vgacon_clear(0, 0, VGA_COLS - 1, VGA_ROWS - 1); break;
        }
        break;
    case 'K':
        switch (arg(0, 0)) {
        case 0: vgacon_clear(x, y, VGA_COLS - 1, y); break;
        case 1: vgacon_clear(0, y, x, y); break;
        default: vgacon_clear(0, y, VGA_COLS - 1, y); break;
        }
        break;
    case 'X': vgacon_clear(x, y, x + n - 1 < VGA_COLS ? x + n - 1 : VGA_COLS - 1, y); break;
    case '@': vgacon_goto(x, y), vgacon_shift_row(int(n)); break;
    case 'P': vgacon_goto(x, y), vgacon_shift_row(-int(n)); break;
    case 'L': vgacon_scroll(y, VGA_ROWS - 1, -int(n)); break;
    case 'M': vgacon_scroll(y, VGA_ROWS - 1, int(n)); break;
    case 'm': csi_m(); break;
    case 'n':  // device status report: the terminal answers through its input
        if (arg(0, 0) == 5) {
            vt_queue_input("\x1b[0n", 4);
        } else if (arg(0, 0) == 6) {
            char report[16];
            int len = snprintf(report, sizeof(report), "\x1b[%u;%uR", y + 1, x + 1);
            vt_queue_input(report, size_t(len));
        }
        break;
    case 'c':  // device attributes: a VT102, as Linux's console says
        if (arg(0, 0) == 0) vt_queue_input("\x1b[?6c", 5);
        break;
    case 's': vc.saved_x = x, vc.saved_y = y; break;
    case 'u': vgacon_goto(vc.saved_x, vc.saved_y); break;
    default: break;  // modes (h, l) and scrolling regions (r): not supported
    }
}

void do_con_trol(unsigned char c) {
    unsigned x, y;
    switch (vc.state) {
    case vt_state::NORMAL:
        switch (c) {
        case '\a': return;
        case '\b':
            vgacon_get_cursor(&x, &y);
            vgacon_goto(x ? (x >= VGA_COLS ? VGA_COLS - 2 : x - 1) : 0, y);
            return;
        case '\t':
            vgacon_get_cursor(&x, &y);
            vgacon_goto((x / 8 + 1) * 8, y);
            return;
        case '\n': case '\v': case '\f': vgacon_linefeed(); return;
        case '\r':
            vgacon_get_cursor(&x, &y);
            vgacon_goto(0, y);
            return;
        case 0x1b: vc.state = vt_state::ESC; return;
        default:
            if (c >= 0x20) vgacon_putc_raw(char(c));
            return;
        }
    case vt_state::ESC:
        vc.state = vt_state::NORMAL;
        vgacon_get_cursor(&x, &y);
        switch (c) {
        case '[':
            vc.state = vt_state::CSI;
            vc.npar = 0;
            vc.par[0] = 0;
            vc.question = false;
            return;
        case '7': vc.saved_x = x, vc.saved_y = y; return;
        case '8': vgacon_goto(vc.saved_x, vc.saved_y); return;
        case 'M':  // reverse index
            if (y == 0) vgacon_scroll(0, VGA_ROWS - 1, -1);
            else vgacon_goto(x, y - 1);
            return;
        case 'c':  // reset
            vc.fg = 7, vc.bg = 0, vc.bold = vc.reverse = false;
            update_attr();
            vgacon_clear(0, 0, VGA_COLS - 1, VGA_ROWS - 1);
            vgacon_goto(0, 0);
            return;
        default: return;
        }
    case vt_state::CSI:
        if (c == '?' && vc.npar == 0 && vc.par[0] == 0) {
            vc.question = true;
        } else if (c >= '0' && c <= '9') {
            if (vc.npar == 0) vc.npar = 1;
            vc.par[vc.npar - 1] = vc.par[vc.npar - 1] * 10 + (c - '0');
        } else if (c == ';') {
            if (vc.npar == 0) vc.npar = 1;
            if (vc.npar < NPAR) vc.par[vc.npar++] = 0;
        } else {
            vc.state = vt_state::NORMAL;
            if (!vc.question) do_csi(char(c));
        }
        return;
    }
}

size_t vt_write(tty_struct*, const unsigned char* buf, size_t count) {
    // The console layer's lock is not ours; printk may interleave, as on Linux.
    for (size_t i = 0; i < count; i++) do_con_trol(buf[i]);
    vgacon_update_cursor();
    return count;
}

unsigned vt_write_room(tty_struct*) { return 4096; }

int vt_ioctl(tty_struct* tty, unsigned cmd, unsigned long arg) {
    if (cmd != VT_GETSTATE) return -ENOIOCTLCMD;
    vt_stat st = {1, 0, u16(1 | 1 << (tty->index + 1))};
    return copy_to_user(reinterpret_cast<void __user*>(arg), &st, sizeof(st)) ? -EFAULT : 0;
}

const tty_operations vt_ops = {
    .write = vt_write,
    .write_room = vt_write_room,
    .chars_in_buffer = nullptr,
    .set_termios = nullptr,
    .ioctl = vt_ioctl,
};

tty_port vt_port;
tty_port* vt_ports[1] = {&vt_port};

tty_driver vt_driver = {
    .name = "tty",
    .name_base = 1,
    .major = 4,
    .minor_start = 1,
    .num = 1,
    .init_termios = {},
    .init_winsize = {VGA_ROWS, VGA_COLS, 0, 0},
    .ops = &vt_ops,
    .ports = vt_ports,
    .ttys = nullptr,
    .driver_state = nullptr,
};

// tty1 exists only with a screen to show it.
int vt_init() {
    if (!vgacon_present()) return 0;
    vt_driver.init_termios = tty_std_termios;
    vt_driver.init_termios.c_iflag |= IUTF8;  // Linux's VT default
    tty_port_init(&vt_port);
    return tty_register_driver(&vt_driver);
}
device_initcall(vt_init);

}  // namespace

tty_driver* vt_console_device(console*, int* index) {
    *index = 0;  // tty1, the foreground (and only) virtual terminal
    return vt_driver.ttys ? &vt_driver : nullptr;
}

void vt_queue_input(const char* s, size_t n) {
    if (!vt_port.tty) return;
    for (size_t i = 0; i < n; i++) tty_insert_flip_char(&vt_port, u8(s[i]));
    tty_flip_buffer_push(&vt_port);
}
