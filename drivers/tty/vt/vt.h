// The virtual terminal (Linux's drivers/tty/vt/): tty1 on the VGA text screen
// with the PS/2 keyboard as its input. Keel has one virtual terminal; /dev/tty0
// (the foreground one) is the same terminal.
#pragma once
#include <keel/types.h>

// A set-1 scancode from the keyboard controller (drivers/input/serio/i8042.cpp),
// in interrupt context.
void kbd_scancode(u8 code);
// Bytes for the terminal's input, in interrupt context (keyboard.cpp).
void vt_queue_input(const char* s, size_t n);
