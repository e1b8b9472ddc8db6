// lib/cmdline: the command-line tokenizer (quotes, malformed input), parameter
// name comparison, memparse and the strict kstrto* family with Linux's rules.
// (Keel headers first: uapi/asm/errno.h defines EINVAL etc. as enumerators,
// which must be seen before the C library's errno macros.)
#include <lib/cmdline.h>

#include <gtest/gtest.h>
#include <string>
#include <utility>
#include <vector>

namespace {

using Args = std::vector<std::pair<std::string, std::string>>;
constexpr const char* kNoValue = "<none>";

// Tokenizes a copy of line the way the boot code will: skip leading spaces,
// then next_arg until the end. Bare words get the value "<none>".
Args split(const std::string& line) {
    std::vector<char> buf(line.begin(), line.end());
    buf.push_back('\0');
    Args out;
    char* args = skip_spaces(buf.data());
    int guard = 0;
    while (*args) {
        char *param, *val;
        char* next = next_arg(args, &param, &val);
        EXPECT_GT(next, args) << "no progress";  // must always consume something
        EXPECT_LE(next, buf.data() + line.size());
        out.emplace_back(param, val ? val : kNoValue);
        args = next;
        if (++guard > 10000) {
            ADD_FAILURE() << "next_arg does not terminate";
            break;
        }
    }
    return out;
}

TEST(LibCmdline, SimpleWords) {
    EXPECT_EQ(split("console=ttyS0 quiet loglevel=7"),
              (Args{{"console", "ttyS0"}, {"quiet", kNoValue}, {"loglevel", "7"}}));
}

TEST(LibCmdline, SpacesEverywhere) {
    EXPECT_EQ(split("   a=1 \t\n b   c=  "), (Args{{"a", "1"}, {"b", kNoValue}, {"c", ""}}));
    EXPECT_EQ(split(""), Args{});
    EXPECT_EQ(split("    "), Args{});
}

TEST(LibCmdline, OnlyFirstEqualsSplits) {
    EXPECT_EQ(split("root=LABEL=boot"), (Args{{"root", "LABEL=boot"}}));
    EXPECT_EQ(split("a=="), (Args{{"a", "="}}));
}

TEST(LibCmdline, QuotedValue) {
    EXPECT_EQ(split("init=/bin/sh rdinit=\"/x y\" quiet"),
              (Args{{"init", "/bin/sh"}, {"rdinit", "/x y"}, {"quiet", kNoValue}}));
    EXPECT_EQ(split("a=\"\" b"), (Args{{"a", ""}, {"b", kNoValue}}));
}

TEST(LibCmdline, WholeWordQuoted) {
    EXPECT_EQ(split("\"dyndbg=file a.c +p\" x"),
              (Args{{"dyndbg", "file a.c +p"}, {"x", kNoValue}}));
    EXPECT_EQ(split("\"two words\""), (Args{{"two words", kNoValue}}));
}

TEST(LibCmdline, QuoteInsideValueKeepsSpaces) {
    // Linux keeps inner quotes; they only protect the spaces.
    EXPECT_EQ(split("a=x\"y z\" b"), (Args{{"a", "x\"y z\""}, {"b", kNoValue}}));
}

TEST(LibCmdline, MalformedInputDoesNotCrash) {
    EXPECT_EQ(split("=value"), (Args{{"=value", kNoValue}}));  // no empty names
    EXPECT_EQ(split("=a=b"), (Args{{"=a", "b"}}));
    EXPECT_EQ(split("="), (Args{{"=", kNoValue}}));
    EXPECT_EQ(split("\""), (Args{{"", kNoValue}}));
    EXPECT_EQ(split("\"\""), (Args{{"", kNoValue}}));
    EXPECT_EQ(split("a=\"unterminated and more"), (Args{{"a", "unterminated and more"}}));
    EXPECT_EQ(split("\"open=quote to end"), (Args{{"open", "quote to end"}}));
    EXPECT_EQ(split("a=\""), (Args{{"a", ""}}));
    EXPECT_EQ(split("x \"  "), (Args{{"x", kNoValue}, {"  ", kNoValue}}));
    // Random bytes, including high ones, must terminate and not crash.
    std::string junk;
    for (int i = 1; i < 256; i++) junk.push_back(char(i));
    junk += junk;
    EXPECT_FALSE(split(junk).empty());
}

TEST(LibCmdline, VeryLongWords) {
    std::string name(100000, 'n');
    std::string value(100000, 'v');
    Args a = split(name + "=" + value + " tail");
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].first, name);
    EXPECT_EQ(a[0].second, value);
    EXPECT_EQ(a[1].first, "tail");
}

TEST(LibCmdline, NextArgReturnsPastTrailingSpaces) {
    char buf[] = "a=1   ";
    char *param, *val;
    char* next = next_arg(buf, &param, &val);
    EXPECT_EQ(*next, '\0');
    EXPECT_STREQ(param, "a");
    EXPECT_STREQ(val, "1");
}

