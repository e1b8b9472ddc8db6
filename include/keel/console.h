// Console drivers: where printk's text goes. A driver registers a struct console;
// `console=` on the command line decides which registered consoles are enabled
// (none given: the VGA console tty0, as on Linux).
#pragma once
#include <stddef.h>

struct console {
    const char* name;  // "ttyS", "tty"
    void (*write)(console* con, const char* text, size_t len);
    int index;         // ttyS<index>; -1 until console= picks one
    unsigned flags;
    console* next;
    // The terminal behind this console, for /dev/console: the tty driver and
    // the index in it (nullptr: none).
    struct tty_driver* (*device)(console* con, int* index);
};

enum : unsigned {
    CON_ENABLED = 1 << 0,
    CON_BOOT = 1 << 1,      // early console, dropped when a real one for the same device arrives
    CON_CONSDEV = 1 << 2,   // the preferred console (last console= on the command line)
};

void register_console(console* con);
// Writes straight to every enabled console, bypassing the log buffer; false if
// there was none.
bool console_write_all(const char* text, size_t len);
// The options given with this console on the command line ("115200n8"), or "".
const char* console_options(const console* con);
// /dev/console's terminal (Linux's console_device): that of the preferred
// console (the last console=), else of the first enabled console that has one.
struct tty_driver* console_device(int* index);
