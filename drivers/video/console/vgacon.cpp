// VGA colour text mode: 80x25 cells of (character, attribute) at physical 0xB8000,
// and the CRT controller's cursor-location registers behind index/data ports
// 0x3D4/0x3D5. The screen is device memory, so every access is a volatile one.
// Callers are serialised by the console layer, as for every console driver.
#include "vgacon.h"
#include <asm/io.h>
#include <asm/page_types.h>
#include <keel/console.h>
#include <keel/types.h>

struct tty_driver* vt_console_device(console* con, int* index);  // drivers/tty/vt/vt.cpp

namespace {

constexpr phys_addr_t VGA_TEXT_BASE = 0xb8000;
constexpr unsigned COLS = VGA_COLS, ROWS = VGA_ROWS, TAB_WIDTH = 8;
constexpr u8 DEFAULT_ATTR = 0x07;  // light grey on black, the BIOS default

constexpr u16 CRTC_INDEX = 0x3d4, CRTC_DATA = 0x3d5;
constexpr u8 CRTC_CURSOR_HI = 0x0e, CRTC_CURSOR_LO = 0x0f;

volatile u16* screen;
unsigned cur_x, cur_y;
u8 attr = DEFAULT_ATTR;

u16 blank() { return u16(attr << 8 | ' '); }
volatile u16* cell(unsigned x, unsigned y) { return &screen[y * COLS + x]; }

u8 crtc_read(u8 reg) {
    outb(reg, CRTC_INDEX);
    return inb(CRTC_DATA);
}

void crtc_write(u8 reg, u8 v) {
    outb(reg, CRTC_INDEX);
    outb(v, CRTC_DATA);
}

void newline() {
    cur_x = 0;
    vgacon_linefeed();
}

void putc(char c) {
    switch (c) {
    case '\n': newline(); break;  // the console, like Linux's, treats LF as CR+LF
    case '\r': cur_x = 0; break;
    case '\b':
        if (cur_x) cur_x--;
        break;
    case '\t': {
        // Blank up to the next tab stop; at the last one, wrap like an ordinary character.
        unsigned stop = (cur_x / TAB_WIDTH + 1) * TAB_WIDTH;
        while (cur_x < stop && cur_x < COLS) writex<u16>(cell(cur_x++, cur_y), blank());
        if (cur_x == COLS) newline();
        break;
    }
    default:
        vgacon_putc_raw(c);
        break;
    }
}

void vgacon_write(console*, const char* text, size_t len) {
    for (size_t i = 0; i < len; i++) putc(text[i]);
    vgacon_update_cursor();
}

console vga_console = {
    .name = "tty",
    .write = vgacon_write,
    .index = 0,
    .flags = 0,
    .next = nullptr,
    .device = vt_console_device,
};

}  // namespace

bool vgacon_present() { return screen != nullptr; }

void vgacon_get_cursor(unsigned* x, unsigned* y) {
    *x = cur_x;
    *y = cur_y;
}

void vgacon_goto(unsigned x, unsigned y) {
    cur_x = x < COLS ? x : COLS - 1;
    cur_y = y < ROWS ? y : ROWS - 1;
}

void vgacon_putc_raw(char c) {
    if (cur_x == COLS) newline();  // a character after the last column wraps first
    writex<u16>(cell(cur_x, cur_y), u16(attr << 8 | u8(c)));
    cur_x++;
}

void vgacon_linefeed() {
    if (cur_y + 1 == ROWS) vgacon_scroll(0, ROWS - 1, 1);
    else cur_y++;
}

void vgacon_clear(unsigned x0, unsigned y0, unsigned x1, unsigned y1) {
    for (unsigned i = y0 * COLS + x0; i <= y1 * COLS + x1 && i < COLS * ROWS; i++) writex<u16>(&screen[i], blank());
}

void vgacon_scroll(unsigned top, unsigned bottom, int n) {
    if (bottom >= ROWS || top > bottom) return;
    unsigned height = bottom - top + 1;
    unsigned count = unsigned(n < 0 ? -n : n);
    if (count > height) count = height;
    if (n > 0) {
        for (unsigned y = top; y + count <= bottom; y++)
            for (unsigned x = 0; x < COLS; x++) writex<u16>(cell(x, y), readx<u16>(cell(x, y + count)));
        vgacon_clear(0, bottom + 1 - count, COLS - 1, bottom);
    } else if (n < 0) {
        for (unsigned y = bottom; y >= top + count; y--)
            for (unsigned x = 0; x < COLS; x++) writex<u16>(cell(x, y), readx<u16>(cell(x, y - count)));
        vgacon_clear(0, top, COLS - 1, top + count - 1);
    }
}

void vgacon_shift_row(int n) {
    unsigned x0 = cur_x < COLS ? cur_x : COLS - 1;
    unsigned count = unsigned(n < 0 ? -n : n);
    if (count > COLS - x0) count = COLS - x0;
    if (n > 0) {
        for (unsigned x = COLS - 1; x >= x0 + count; x--) writex<u16>(cell(x, cur_y), readx<u16>(cell(x - count, cur_y)));
        vgacon_clear(x0, cur_y, x0 + count - 1, cur_y);
    } else if (n < 0) {
        for (unsigned x = x0; x + count < COLS; x++) writex<u16>(cell(x, cur_y), readx<u16>(cell(x + count, cur_y)));
        vgacon_clear(COLS - count, cur_y, COLS - 1, cur_y);
    }
}

void vgacon_set_attr(u8 a) { attr = a; }

void vgacon_update_cursor() {
    unsigned x = cur_x < COLS ? cur_x : COLS - 1;
    u16 pos = u16(cur_y * COLS + x);
    crtc_write(CRTC_CURSOR_HI, u8(pos >> 8));
    crtc_write(CRTC_CURSOR_LO, u8(pos));
}

void vgacon_init() {
    screen = static_cast<volatile u16*>(__va(VGA_TEXT_BASE));
    // Keep what the BIOS and boot loader printed: start at their cursor.
    unsigned pos = (unsigned(crtc_read(CRTC_CURSOR_HI)) << 8) | crtc_read(CRTC_CURSOR_LO);
    if (pos >= COLS * ROWS) pos = 0;
    cur_x = pos % COLS;
    cur_y = pos / COLS;
    // Begin on a fresh line so the first kernel message is not glued to BIOS text.
    if (cur_x) newline();
    vgacon_update_cursor();
    register_console(&vga_console);
}