TEST(LibCmdline, Parameq) {
    EXPECT_TRUE(parameq("log_buf_len", "log-buf-len"));
    EXPECT_TRUE(parameq("a-b_c", "a_b-c"));
    EXPECT_TRUE(parameq("", ""));
    EXPECT_FALSE(parameq("abc", "abd"));
    EXPECT_FALSE(parameq("abc", "ab"));
    EXPECT_FALSE(parameq("ab", "abc"));
    EXPECT_FALSE(parameq("a.b", "a_b"));
    EXPECT_TRUE(parameqn("console=tty", "console", 7));
    EXPECT_FALSE(parameqn("consolx", "console", 7));
    EXPECT_TRUE(parameqn("x", "y", 0));
    EXPECT_TRUE(parameqn("ab", "ab", 10));  // ends together before n
    EXPECT_FALSE(parameqn("ab", "abc", 10));
}

TEST(LibCmdline, SimpleStrtoull) {
    char* end;
    EXPECT_EQ(simple_strtoull("123abc", &end, 0), 123ULL);
    EXPECT_STREQ(end, "abc");
    EXPECT_EQ(simple_strtoull("0x1fZ", &end, 0), 0x1fULL);
    EXPECT_STREQ(end, "Z");
    EXPECT_EQ(simple_strtoull("0755", &end, 0), 0755ULL);
    EXPECT_EQ(simple_strtoull("0x", &end, 0), 0ULL);  // "0x" without digits: octal 0
    EXPECT_STREQ(end, "x");
    EXPECT_EQ(simple_strtoull("ff", &end, 16), 0xffULL);
    EXPECT_EQ(simple_strtoull("0XfF", nullptr, 16), 0xffULL);
    EXPECT_EQ(simple_strtoull("", &end, 0), 0ULL);
    EXPECT_EQ(simple_strtoull("1012", &end, 2), 5ULL);
    EXPECT_STREQ(end, "2");
}

TEST(LibCmdline, Memparse) {
    char* end;
    EXPECT_EQ(memparse("64M", &end), 64ULL << 20);
    EXPECT_EQ(*end, '\0');
    EXPECT_EQ(memparse("4k", nullptr), 4096ULL);
    EXPECT_EQ(memparse("1G@16M", &end), 1ULL << 30);
    EXPECT_STREQ(end, "@16M");
    EXPECT_EQ(memparse("2T", nullptr), 2ULL << 40);
    EXPECT_EQ(memparse("3p", nullptr), 3ULL << 50);
    EXPECT_EQ(memparse("1E", nullptr), 1ULL << 60);
    EXPECT_EQ(memparse("0x1000", &end), 0x1000ULL);
    EXPECT_EQ(*end, '\0');
    EXPECT_EQ(memparse("0x10K", nullptr), 0x4000ULL);
    EXPECT_EQ(memparse("12345", nullptr), 12345ULL);
    EXPECT_EQ(memparse("7X", &end), 7ULL);  // unknown suffix is left in place
    EXPECT_STREQ(end, "X");
    EXPECT_EQ(memparse("", &end), 0ULL);
    EXPECT_EQ(memparse("K", &end), 0ULL);  // no digits, suffix still consumed
    EXPECT_EQ(*end, '\0');
    EXPECT_EQ(memparse("16E", nullptr), ~0ULL);  // 2^64 saturates
    EXPECT_EQ(memparse("15E", nullptr), 15ULL << 60);
    EXPECT_EQ(memparse("99999999999999999999999", nullptr) != 0, true);
}

TEST(LibCmdline, KstrtoullBasics) {
    auto ok = [](const char* s, unsigned base) {
        auto r = kstrtoull(s, base);
        EXPECT_FALSE(r.is_error()) << s << " errno " << r.error();
        return r.value();
    };
    auto err = [](const char* s, unsigned base) {
        auto r = kstrtoull(s, base);
        EXPECT_TRUE(r.is_error()) << s;
        return r.error();
    };
    EXPECT_EQ(ok("0", 10), 0ULL);
    EXPECT_EQ(ok("42", 10), 42ULL);
    EXPECT_EQ(ok("42\n", 10), 42ULL);  // one trailing newline is fine
    EXPECT_EQ(ok("+42", 10), 42ULL);
    EXPECT_EQ(ok("0x2A", 0), 42ULL);
    EXPECT_EQ(ok("0X2a", 0), 42ULL);
    EXPECT_EQ(ok("052", 0), 42ULL);
    EXPECT_EQ(ok("42", 0), 42ULL);
    EXPECT_EQ(ok("0x2a", 16), 42ULL);
    EXPECT_EQ(ok("2a", 16), 42ULL);
    EXPECT_EQ(ok("101010", 2), 42ULL);
    EXPECT_EQ(ok("18446744073709551615", 10), ~0ULL);
    EXPECT_EQ(ok("0xffffffffffffffff", 0), ~0ULL);
    EXPECT_EQ(ok("01777777777777777777777", 0), ~0ULL);
    EXPECT_EQ(ok("00000000000000000000000000042", 10), 42ULL);

    EXPECT_EQ(err("18446744073709551616", 10), ERANGE);
    EXPECT_EQ(err("0x10000000000000000", 0), ERANGE);
    EXPECT_EQ(err("99999999999999999999999999", 10), ERANGE);
    EXPECT_EQ(err("", 10), EINVAL);
    EXPECT_EQ(err("\n", 10), EINVAL);
    EXPECT_EQ(err("42\n\n", 10), EINVAL);
    EXPECT_EQ(err("42 ", 10), EINVAL);
    EXPECT_EQ(err(" 42", 10), EINVAL);
    EXPECT_EQ(err("4x2", 10), EINVAL);
    EXPECT_EQ(err("-1", 10), EINVAL);
    EXPECT_EQ(err("++1", 10), EINVAL);
    EXPECT_EQ(err("0x", 0), EINVAL);
    EXPECT_EQ(err("0x", 16), EINVAL);
    EXPECT_EQ(err("08", 0), EINVAL);  // octal has no 8
    EXPECT_EQ(err("2a", 10), EINVAL);
    EXPECT_EQ(err("12", 2), EINVAL);
    EXPECT_EQ(err("1", 1), EINVAL);   // bad bases
    EXPECT_EQ(err("1", 17), EINVAL);
    EXPECT_EQ(err(nullptr, 10), EINVAL);
}

