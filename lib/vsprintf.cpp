// A single-pass formatter. Output goes through an Out cursor that counts every
// character, stored or not, so the return value is C's "length that would have
// been written" even when the buffer is too small.
#include <lib/string.h>
#include <lib/vsprintf.h>

symbol_lookup_fn vsprintf_symbol_lookup = nullptr;

namespace {

struct Out {
    char* buf;
    size_t size;
    size_t pos = 0;
    void put(char c) {
        if (pos + 1 < size) buf[pos] = c;
        pos++;
    }
    void pad(char c, int n) {
        while (n-- > 0) put(c);
    }
};

enum Flags : unsigned {
    LEFT = 1, PLUS = 2, SPACE = 4, SPECIAL = 8, ZEROPAD = 16, SIGNED = 32, UPPER = 64,
};

struct Spec {
    unsigned flags = 0;
    int width = -1;
    int precision = -1;
    int base = 10;
};

void put_number(Out& out, unsigned long long num, Spec spec) {
    const char* digits = (spec.flags & UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
    char sign = 0;
    if (spec.flags & SIGNED) {
        if (static_cast<long long>(num) < 0) {
            sign = '-';
            num = 0 - num;  // unsigned negation: also right for LLONG_MIN
        } else if (spec.flags & PLUS) {
            sign = '+';
        } else if (spec.flags & SPACE) {
            sign = ' ';
        }
    }
    char tmp[24];
    int len = 0;
    do {
        tmp[len++] = digits[num % spec.base];
        num /= spec.base;
    } while (num);
    const char* prefix = "";
    if ((spec.flags & SPECIAL) && spec.base == 16) prefix = (spec.flags & UPPER) ? "0X" : "0x";
    if ((spec.flags & SPECIAL) && spec.base == 8 && tmp[len - 1] != '0') prefix = "0";
    int prefix_len = int(strlen(prefix));
    int zeros = spec.precision > len ? spec.precision - len : 0;
    if (spec.precision < 0 && (spec.flags & ZEROPAD) && !(spec.flags & LEFT))
        zeros = spec.width - len - prefix_len - (sign ? 1 : 0);
    int total = len + (zeros > 0 ? zeros : 0) + prefix_len + (sign ? 1 : 0);
    if (!(spec.flags & LEFT)) out.pad(' ', spec.width - total);
    if (sign) out.put(sign);
    for (const char* p = prefix; *p; p++) out.put(*p);
    out.pad('0', zeros);
    while (len) out.put(tmp[--len]);
    if (spec.flags & LEFT) out.pad(' ', spec.width - total);
}

void put_string(Out& out, const char* s, Spec spec) {
    if (!s) s = "(null)";
    int len = int(strnlen(s, spec.precision < 0 ? ~size_t(0) : size_t(spec.precision)));
    if (!(spec.flags & LEFT)) out.pad(' ', spec.width - len);
    for (int i = 0; i < len; i++) out.put(s[i]);
    if (spec.flags & LEFT) out.pad(' ', spec.width - len);
}

// %p and its kernel extensions. Returns the number of format characters consumed after 'p'.
int put_pointer(Out& out, const char* ext, void* ptr, Spec spec) {
    auto addr = reinterpret_cast<unsigned long>(ptr);
    if ((*ext == 'S' || *ext == 's') && vsprintf_symbol_lookup) {
        char sym[128];
        if (vsprintf_symbol_lookup(addr, *ext == 'S', sym, sizeof(sym)) > 0) {
            put_string(out, sym, spec);
            return 1;
        }
    }
    spec.flags |= SPECIAL | ZEROPAD;
    spec.base = 16;
    if (spec.width < 0) spec.width = 2 + 2 * int(sizeof(void*));
    put_number(out, addr, spec);
    return (*ext == 'S' || *ext == 's') ? 1 : 0;
}

int parse_int(const char*& fmt) {
    int n = 0;
    while (*fmt >= '0' && *fmt <= '9') n = n * 10 + (*fmt++ - '0');
    return n;
}

}  // namespace

int vsnprintf(char* buf, size_t size, const char* fmt, va_list args) noexcept {
    Out out{buf, size};
    while (*fmt) {
        if (*fmt != '%') {
            out.put(*fmt++);
            continue;
        }
        fmt++;
        Spec spec;
        for (bool more = true; more;) {
            switch (*fmt) {
            case '-': spec.flags |= LEFT; fmt++; break;
            case '+': spec.flags |= PLUS; fmt++; break;
            case ' ': spec.flags |= SPACE; fmt++; break;
            case '#': spec.flags |= SPECIAL; fmt++; break;
            case '0': spec.flags |= ZEROPAD; fmt++; break;
            default: more = false;
            }
        }
        if (*fmt == '*') {
            spec.width = va_arg(args, int);
            if (spec.width < 0) spec.flags |= LEFT, spec.width = -spec.width;
            fmt++;
        } else if (*fmt >= '0' && *fmt <= '9') {
            // Only an explicit width replaces the default of -1 ("none"): %p
            // relies on telling "no width" apart from a width of 0.
            spec.width = parse_int(fmt);
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') spec.precision = va_arg(args, int), fmt++;
            else spec.precision = parse_int(fmt);
            if (spec.precision < 0) spec.precision = -1;
        }
        int longness = 0;  // -2 hh, -1 h, 0 int, 1 long, 2 long long
        for (;; fmt++) {
            if (*fmt == 'h') longness--;
            else if (*fmt == 'l') longness++;
            else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') longness = 1;
            else break;
        }
        unsigned long long num;
        switch (*fmt) {
        case 'c': {
            char c = char(va_arg(args, int));
            if (!(spec.flags & LEFT)) out.pad(' ', spec.width - 1);
            out.put(c);
            if (spec.flags & LEFT) out.pad(' ', spec.width - 1);
            fmt++;
            continue;
        }
        case 's': put_string(out, va_arg(args, const char*), spec); fmt++; continue;
        case 'p': fmt += 1 + put_pointer(out, fmt + 1, va_arg(args, void*), spec); continue;
        case '%': out.put('%'); fmt++; continue;
        case 'd':
        case 'i': spec.flags |= SIGNED; break;
        case 'u': break;
        case 'x': spec.base = 16; break;
        case 'X': spec.base = 16; spec.flags |= UPPER; break;
        case 'o': spec.base = 8; break;
        default:
            // Unknown conversion: print it literally so the mistake is visible.
            out.put('%');
            if (*fmt) out.put(*fmt++);
            continue;
        }
        fmt++;
        if (spec.flags & SIGNED) {
            long long v = longness >= 2 ? va_arg(args, long long)
                        : longness == 1 ? va_arg(args, long) : va_arg(args, int);
            if (longness == -1) v = short(v);
            if (longness <= -2) v = static_cast<signed char>(v);
            num = static_cast<unsigned long long>(v);
        } else {
            num = longness >= 2 ? va_arg(args, unsigned long long)
                : longness == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
            if (longness == -1) num = static_cast<unsigned short>(num);
            if (longness <= -2) num = static_cast<unsigned char>(num);
        }
        put_number(out, num, spec);
    }
    if (size) buf[out.pos < size ? out.pos : size - 1] = '\0';
    return int(out.pos);
}

int vscnprintf(char* buf, size_t size, const char* fmt, va_list args) {
    int n = vsnprintf(buf, size, fmt, args);
    if (size == 0) return 0;
    return size_t(n) < size ? n : int(size - 1);
}

int snprintf(char* buf, size_t size, const char* fmt, ...) noexcept {
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

int scnprintf(char* buf, size_t size, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = vscnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
