// ktest: Keel's in-kernel test framework, after Linux's KUnit. Suites are linked
// into every kernel and run only when the command line says `ktest=all` or
// `ktest=<suite>[,<suite>...]`; results are printed as TAP (KTAP) on the console
// and the machine powers off so the harness can read them.
//
//     static void alloc_and_free(ktest* t) { KTEST_EXPECT_NE(t, p, nullptr); }
//     static const ktest_case buddy_cases[] = {KTEST_CASE(alloc_and_free), {}};
//     KTEST_SUITE(buddy, buddy_cases);
#pragma once
#include <keel/compiler.h>
#include <keel/printk.h>

struct ktest {
    const char* name;
    bool failed;
};

struct ktest_case {
    const char* name;
    void (*run)(ktest* t);
};

struct ktest_suite {
    const char* name;
    const ktest_case* cases;  // terminated by an entry with run == nullptr
};

#define KTEST_CASE(fn) ktest_case{#fn, fn}
#define KTEST_SUITE(suite, case_array)                                                  \
    static const ktest_suite __ktest_suite_##suite __used __section(".ktest_suites")   \
        __aligned(8) = {#suite, case_array}

extern const ktest_suite __ktest_suites_start[], __ktest_suites_end[];

void ktest_fail(ktest* t, const char* file, int line, const char* fmt, ...) __printf(4, 5);
// Runs the suites the command line asked for, prints TAP and powers off. Never
// returns when ktest= was given.
void ktest_run_requested();

#define KTEST_EXPECT_TRUE(t, cond)                                                      \
    do {                                                                                \
        if (!(cond)) ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond);          \
    } while (0)
#define KTEST_EXPECT_FALSE(t, cond) KTEST_EXPECT_TRUE(t, !(cond))
#define KTEST_EXPECT_OP(t, a, op, b)                                                    \
    do {                                                                                \
        auto _a = (a);                                                                  \
        auto _b = (b);                                                                  \
        if (!(_a op _b))                                                                \
            ktest_fail(t, __FILE__, __LINE__, "expected %s %s %s (0x%lx vs 0x%lx)", #a, \
                       #op, #b, (unsigned long)_a, (unsigned long)_b);                  \
    } while (0)
#define KTEST_EXPECT_EQ(t, a, b) KTEST_EXPECT_OP(t, a, ==, b)
#define KTEST_EXPECT_NE(t, a, b) KTEST_EXPECT_OP(t, a, !=, b)
#define KTEST_EXPECT_LT(t, a, b) KTEST_EXPECT_OP(t, a, <, b)
#define KTEST_EXPECT_LE(t, a, b) KTEST_EXPECT_OP(t, a, <=, b)
#define KTEST_EXPECT_GT(t, a, b) KTEST_EXPECT_OP(t, a, >, b)
#define KTEST_EXPECT_GE(t, a, b) KTEST_EXPECT_OP(t, a, >=, b)
// Stops the case: the rest of it depends on this holding.
#define KTEST_ASSERT_TRUE(t, cond)                                                      \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            ktest_fail(t, __FILE__, __LINE__, "assertion %s failed", #cond);           \
            return;                                                                     \
        }                                                                               \
    } while (0)

// Until start_kernel has started the clocks (time_init), timed waits never
// end: a case that sleeps or waits with a timeout calls this first, and
// reports `# SKIP` (returning false) instead of hanging.
bool ktest_clocks_running(ktest* t);
