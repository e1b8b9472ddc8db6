// lib/vsprintf.cpp: each conversion, flag, width/precision form and length
// modifier against hand-written expected strings, plus truncation and the
// return-value rules of snprintf/scnprintf. (Our snprintf replaces the C
// library's in this binary, so expected values cannot come from printf.)
#include <climits>
#include <cstdint>
#include <cstring>
#include <gtest/gtest.h>
#include <string>

// Keel headers after the C library: keel/compiler.h defines short names
// (__init, __always_inline) that glibc uses as identifiers.
#include <lib/vsprintf.h>

namespace {

// Formats into a large buffer, checking that the return value is the length.
std::string fmt(const char* f, ...) __printf(1, 2);
std::string fmt(const char* f, ...) {
    char buf[512];
    std::memset(buf, 0x7e, sizeof(buf));
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(buf, sizeof(buf), f, ap);
    va_end(ap);
    EXPECT_GE(n, 0);
    EXPECT_LT(size_t(n), sizeof(buf));
    EXPECT_EQ(buf[n], '\0');
    EXPECT_EQ(std::string(buf).size(), size_t(n)) << "return value is not the length";
    return std::string(buf, size_t(n));
}

TEST(LibVsprintf, PlainTextAndPercent) {
    EXPECT_EQ(fmt("hello"), "hello");
    EXPECT_EQ(fmt(""), "");
    EXPECT_EQ(fmt("100%%"), "100%");
    EXPECT_EQ(fmt("%%%%"), "%%");
}

TEST(LibVsprintf, SignedDecimal) {
    EXPECT_EQ(fmt("%d", 0), "0");
    EXPECT_EQ(fmt("%d", 42), "42");
    EXPECT_EQ(fmt("%i", -42), "-42");
    EXPECT_EQ(fmt("%d", INT_MAX), "2147483647");
    EXPECT_EQ(fmt("%d", INT_MIN), "-2147483648");
    EXPECT_EQ(fmt("%ld", LONG_MAX), "9223372036854775807");
    EXPECT_EQ(fmt("%ld", LONG_MIN), "-9223372036854775808");
    EXPECT_EQ(fmt("%lld", LLONG_MIN), "-9223372036854775808");
    EXPECT_EQ(fmt("%lli", -1LL), "-1");
}

TEST(LibVsprintf, Unsigned) {
    EXPECT_EQ(fmt("%u", 0u), "0");
    EXPECT_EQ(fmt("%u", UINT_MAX), "4294967295");
    EXPECT_EQ(fmt("%lu", ULONG_MAX), "18446744073709551615");
    EXPECT_EQ(fmt("%llu", ULLONG_MAX), "18446744073709551615");
    EXPECT_EQ(fmt("%x", 0xdeadbeefu), "deadbeef");
    EXPECT_EQ(fmt("%X", 0xdeadbeefu), "DEADBEEF");
    EXPECT_EQ(fmt("%lx", ULONG_MAX), "ffffffffffffffff");
    EXPECT_EQ(fmt("%o", 8u), "10");
    EXPECT_EQ(fmt("%o", 0u), "0");
    EXPECT_EQ(fmt("%lo", ULONG_MAX), "1777777777777777777777");
}

TEST(LibVsprintf, LengthModifiersTruncate) {
    EXPECT_EQ(fmt("%hhd", 0x1ff), "-1");
    EXPECT_EQ(fmt("%hhu", 0x1ff), "255");
    EXPECT_EQ(fmt("%hhx", 0x1234), "34");
    EXPECT_EQ(fmt("%hd", 0x18000), "-32768");
    EXPECT_EQ(fmt("%hu", 0x18000), "32768");
    EXPECT_EQ(fmt("%hx", 0xabcdef), "cdef");
    EXPECT_EQ(fmt("%zu", size_t(1) << 40), "1099511627776");
    EXPECT_EQ(fmt("%zd", ssize_t(-5)), "-5");
    EXPECT_EQ(fmt("%td", ptrdiff_t(-1) << 40), "-1099511627776");
    EXPECT_EQ(fmt("%jd", intmax_t(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(fmt("%ju", uintmax_t(UINT64_MAX)), "18446744073709551615");
    // Without a modifier only 32 bits are read.
    EXPECT_EQ(fmt("%d %d", 1, 2), "1 2");
}

TEST(LibVsprintf, Width) {
    EXPECT_EQ(fmt("%5d", 42), "   42");
    EXPECT_EQ(fmt("%-5d|", 42), "42   |");
    EXPECT_EQ(fmt("%05d", 42), "00042");
    EXPECT_EQ(fmt("%05d", -42), "-0042");
    EXPECT_EQ(fmt("%-05d|", -42), "-42  |");  // '-' overrides '0'
    EXPECT_EQ(fmt("%2d", 12345), "12345");     // width never truncates
    EXPECT_EQ(fmt("%*d", 6, 7), "     7");
    EXPECT_EQ(fmt("%*d|", -6, 7), "7     |");  // negative * width means left-justify
    EXPECT_EQ(fmt("%0*x", 8, 0xbeefu), "0000beef");
}

TEST(LibVsprintf, Precision) {
    EXPECT_EQ(fmt("%.5d", 42), "00042");
    EXPECT_EQ(fmt("%.5d", -42), "-00042");
    EXPECT_EQ(fmt("%8.5d", 42), "   00042");
    EXPECT_EQ(fmt("%-8.5d|", 42), "00042   |");
    EXPECT_EQ(fmt("%08.5d", 42), "   00042");  // precision disables '0' padding
    EXPECT_EQ(fmt("%.*d", 4, 7), "0007");
    EXPECT_EQ(fmt("%.*d", -1, 7), "7");  // negative precision: as if omitted
    EXPECT_EQ(fmt("%.3x", 0xau), "00a");
    EXPECT_EQ(fmt("%.2d", 12345), "12345");
}

TEST(LibVsprintf, SignFlags) {
    EXPECT_EQ(fmt("%+d", 5), "+5");
    EXPECT_EQ(fmt("%+d", -5), "-5");
    EXPECT_EQ(fmt("%+d", 0), "+0");
    EXPECT_EQ(fmt("% d", 5), " 5");
    EXPECT_EQ(fmt("% d", -5), "-5");
    EXPECT_EQ(fmt("%+ d", 5), "+5");  // '+' wins over ' '
    EXPECT_EQ(fmt("%+5d", 5), "   +5");
    EXPECT_EQ(fmt("%+05d", 5), "+0005");
    EXPECT_EQ(fmt("%+u", 5u), "5");  // no sign for unsigned
}

TEST(LibVsprintf, AlternateForm) {
    EXPECT_EQ(fmt("%#x", 255u), "0xff");
    EXPECT_EQ(fmt("%#X", 255u), "0XFF");
    EXPECT_EQ(fmt("%#o", 8u), "010");
    EXPECT_EQ(fmt("%#o", 0u), "0");  // already starts with 0: no extra one
    EXPECT_EQ(fmt("%#10x", 255u), "      0xff");
    EXPECT_EQ(fmt("%#010x", 255u), "0x000000ff");  // zeros go after the prefix
    EXPECT_EQ(fmt("%#-10x|", 255u), "0xff      |");
    EXPECT_EQ(fmt("%#.4x", 255u), "0x00ff");
    EXPECT_EQ(fmt("%#d", 5), "5");  // meaningless for decimal
}

TEST(LibVsprintf, Chars) {
    EXPECT_EQ(fmt("%c", 'A'), "A");
    EXPECT_EQ(fmt("%c%c%c", 'a', 'b', 'c'), "abc");
    EXPECT_EQ(fmt("%3c", 'x'), "  x");
    EXPECT_EQ(fmt("%-3c|", 'x'), "x  |");
    EXPECT_EQ(fmt("%c", 'A' + 256), "A");  // the int is converted to char
}

TEST(LibVsprintf, Strings) {
    EXPECT_EQ(fmt("%s", "abc"), "abc");
    EXPECT_EQ(fmt("%s", ""), "");
    EXPECT_EQ(fmt("%s", static_cast<const char*>(nullptr)), "(null)");
    EXPECT_EQ(fmt("%6s", "abc"), "   abc");
    EXPECT_EQ(fmt("%-6s|", "abc"), "abc   |");
    EXPECT_EQ(fmt("%.2s", "abc"), "ab");
    EXPECT_EQ(fmt("%.0s", "abc"), "");
    EXPECT_EQ(fmt("%.10s", "abc"), "abc");
    EXPECT_EQ(fmt("%5.1s|", "abc"), "    a|");
    EXPECT_EQ(fmt("%.*s", 3, "abcdef"), "abc");
    EXPECT_EQ(fmt("%*s", 4, "a"), "   a");
    EXPECT_EQ(fmt("[%s] [%s]", "a", "b"), "[a] [b]");
    // Precision bounds the read: the string need not be terminated.
    char raw[3] = {'x', 'y', 'z'};
    EXPECT_EQ(fmt("%.3s", raw), "xyz");
}

TEST(LibVsprintf, Pointers) {
    EXPECT_EQ(fmt("%p", reinterpret_cast<void*>(0x1234)), "0x0000000000001234");
    EXPECT_EQ(fmt("%p", reinterpret_cast<void*>(0xffffffff81000000UL)), "0xffffffff81000000");
    EXPECT_EQ(fmt("%p", nullptr), "0x0000000000000000");
    // %pS without a symbol table falls back to the address and eats the 'S'.
    EXPECT_EQ(fmt("%pS|", reinterpret_cast<void*>(0xabc)), "0x0000000000000abc|");
    EXPECT_EQ(fmt("%ps|", reinterpret_cast<void*>(0xabc)), "0x0000000000000abc|");
    EXPECT_EQ(fmt("%pX", reinterpret_cast<void*>(0x1)), "0x0000000000000001X");
}

int fake_lookup(unsigned long addr, bool with_offset, char* buf, size_t size) {
    if (addr != 0xffffffff81001234UL) return 0;
    return snprintf(buf, size, with_offset ? "start_kernel+0x34/0x100" : "start_kernel");
}

TEST(LibVsprintf, SymbolPointers) {
    vsprintf_symbol_lookup = fake_lookup;
    void* known = reinterpret_cast<void*>(0xffffffff81001234UL);
    EXPECT_EQ(fmt("[%pS]", known), "[start_kernel+0x34/0x100]");
    EXPECT_EQ(fmt("[%ps]", known), "[start_kernel]");
    EXPECT_EQ(fmt("[%-14ps]", known), "[start_kernel  ]");
    EXPECT_EQ(fmt("[%pS]", reinterpret_cast<void*>(0x10)), "[0x0000000000000010]");
    vsprintf_symbol_lookup = nullptr;
}

TEST(LibVsprintf, UnknownConversionIsVisible) {
    EXPECT_EQ(fmt("%q"), "%q");
    EXPECT_EQ(fmt("a%"), "a%");  // a lone '%' at the end is printed as is
}

TEST(LibVsprintf, ManyArguments) {
    EXPECT_EQ(fmt("%d %s %x %c %lu %p %d %d %d", 1, "two", 3u, '4', 5UL,
                  reinterpret_cast<void*>(6), 7, 8, 9),
              "1 two 3 4 5 0x0000000000000006 7 8 9");
}

TEST(LibVsprintf, TruncationAndReturnValue) {
    char buf[8];
    std::memset(buf, '#', sizeof(buf));
    // Returns the length the full output would have had.
    EXPECT_EQ(snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
    EXPECT_STREQ(buf, "0123456");  // size-1 characters and a NUL
    EXPECT_EQ(snprintf(buf, 1, "abc"), 3);
    EXPECT_STREQ(buf, "");
    // Size 0: nothing is written, not even a NUL; buf may be null.
    buf[0] = '#';
    EXPECT_EQ(snprintf(buf, 0, "abc"), 3);
    EXPECT_EQ(buf[0], '#');
    EXPECT_EQ(snprintf(nullptr, 0, "%d", 12345), 5);
    // Exactly fitting output.
    EXPECT_EQ(snprintf(buf, sizeof(buf), "%7d", 1), 7);
    EXPECT_STREQ(buf, "      1");
    // Truncation in the middle of padding and numbers.
    EXPECT_EQ(snprintf(buf, 4, "%08x", 0xabu), 8);
    EXPECT_STREQ(buf, "000");
    // Nothing written beyond size.
    char big[16];
    std::memset(big, '#', sizeof(big));
    snprintf(big, 5, "%s", "abcdefghij");
    EXPECT_EQ(std::string(big, 6), std::string("abcd\0#", 6));
}

TEST(LibVsprintf, ScnprintfReturnsStoredLength) {
    char buf[8];
    EXPECT_EQ(scnprintf(buf, sizeof(buf), "%s", "0123456789"), 7);
    EXPECT_STREQ(buf, "0123456");
    EXPECT_EQ(scnprintf(buf, sizeof(buf), "%d", 42), 2);
    EXPECT_EQ(scnprintf(buf, 1, "abc"), 0);
    EXPECT_EQ(scnprintf(buf, 0, "abc"), 0);
    // The usual append loop never runs past the end.
    char line[10];
    int len = 0;
    for (int i = 0; i < 10; i++) len += scnprintf(line + len, sizeof(line) - len, "%d,", i);
    EXPECT_EQ(len, 9);
    EXPECT_STREQ(line, "0,1,2,3,4");
}

}  // namespace
