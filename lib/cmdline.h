// Kernel command-line tokenizing and number parsing, with Linux's rules
// (kernel/params.c next_arg, lib/cmdline.c memparse, lib/kstrtox.c kstrto*).
//
// Everything here accepts arbitrary bytes without crashing: the command line
// comes from the boot loader and the numbers later come from user space.
#pragma once
#include <keel/result.h>
#include <stddef.h>

// Skips spaces (ctype::isspace) and returns the first non-space character.
char* skip_spaces(const char* str);

// Splits the next word off `args`, in place:
//   param=value         -> *param = "param", *val = "value"
//   param="a b"         -> *val = "a b"       (quotes removed, spaces kept)
//   "param=a b"         -> *param = "param", *val = "a b"
//   word                -> *param = "word",  *val = nullptr
//   param=              -> *val = ""          (present but empty)
// The word ends at the first space outside quotes, and only the first '=' in
// it splits; an '=' in the first position is not a separator (a parameter
// needs a name), so "=x" is the bare word "=x". An unterminated quote runs to
// the end of the string. The NULs are written into args. Returns the start of
// the following word (spaces skipped), which points at '\0' at the end.
// `args` must not start with a space (call skip_spaces first).
char* next_arg(char* args, char** param, char** val);

// Parameter names compare with '-' and '_' treated as the same character, so
// "log-buf-len" and "log_buf_len" name one parameter.
bool parameqn(const char* a, const char* b, size_t n);
bool parameq(const char* a, const char* b);

// Parses an unsigned number (base 0 = autodetect: "0x" hex, leading 0 octal,
// else decimal; base 16 also skips a "0x") and stops at the first non-digit,
// storing its address in *endp if endp is non-null. No error reporting: used
// where Linux uses simple_strtoull (early boot). Overflow wraps, as in Linux.
unsigned long long simple_strtoull(const char* cp, char** endp, unsigned int base);

// A size with an optional binary suffix: K, M, G, T, P, E (either case) scale
// by 2^10 .. 2^60, e.g. "64M", "0x1000", "1G". *retptr (if non-null) gets the
// position after the number and suffix. A result that would exceed 2^64-1
// saturates to ~0ULL (Linux wraps around; a huge mem= should not become small).
unsigned long long memparse(const char* ptr, char** retptr);

// Strict conversions, as Linux's kstrto*: the whole string must be the number,
// optionally followed by a single '\n' (so sysfs writes from `echo` work).
// A leading '+' is accepted, and '-' for the signed forms; no spaces.
// Base 0 autodetects as simple_strtoull does; base must be 0 or 2..16.
// Errors: EINVAL for anything malformed, ERANGE when the value does not fit.
Result<unsigned long long> kstrtoull(const char* s, unsigned int base);
Result<long long> kstrtoll(const char* s, unsigned int base);
Result<unsigned long> kstrtoul(const char* s, unsigned int base);
Result<long> kstrtol(const char* s, unsigned int base);
Result<unsigned int> kstrtouint(const char* s, unsigned int base);
Result<int> kstrtoint(const char* s, unsigned int base);

// Linux's lenient boolean: looks only at the first character(s).
// y Y t T 1 / "on" -> true; n N f F 0 / "off" -> false; anything else EINVAL.
Result<bool> kstrtobool(const char* s);
