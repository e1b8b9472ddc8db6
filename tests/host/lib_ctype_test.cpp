// lib/ctype.h: every byte value classified, compared with a table written out
// here by hand (the C library's classification would depend on the locale and,
// in this binary, coexists with ours under the same names in another namespace).
#include <lib/ctype.h>

#include <cctype>  // on purpose: ctype:: must not clash with ::isdigit and friends
#include <gtest/gtest.h>
#include <string>

namespace {

bool in(const std::string& set, int c) { return c != 0 && set.find(char(c)) != std::string::npos; }

const std::string kDigits = "0123456789";
const std::string kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const std::string kLower = "abcdefghijklmnopqrstuvwxyz";
const std::string kHex = "0123456789abcdefABCDEF";
const std::string kSpace = " \t\n\v\f\r";
const std::string kPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

TEST(LibCtype, EveryByte) {
    for (int i = 0; i < 256; i++) {
        char c = char(i);
        SCOPED_TRACE(i);
        EXPECT_EQ(ctype::isdigit(c), in(kDigits, i));
        EXPECT_EQ(ctype::isupper(c), in(kUpper, i));
        EXPECT_EQ(ctype::islower(c), in(kLower, i));
        EXPECT_EQ(ctype::isalpha(c), in(kUpper + kLower, i));
        EXPECT_EQ(ctype::isalnum(c), in(kUpper + kLower + kDigits, i));
        EXPECT_EQ(ctype::isxdigit(c), in(kHex, i));
        EXPECT_EQ(ctype::isspace(c), in(kSpace, i));
        EXPECT_EQ(ctype::ispunct(c), in(kPunct, i));
        EXPECT_EQ(ctype::isprint(c), i >= 0x20 && i <= 0x7e);
        EXPECT_EQ(ctype::isgraph(c), i >= 0x21 && i <= 0x7e);
        EXPECT_EQ(ctype::iscntrl(c), i < 0x20 || i == 0x7f);
        char lower = in(kUpper, i) ? char(i + 32) : c;
        char upper = in(kLower, i) ? char(i - 32) : c;
        EXPECT_EQ(ctype::tolower(c), lower);
        EXPECT_EQ(ctype::toupper(c), upper);
        int hex = in(kDigits, i) ? i - '0'
                : (i >= 'a' && i <= 'f') ? i - 'a' + 10
                : (i >= 'A' && i <= 'F') ? i - 'A' + 10 : -1;
        EXPECT_EQ(ctype::hex_to_bin(c), hex);
    }
}

TEST(LibCtype, UsableInConstantExpressions) {
    static_assert(ctype::isdigit('7') && !ctype::isdigit('a'));
    static_assert(ctype::tolower('Q') == 'q' && ctype::toupper('q') == 'Q');
    static_assert(ctype::hex_to_bin('F') == 15);
    static_assert(!ctype::isspace(char(0xa0)));  // Latin-1 NBSP: ASCII only
    // The C library's functions stay reachable beside ours.
    EXPECT_TRUE(::isdigit('5'));
}

}  // namespace