TEST(LibCmdline, KstrtollSigned) {
    auto ok = [](const char* s, unsigned base) {
        auto r = kstrtoll(s, base);
        EXPECT_FALSE(r.is_error()) << s << " errno " << r.error();
        return r.value();
    };
    auto err = [](const char* s, unsigned base) {
        auto r = kstrtoll(s, base);
        EXPECT_TRUE(r.is_error()) << s;
        return r.error();
    };
    EXPECT_EQ(ok("-42", 10), -42LL);
    EXPECT_EQ(ok("+42", 10), 42LL);
    EXPECT_EQ(ok("-0", 10), 0LL);
    EXPECT_EQ(ok("-0x10", 0), -16LL);
    EXPECT_EQ(ok("9223372036854775807", 10), 9223372036854775807LL);
    EXPECT_EQ(ok("-9223372036854775808", 10), -9223372036854775807LL - 1);
    EXPECT_EQ(ok("-9223372036854775808\n", 10), -9223372036854775807LL - 1);
    EXPECT_EQ(err("9223372036854775808", 10), ERANGE);
    EXPECT_EQ(err("-9223372036854775809", 10), ERANGE);
    EXPECT_EQ(err("-18446744073709551616", 10), ERANGE);
    EXPECT_EQ(err("--1", 10), EINVAL);
    EXPECT_EQ(err("-+1", 10), EINVAL);
    EXPECT_EQ(err("+-1", 10), EINVAL);
    EXPECT_EQ(err("-", 10), EINVAL);
    EXPECT_EQ(err("- 1", 10), EINVAL);
    EXPECT_EQ(err(nullptr, 10), EINVAL);

    auto l = kstrtol("-123", 10);
    ASSERT_FALSE(l.is_error());
    EXPECT_EQ(l.value(), -123L);
    auto ul = kstrtoul("0x7fffffffffffffff", 0);
    ASSERT_FALSE(ul.is_error());
    EXPECT_EQ(ul.value(), 0x7fffffffffffffffUL);
}

TEST(LibCmdline, KstrtointRange) {
    EXPECT_EQ(kstrtoint("2147483647", 10).value(), 2147483647);
    EXPECT_EQ(kstrtoint("-2147483648", 10).value(), -2147483647 - 1);
    EXPECT_EQ(kstrtoint("2147483648", 10).error(), ERANGE);
    EXPECT_EQ(kstrtoint("-2147483649", 10).error(), ERANGE);
    EXPECT_EQ(kstrtoint("99999999999999999999", 10).error(), ERANGE);
    EXPECT_EQ(kstrtoint("12abc", 10).error(), EINVAL);
    EXPECT_EQ(kstrtoint("0x7fffffff", 0).value(), 0x7fffffff);
    EXPECT_EQ(kstrtouint("4294967295", 10).value(), 4294967295u);
    EXPECT_EQ(kstrtouint("4294967296", 10).error(), ERANGE);
    EXPECT_EQ(kstrtouint("-1", 10).error(), EINVAL);
}

TEST(LibCmdline, Kstrtobool) {
    for (const char* s : {"1", "y", "Y", "yes", "t", "true", "T", "on", "ON", "oN\n", "1junk"}) {
        auto r = kstrtobool(s);
        ASSERT_FALSE(r.is_error()) << s;
        EXPECT_TRUE(r.value()) << s;
    }
    for (const char* s : {"0", "n", "N", "no", "f", "false", "F", "off", "OFF", "of"}) {
        auto r = kstrtobool(s);
        ASSERT_FALSE(r.is_error()) << s;
        EXPECT_FALSE(r.value()) << s;
    }
    for (const char* s : {"", "o", "ox", "2", "maybe", " 1", "-1", "\n"}) {
        auto r = kstrtobool(s);
        EXPECT_TRUE(r.is_error()) << s;
        EXPECT_EQ(r.error(), EINVAL) << s;
    }
    EXPECT_EQ(kstrtobool(nullptr).error(), EINVAL);
}

}  // namespace
