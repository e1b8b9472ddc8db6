// The VGA text console (Linux: drivers/video/console/vgacon.c): printk output on the
// 80x25 colour text screen, registered as console "tty0", and the screen
// primitives the virtual terminal (drivers/tty/vt/vt.cpp) draws with.
// Callers are serialised: the console layer for printk, the terminal's
// output lock for tty writes; both share one cursor, as on Linux.
#pragma once
#include <keel/types.h>

constexpr unsigned VGA_COLS = 80, VGA_ROWS = 25;

// Registers the console; continues below whatever the BIOS left on the screen.
void vgacon_init();
// Whether vgacon_init found a screen.
bool vgacon_present();

// The cursor: where the next character goes.
void vgacon_get_cursor(unsigned* x, unsigned* y);
void vgacon_goto(unsigned x, unsigned y);  // clamped to the screen
// A character at the cursor, which advances (wrapping and scrolling at the end).
void vgacon_putc_raw(char c);
// The next line (scrolling at the bottom), same column.
void vgacon_linefeed();
// Cells from (x0, y0) to (x1, y1) inclusive, in reading order, become blanks.
void vgacon_clear(unsigned x0, unsigned y0, unsigned x1, unsigned y1);
// Moves rows [top, bottom] up (n > 0) or down (n < 0) by |n|, blanking the rows uncovered.
void vgacon_scroll(unsigned top, unsigned bottom, int n);
// Shifts the cursor's row right of the cursor by n cells (n < 0: left), blanking what is uncovered.
void vgacon_shift_row(int n);
// The attribute byte of new characters (foreground | background << 4).
void vgacon_set_attr(u8 attr);
// Hardware cursor to the current position (after a batch of output).
void vgacon_update_cursor();
