// The embedded symbol table resolves kernel text addresses to names, as the
// backtraces and %pS rely on.
#include <init/main.h>
#include <kernel/kallsyms.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <tests/kernel/ktest.h>

namespace {

__attribute__((noinline)) int kallsyms_probe_function(int x) { return x * 3 + 1; }

void lookup_by_address(ktest* t) {
    auto addr = reinterpret_cast<unsigned long>(&start_kernel);
    kallsyms_result r;
    KTEST_ASSERT_TRUE(t, kallsyms_lookup(addr + 4, &r));
    KTEST_EXPECT_EQ(t, strcmp(r.name, "start_kernel"), 0);
    KTEST_EXPECT_EQ(t, r.offset, 4ul);
    KTEST_EXPECT_GT(t, r.size, 4ul);
    KTEST_EXPECT_FALSE(t, kallsyms_lookup(0x1000, &r));  // not kernel text
}

void lookup_by_name_round_trips(ktest* t) {
    unsigned long addr = kallsyms_lookup_name("kallsyms_probe_function");
    KTEST_EXPECT_EQ(t, addr, reinterpret_cast<unsigned long>(&kallsyms_probe_function));
    KTEST_EXPECT_EQ(t, kallsyms_lookup_name("no_such_symbol_anywhere"), 0ul);
    KTEST_EXPECT_EQ(t, kallsyms_probe_function(1), 4);
}

void percent_pS_prints_symbol_offset_size(ktest* t) {
    char buf[96];
    snprintf(buf, sizeof(buf), "%pS", reinterpret_cast<void*>(reinterpret_cast<unsigned long>(&start_kernel) + 0x10));
    KTEST_EXPECT_EQ(t, strncmp(buf, "start_kernel+0x10/0x", 20), 0);
    snprintf(buf, sizeof(buf), "%ps", reinterpret_cast<void*>(&start_kernel));
    KTEST_EXPECT_EQ(t, strcmp(buf, "start_kernel"), 0);
}

const ktest_case kallsyms_cases[] = {
    KTEST_CASE(lookup_by_address),
    KTEST_CASE(lookup_by_name_round_trips),
    KTEST_CASE(percent_pS_prints_symbol_offset_size),
    {},
};

}  // namespace

KTEST_SUITE(kallsyms, kallsyms_cases);
