// Kernel printf: the C conversions (d i u x X o c s p %, flags, width, precision,
// hh/h/l/ll/z/t/j) plus Linux's %pS / %ps (symbol+offset / symbol name).
#pragma once
#include <keel/compiler.h>
#include <stdarg.h>
#include <stddef.h>

// Same declarations as the C library's (see lib/string.h for why).
extern "C" {
int vsnprintf(char* buf, size_t size, const char* fmt, va_list args) noexcept;
int snprintf(char* buf, size_t size, const char* fmt, ...) noexcept __printf(3, 4);
}
// Like vsnprintf, but returns the number of characters actually stored (not counting the NUL).
int vscnprintf(char* buf, size_t size, const char* fmt, va_list args);
int scnprintf(char* buf, size_t size, const char* fmt, ...) __printf(3, 4);

// Resolves an address for %pS/%ps: writes "name+0xoff/0xsize" (or just "name")
// into buf and returns its length, or 0 when the address is unknown. The kernel
// installs kallsyms here; host builds leave it empty and print the raw address.
using symbol_lookup_fn = int (*)(unsigned long addr, bool with_offset, char* buf, size_t size);
extern symbol_lookup_fn vsprintf_symbol_lookup;
