// `irqdump` on the command line: /proc/interrupts and /proc/softirqs printed to
// the log at the end of boot, for inspection before procfs exists.
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/printk.h>
#include <lib/cpumask.h>
#include <lib/string.h>

namespace {

bool irqdump_requested;

int irqdump_setup(const char*) {
    irqdump_requested = true;
    return 0;
}

// printk takes a line at a time; the tables are printed line by line.
void print_lines(char* buf) {
    for (char* line = buf; *line;) {
        char* nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        printk(KERN_INFO "%s\n", line);
        if (!nl) break;
        line = nl + 1;
    }
}

}  // namespace

__setup("irqdump", irqdump_setup);

void irqdump_if_requested() {
    if (!irqdump_requested) return;
    static char buf[16384];
    show_interrupts(buf, sizeof(buf), cpu_online_mask);
    print_lines(buf);
    show_softirqs(buf, sizeof(buf), cpu_possible_mask);
    print_lines(buf);
}
