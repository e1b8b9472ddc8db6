// lib/string.cpp. In the host test binary our extern "C" definitions replace
// the C library's for the whole executable, so the calls below (declared by
// <cstring>) run Keel's code. lib/string.h is not included: glibc's C++
// overloads of strchr/strrchr/memchr in <cstring> conflict with its plain C
// declarations. strscpy, which the C library lacks, is declared by hand with
// the exact signature of lib/string.h.
#include <uapi/asm/errno.h>

#include <cstring>
#include <gtest/gtest.h>
#include <string>

long strscpy(char* dst, const char* src, size_t size) noexcept;

namespace {

// Calls through a volatile pointer so the compiler cannot fold the call into
// its own built-in and must run the library's definition.
template <typename F> F* opaque(F* f) {
    F* volatile p = f;
    return p;
}

std::string bytes(const char* p, size_t n) { return std::string(p, n); }

TEST(LibString, MemcpyAndMemset) {
    char dst[32];
    std::memset(dst, 'x', sizeof(dst));
    EXPECT_EQ(opaque(memcpy)(dst + 1, "hello", 5), dst + 1);
    EXPECT_EQ(bytes(dst, 7), "xhellox");
    EXPECT_EQ(opaque(memset)(dst, 0x1ff, 3), dst);  // only the low byte is stored
    EXPECT_EQ(static_cast<unsigned char>(dst[0]), 0xffu);
    EXPECT_EQ(static_cast<unsigned char>(dst[2]), 0xffu);
    EXPECT_EQ(dst[3], 'l');
    opaque(memcpy)(dst, "abc", 0);  // zero length touches nothing
    EXPECT_EQ(static_cast<unsigned char>(dst[0]), 0xffu);
}

TEST(LibString, MemmoveOverlapForward) {
    // dst above src: must copy from the end.
    char buf[] = "0123456789";
    opaque(memmove)(buf + 2, buf, 6);
    EXPECT_STREQ(buf, "0101234589");
}

TEST(LibString, MemmoveOverlapBackward) {
    // dst below src: must copy from the start.
    char buf[] = "0123456789";
    opaque(memmove)(buf, buf + 3, 7);
    EXPECT_STREQ(buf, "3456789789");
}

TEST(LibString, MemmoveEveryOverlap) {
    for (int shift = -8; shift <= 8; shift++) {
        for (size_t n = 0; n <= 16; n++) {
            char buf[40], want[40];
            for (int i = 0; i < 40; i++) buf[i] = want[i] = char('A' + i);
            std::string src(buf + 12, n);
            opaque(memmove)(buf + 12 + shift, buf + 12, n);
            for (size_t i = 0; i < n; i++) want[12 + shift + i] = src[i];
            ASSERT_EQ(bytes(buf, 40), bytes(want, 40)) << "shift " << shift << " n " << n;
        }
    }
}

TEST(LibString, Memcmp) {
    EXPECT_EQ(opaque(memcmp)("abc", "abc", 3), 0);
    EXPECT_LT(opaque(memcmp)("abc", "abd", 3), 0);
    EXPECT_GT(opaque(memcmp)("abd", "abc", 3), 0);
    EXPECT_EQ(opaque(memcmp)("abX", "abY", 2), 0);
    EXPECT_EQ(opaque(memcmp)("a", "b", 0), 0);
    // Bytes compare as unsigned: 0x80 is greater than 0x7f.
    EXPECT_GT(opaque(memcmp)("\x80", "\x7f", 1), 0);
    // Embedded NULs do not stop memcmp.
    EXPECT_LT(opaque(memcmp)("a\0b", "a\0c", 3), 0);
}

TEST(LibString, Memchr) {
    const char s[] = "ab\0cd";
    EXPECT_EQ(std::memchr(s, 'c', 5), s + 3);
    EXPECT_EQ(std::memchr(s, 'c', 3), nullptr);
    EXPECT_EQ(std::memchr(s, 0, 5), s + 2);
    EXPECT_EQ(std::memchr(s, 'a' + 256, 5), s);  // converted to unsigned char
    EXPECT_EQ(std::memchr(s, 'a', 0), nullptr);
}

TEST(LibString, StrlenStrnlen) {
    EXPECT_EQ(opaque(strlen)(""), 0u);
    EXPECT_EQ(opaque(strlen)("hello"), 5u);
    EXPECT_EQ(opaque(strnlen)("hello", 3), 3u);
    EXPECT_EQ(opaque(strnlen)("hello", 10), 5u);
    EXPECT_EQ(opaque(strnlen)("hello", 0), 0u);
    char unterminated[4] = {'a', 'b', 'c', 'd'};
    EXPECT_EQ(opaque(strnlen)(unterminated, 4), 4u);  // never reads past max
}

TEST(LibString, StrcmpStrncmp) {
    EXPECT_EQ(opaque(strcmp)("", ""), 0);
    EXPECT_EQ(opaque(strcmp)("abc", "abc"), 0);
    EXPECT_LT(opaque(strcmp)("abc", "abd"), 0);
    EXPECT_LT(opaque(strcmp)("ab", "abc"), 0);
    EXPECT_GT(opaque(strcmp)("abc", "ab"), 0);
    EXPECT_GT(opaque(strcmp)("\xff", "a"), 0);  // unsigned comparison
    EXPECT_EQ(opaque(strncmp)("abcX", "abcY", 3), 0);
    EXPECT_LT(opaque(strncmp)("abcX", "abcY", 4), 0);
    EXPECT_EQ(opaque(strncmp)("x", "y", 0), 0);
    EXPECT_EQ(opaque(strncmp)("ab", "ab", 100), 0);  // stops at the NUL
    EXPECT_LT(opaque(strncmp)("ab", "abc", 100), 0);
    EXPECT_GT(opaque(strncmp)("\x80", "\x7f", 1), 0);
}

TEST(LibString, StrchrStrrchr) {
    const char* s = "hello world";
    EXPECT_EQ(std::strchr(s, 'o'), s + 4);
    EXPECT_EQ(std::strrchr(s, 'o'), s + 7);
    EXPECT_EQ(std::strchr(s, 'z'), nullptr);
    EXPECT_EQ(std::strrchr(s, 'z'), nullptr);
    EXPECT_EQ(std::strchr(s, '\0'), s + 11);  // the terminator is part of the string
    EXPECT_EQ(std::strrchr(s, '\0'), s + 11);
    EXPECT_EQ(std::strchr(s, 'h'), s);
    EXPECT_EQ(std::strrchr("", 'a'), nullptr);
}

TEST(LibString, StrscpyFits) {
    char dst[8];
    std::memset(dst, 'x', sizeof(dst));
    EXPECT_EQ(strscpy(dst, "abc", sizeof(dst)), 3);
    EXPECT_STREQ(dst, "abc");
    EXPECT_EQ(dst[4], 'x');  // nothing written past the terminator
    EXPECT_EQ(strscpy(dst, "1234567", sizeof(dst)), 7);  // exactly fills
    EXPECT_STREQ(dst, "1234567");
    EXPECT_EQ(strscpy(dst, "", sizeof(dst)), 0);
    EXPECT_STREQ(dst, "");
}

TEST(LibString, StrscpyTruncates) {
    char dst[8];
    EXPECT_EQ(strscpy(dst, "12345678", sizeof(dst)), -E2BIG);
    EXPECT_STREQ(dst, "1234567");  // still terminated, with as much as fits
    EXPECT_EQ(strscpy(dst, "ab", 1), -E2BIG);
    EXPECT_STREQ(dst, "");
    dst[0] = 'q';
    EXPECT_EQ(strscpy(dst, "ab", 0), -E2BIG);
    EXPECT_EQ(dst[0], 'q');  // size 0 writes nothing
}

}  // namespace
