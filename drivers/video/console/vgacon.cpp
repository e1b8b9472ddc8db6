// VGA colour text mode: 80x25 cells of (character, attribute) at physical 0xB8000,
// and the CRT controller's cursor-location registers behind index/data ports
// 0x3D4/0x3D5. The screen is device memory, so every access is a volatile one.
// Callers are serialised by the console layer, as for every console driver.
#include "vgacon.h"
#include <asm/io.h>
#include <asm/page_types.h>
#include <keel/console.h>
#include <keel/types.h>

namespace {

constexpr phys_addr_t VGA_TEXT_BASE = 0xb8000;
constexpr unsigned COLS = 80, ROWS = 25, TAB_WIDTH = 8;
constexpr u16 ATTR = 0x07 << 8;  // light grey on black, the BIOS default
constexpr u16 BLANK = ATTR | ' ';

constexpr u16 CRTC_INDEX = 0x3d4, CRTC_DATA = 0x3d5;
constexpr u8 CRTC_CURSOR_HI = 0x0e, CRTC_CURSOR_LO = 0x0f;

volatile u16* screen;
unsigned cur_x, cur_y;

u8 crtc_read(u8 reg) {
    outb(reg, CRTC_INDEX);
    return inb(CRTC_DATA);
}

void crtc_write(u8 reg, u8 v) {
    outb(reg, CRTC_INDEX);
    outb(v, CRTC_DATA);
}

void set_cursor() {
    u16 pos = u16(cur_y * COLS + cur_x);
    crtc_write(CRTC_CURSOR_HI, u8(pos >> 8));
    crtc_write(CRTC_CURSOR_LO, u8(pos));
}

void scroll_up() {
    for (unsigned i = 0; i < (ROWS - 1) * COLS; i++)
        writex<u16>(&screen[i], readx<u16>(&screen[i + COLS]));
    for (unsigned i = (ROWS - 1) * COLS; i < ROWS * COLS; i++) writex<u16>(&screen[i], BLANK);
}

void newline() {
    cur_x = 0;
    if (++cur_y == ROWS) {
        scroll_up();
        cur_y = ROWS - 1;
    }
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
        while (cur_x < stop && cur_x < COLS) writex<u16>(&screen[cur_y * COLS + cur_x++], BLANK);
        if (cur_x == COLS) newline();
        break;
    }
    default:
        writex<u16>(&screen[cur_y * COLS + cur_x], u16(ATTR | u8(c)));
        if (++cur_x == COLS) newline();
        break;
    }
}

void vgacon_write(console*, const char* text, size_t len) {
    for (size_t i = 0; i < len; i++) putc(text[i]);
    set_cursor();
}

console vga_console = {
    .name = "tty",
    .write = vgacon_write,
    .index = 0,
    .flags = 0,
    .next = nullptr,
};

}  // namespace

void vgacon_init() {
    screen = static_cast<volatile u16*>(__va(VGA_TEXT_BASE));
    // Keep what the BIOS and boot loader printed: start at their cursor.
    unsigned pos = (unsigned(crtc_read(CRTC_CURSOR_HI)) << 8) | crtc_read(CRTC_CURSOR_LO);
    if (pos >= COLS * ROWS) pos = 0;
    cur_x = pos % COLS;
    cur_y = pos / COLS;
    // Begin on a fresh line so the first kernel message is not glued to BIOS text.
    if (cur_x) newline();
    set_cursor();
    register_console(&vga_console);
}
