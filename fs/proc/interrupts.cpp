// /proc/interrupts and /proc/softirqs (Linux's fs/proc/interrupts.c and
// softirqs.c): the tables kernel/irq/proc.cpp and kernel/softirq.cpp format,
// for the online CPUs and every possible CPU respectively, as Linux shows them.
#include "internal.h"
#include <keel/init.h>
#include <keel/interrupt.h>
#include <keel/irqdesc.h>
#include <keel/smp.h>

namespace {

int interrupts_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return show_interrupts(buf, size, cpu_online_mask); });
    return 0;
}

int softirqs_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return show_softirqs(buf, size, cpu_possible_mask); });
    return 0;
}

int proc_interrupts_init() {
    proc_create_single("interrupts", 0, nullptr, interrupts_show);
    proc_create_single("softirqs", 0, nullptr, softirqs_show);
    return 0;
}
fs_initcall(proc_interrupts_init);

}  // namespace
