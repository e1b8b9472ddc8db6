// The keyboard's side of the virtual terminal (Linux's drivers/tty/vt/keyboard.c
// with the default US keymap): set-1 scancodes become the bytes a Linux
// console sends: letters and symbols with Shift and Caps Lock, Ctrl+key as
// the control character, Alt+key prefixed with ESC, Enter as CR, Backspace
// as DEL, and the cursor and editing keys as VT escape sequences.
#include "vt.h"

namespace {

// Scancodes 0x00-0x39 without and with Shift (0: no character).
constexpr char plain[0x3a] = {
    0, 0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x7f, '\t',
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
    'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
constexpr char shifted[0x3a] = {
    0, 0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x7f, '\t',
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
    'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

enum : u8 {
    SC_LCTRL = 0x1d, SC_LSHIFT = 0x2a, SC_RSHIFT = 0x36, SC_LALT = 0x38, SC_CAPS = 0x3a,
    SC_EXTENDED = 0xe0, SC_RELEASE = 0x80,
};

// Keys behind the 0xE0 prefix and what they send.
struct extended_key {
    u8 code;
    const char* seq;
};
constexpr extended_key extended_keys[] = {
    {0x48, "\x1b[A"}, {0x50, "\x1b[B"}, {0x4d, "\x1b[C"}, {0x4b, "\x1b[D"},
    {0x47, "\x1b[1~"}, {0x52, "\x1b[2~"}, {0x53, "\x1b[3~"}, {0x4f, "\x1b[4~"},
    {0x49, "\x1b[5~"}, {0x51, "\x1b[6~"}, {0x1c, "\r"}, {0x35, "/"},
};

bool shift_l, shift_r, ctrl, alt, caps, extended;

size_t length(const char* s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

void key_down(u8 code) {
    if (code >= sizeof(plain) || !plain[code]) return;
    bool shift = shift_l || shift_r;
    char c = shift ? shifted[code] : plain[code];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (caps && letter) c ^= 0x20;
    if (ctrl) {
        if (letter || (c >= '@' && c <= '_')) c &= 0x1f;
        else if (c == ' ' || c == '2') c = 0;   // Ctrl+Space, Ctrl+2: NUL
        else if (c == '/') c = 0x1f;
    }
    char out[2] = {0x1b, c};
    if (alt) vt_queue_input(out, 2);
    else vt_queue_input(out + 1, 1);
}

}  // namespace

void kbd_scancode(u8 code) {
    if (code == SC_EXTENDED) {
        extended = true;
        return;
    }
    bool release = code & SC_RELEASE;
    code &= u8(~SC_RELEASE);
    if (extended) {
        extended = false;
        if (code == SC_LCTRL) ctrl = !release;        // right Ctrl
        else if (code == SC_LALT) alt = !release;     // AltGr, taken as Alt
        else if (!release)
            for (const extended_key& k : extended_keys)
                if (k.code == code) vt_queue_input(k.seq, length(k.seq));
        return;
    }
    switch (code) {
    case SC_LSHIFT: shift_l = !release; return;
    case SC_RSHIFT: shift_r = !release; return;
    case SC_LCTRL: ctrl = !release; return;
    case SC_LALT: alt = !release; return;
    case SC_CAPS:
        if (!release) caps = !caps;
        return;
    }
    if (!release) key_down(code);
}
