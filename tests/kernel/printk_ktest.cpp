// printk's log buffer: records keep their text and level, pr_cont pieces join
// one line, and the dmesg-format reader returns the newest lines when the
// buffer it is given is too small.
#include <keel/printk.h>
#include <kernel/printk/printk.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <tests/kernel/ktest.h>

namespace {

constexpr size_t DUMP = 128 * 1024;

void records_are_read_back_as_dmesg(ktest* t) {
    printk(KERN_DEBUG "ktest-printk: marker %d\n", 1234);
    auto* buf = static_cast<char*>(kmalloc(DUMP, GFP_KERNEL));
    KTEST_ASSERT_TRUE(t, buf != nullptr);
    size_t n = log_buf_read_all(buf, DUMP);
    KTEST_EXPECT_GT(t, n, 0ul);
    KTEST_EXPECT_TRUE(t, strstr(buf, "] ktest-printk: marker 1234\n"));
    KTEST_EXPECT_TRUE(t, strstr(buf, "] Keel version "));  // the banner survived setup_log_buf
    kfree(buf);
}

void continuation_joins_one_line(ktest* t) {
    printk(KERN_INFO "ktest-printk: a");
    pr_cont("b");
    pr_cont("c\n");
    auto* buf = static_cast<char*>(kmalloc(DUMP, GFP_KERNEL));
    KTEST_ASSERT_TRUE(t, buf != nullptr);
    log_buf_read_all(buf, DUMP);
    KTEST_EXPECT_TRUE(t, strstr(buf, "] ktest-printk: abc\n"));
    kfree(buf);
}

void small_reader_gets_newest_lines(ktest* t) {
    printk(KERN_DEBUG "ktest-printk: newest\n");
    char buf[80];
    size_t n = log_buf_read_all(buf, sizeof(buf));
    KTEST_EXPECT_LT(t, n, sizeof(buf));
    KTEST_EXPECT_TRUE(t, strstr(buf, "ktest-printk: newest\n"));
    KTEST_EXPECT_EQ(t, buf[0], '[');  // whole lines only
}

const ktest_case printk_cases[] = {
    KTEST_CASE(records_are_read_back_as_dmesg),
    KTEST_CASE(continuation_joins_one_line),
    KTEST_CASE(small_reader_gets_newest_lines),
    {},
};

}  // namespace

KTEST_SUITE(printk, printk_cases);
