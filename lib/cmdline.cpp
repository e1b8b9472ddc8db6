// Command-line words and number parsing. See lib/cmdline.h for the rules; the
// comments here say how each rule is met.
#include <lib/cmdline.h>
#include <lib/ctype.h>

char* skip_spaces(const char* str) {
    while (ctype::isspace(*str)) str++;
    return const_cast<char*>(str);
}

char* next_arg(char* args, char** param, char** val) {
    // A word that starts with a quote ("param=a b") is quoted as a whole.
    bool quoted = *args == '"';
    if (quoted) args++;

    // One pass finds the end of the word and its first '=' (index 0 does not
    // count: a name cannot be empty). Quotes toggle whether spaces end the word.
    size_t len = 0;
    size_t equals = 0;
    bool in_quote = quoted;
    for (; args[len]; len++) {
        if (!in_quote && ctype::isspace(args[len])) break;
        if (!equals && len > 0 && args[len] == '=') equals = len;
        if (args[len] == '"') in_quote = !in_quote;
    }

    *param = args;
    *val = nullptr;
    if (equals) {
        args[equals] = '\0';
        *val = args + equals + 1;
        // param="value": drop the value's opening quote and, if the word ends
        // in one, the closing quote too.
        if (**val == '"') {
            (*val)++;
            if (args[len - 1] == '"') args[len - 1] = '\0';
        }
    }
    // Closing quote of a whole-word quote. (Only a '"' is overwritten, so this
    // cannot undo the '=' split above.)
    if (quoted && len > 0 && args[len - 1] == '"') args[len - 1] = '\0';

    char* next = args + len;
    if (*next) *next++ = '\0';  // terminate the word at the space that ended it
    return skip_spaces(next);
}

bool parameqn(const char* a, const char* b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char ca = a[i] == '-' ? '_' : a[i];
        char cb = b[i] == '-' ? '_' : b[i];
        if (ca != cb) return false;
        if (!ca) return true;  // both strings ended together
    }
    return true;
}

bool parameq(const char* a, const char* b) { return parameqn(a, b, ~size_t(0)); }

namespace {

// Picks the base for base 0 and skips a "0x" prefix for bases 0 and 16. For
// base 0, "0x" counts as a prefix only if a hex digit follows, so "0x" alone
// reads as octal 0 followed by junk, as in Linux.
const char* fixup_radix(const char* s, unsigned int* base) {
    bool hex_prefix = s[0] == '0' && ctype::tolower(s[1]) == 'x';
    if (*base == 0) {
        if (hex_prefix && ctype::isxdigit(s[2])) *base = 16;
        else if (s[0] == '0') *base = 8;
        else *base = 10;
    }
    if (*base == 16 && hex_prefix) s += 2;
    return s;
}

struct Parsed {
    unsigned long long value;
    size_t digits;  // characters consumed
    bool overflow;  // value exceeded 2^64-1 (value then holds the wrapped result)
};

// Reads digits valid in `base` for as long as they come.
Parsed parse_digits(const char* s, unsigned int base) {
    Parsed p{0, 0, false};
    for (;; p.digits++) {
        int digit = ctype::hex_to_bin(s[p.digits]);
        if (digit < 0 || unsigned(digit) >= base) break;
        if (p.value > (~0ULL - unsigned(digit)) / base) p.overflow = true;
        p.value = p.value * base + unsigned(digit);
    }
    return p;
}

}  // namespace

unsigned long long simple_strtoull(const char* cp, char** endp, unsigned int base) {
    cp = fixup_radix(cp, &base);
    Parsed p = parse_digits(cp, base);
    if (endp) *endp = const_cast<char*>(cp + p.digits);
    return p.value;
}

unsigned long long memparse(const char* ptr, char** retptr) {
    char* end;
    unsigned long long value = simple_strtoull(ptr, &end, 0);
    int shift = 0;
    switch (ctype::toupper(*end)) {
    case 'E': shift = 60; break;
    case 'P': shift = 50; break;
    case 'T': shift = 40; break;
    case 'G': shift = 30; break;
    case 'M': shift = 20; break;
    case 'K': shift = 10; break;
    }
    if (shift) {
        end++;
        value = value > (~0ULL >> shift) ? ~0ULL : value << shift;
    }
    if (retptr) *retptr = end;
    return value;
}

Result<unsigned long long> kstrtoull(const char* s, unsigned int base) {
    if (!s || base == 1 || base > 16) return Error{EINVAL};
    if (*s == '+') s++;
    s = fixup_radix(s, &base);
    Parsed p = parse_digits(s, base);
    if (p.digits == 0) return Error{EINVAL};
    if (p.overflow) return Error{ERANGE};
    s += p.digits;
    if (*s == '\n') s++;
    if (*s) return Error{EINVAL};
    return p.value;
}

Result<long long> kstrtoll(const char* s, unsigned int base) {
    if (!s) return Error{EINVAL};
    bool negative = *s == '-';
    // After a '-' no '+' may follow; kstrtoull would accept one, so reject it here.
    if (negative && s[1] == '+') return Error{EINVAL};
    unsigned long long magnitude = TRY(kstrtoull(negative ? s + 1 : s, base));
    // The range is asymmetric: -2^63 fits, +2^63 does not.
    constexpr unsigned long long max = ~0ULL >> 1;
    if (negative) {
        if (magnitude > max + 1) return Error{ERANGE};
        return static_cast<long long>(0ULL - magnitude);
    }
    if (magnitude > max) return Error{ERANGE};
    return static_cast<long long>(magnitude);
}

Result<unsigned long> kstrtoul(const char* s, unsigned int base) {
    static_assert(sizeof(unsigned long) == sizeof(unsigned long long));
    return TRY(kstrtoull(s, base));
}

Result<long> kstrtol(const char* s, unsigned int base) {
    static_assert(sizeof(long) == sizeof(long long));
    return TRY(kstrtoll(s, base));
}

Result<unsigned int> kstrtouint(const char* s, unsigned int base) {
    unsigned long long v = TRY(kstrtoull(s, base));
    if (v > ~0U) return Error{ERANGE};
    return static_cast<unsigned int>(v);
}

Result<int> kstrtoint(const char* s, unsigned int base) {
    long long v = TRY(kstrtoll(s, base));
    if (v < -0x80000000LL || v > 0x7fffffffLL) return Error{ERANGE};
    return static_cast<int>(v);
}

Result<bool> kstrtobool(const char* s) {
    if (!s) return Error{EINVAL};
    switch (s[0]) {
    case 'y': case 'Y': case 't': case 'T': case '1': return true;
    case 'n': case 'N': case 'f': case 'F': case '0': return false;
    case 'o': case 'O':
        if (ctype::tolower(s[1]) == 'n') return true;
        if (ctype::tolower(s[1]) == 'f') return false;
        break;
    }
    return Error{EINVAL};
}
