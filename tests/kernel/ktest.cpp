// The ktest runner: picks the suites named by ktest=, runs every case, prints
// KTAP (the format Linux's KUnit prints, which its tooling parses) and powers
// the machine off. A failing case prints the file, line and values that broke.
#include <asm/reboot.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <keel/tick.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <tests/kernel/ktest.h>

namespace {

const char* ktest_filter;  // "all" or "suite1,suite2"

int ktest_setup(const char* val) {
    if (!val || !*val) return -EINVAL;
    ktest_filter = val;
    return 0;
}

bool suite_selected(const char* name) {
    if (strcmp(ktest_filter, "all") == 0) return true;
    size_t len = strlen(name);
    for (const char* p = ktest_filter; *p;) {
        const char* comma = strchr(p, ',');
        size_t n = comma ? size_t(comma - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0) return true;
        if (!comma) break;
        p = comma + 1;
    }
    return false;
}

// Returns whether every case passed.
bool run_suite(const ktest_suite& suite, int number) {
    int nr_cases = 0;
    while (suite.cases[nr_cases].run) nr_cases++;
    printk(KERN_INFO "    KTAP version 1\n");
    printk(KERN_INFO "    # Subtest: %s\n", suite.name);
    printk(KERN_INFO "    1..%d\n", nr_cases);
    int failed = 0;
    for (int i = 0; i < nr_cases; i++) {
        ktest t{suite.cases[i].name, false};
        suite.cases[i].run(&t);
        failed += t.failed;
        printk(KERN_INFO "    %s %d %s\n", t.failed ? "not ok" : "ok", i + 1, t.name);
    }
    printk(KERN_INFO "%s %d %s\n", failed ? "not ok" : "ok", number, suite.name);
    return failed == 0;
}

}  // namespace

__setup("ktest=", ktest_setup);

void ktest_fail(ktest* t, const char* file, int line, const char* fmt, ...) {
    char msg[256];
    va_list args;
    va_start(args, fmt);
    vscnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    t->failed = true;
    printk(KERN_INFO "    # %s: %s:%d: %s\n", t->name, file, line, msg);
}

void ktest_run_requested() {
    if (!ktest_filter) return;
    int selected = 0;
    for (auto* s = __ktest_suites_start; s < __ktest_suites_end; s++) selected += suite_selected(s->name);
    printk(KERN_INFO "KTAP version 1\n");
    printk(KERN_INFO "1..%d\n", selected);
    int number = 0, passed = 0;
    for (auto* s = __ktest_suites_start; s < __ktest_suites_end; s++)
        if (suite_selected(s->name)) passed += run_suite(*s, ++number);
    if (selected == 0) printk(KERN_ERR "# ktest: no suite matches ktest=%s\n", ktest_filter);
    printk(KERN_INFO "# ktest: %d suites, %d passed, %d failed\n", selected, passed, selected - passed);
    machine_power_off();
}

bool ktest_clocks_running(ktest* t) {
    if (tick_get_device(smp_processor_id())->evtdev) return true;
    printk(KERN_INFO "    # SKIP %s: no tick device (time_init not called)\n", t->name);
    return false;
}
