// Character classes for parsing (command line, /proc and sysfs input).
//
// Names are Linux's, but they live in namespace `ctype` and are called as
// ctype::isdigit(c). Why not the global names Linux uses: the same sources are
// compiled into host unit tests, where the C library already declares
// ::isdigit(int) -> int (GoogleTest pulls in <cctype>); a global constexpr
// isdigit(char) -> bool would clash with it or, worse, silently overload it.
// A namespace keeps the Linux name readable and makes the choice explicit at
// every call site, identically in both builds.
//
// ASCII only: bytes >= 0x80 belong to no class. (Linux's table classifies
// Latin-1 letters too; nothing the kernel parses needs that.) Arguments are
// `char`: there is no table to index, so a byte >= 0x80 (negative in a signed
// char) simply falls outside every range below.
#pragma once

namespace ctype {

constexpr bool isdigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isupper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool islower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool isalpha(char c) { return isupper(c) || islower(c); }
constexpr bool isalnum(char c) { return isalpha(c) || isdigit(c); }
constexpr bool isxdigit(char c) {
    return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Space, \t, \n, \v, \f, \r.
constexpr bool isspace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool iscntrl(char c) { return (c >= 0 && c < ' ') || c == 0x7f; }
// Printable: space through '~'.
constexpr bool isprint(char c) { return c >= ' ' && c <= '~'; }
constexpr bool isgraph(char c) { return c > ' ' && c <= '~'; }
constexpr bool ispunct(char c) { return isgraph(c) && !isalnum(c); }

constexpr char tolower(char c) { return isupper(c) ? char(c - 'A' + 'a') : c; }
constexpr char toupper(char c) { return islower(c) ? char(c - 'a' + 'A') : c; }

// Value of a hex digit, or -1 if c is not one (Linux's hex_to_bin).
constexpr int hex_to_bin(char c) {
    if (isdigit(c)) return c - '0';
    char l = tolower(c);
    if (l >= 'a' && l <= 'f') return l - 'a' + 10;
    return -1;
}

}  // namespace ctype
