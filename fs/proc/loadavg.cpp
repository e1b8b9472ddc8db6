// /proc/loadavg (Linux's fs/proc/loadavg.c): the three load averages with two
// decimals, running/total tasks, and the last PID handed out.
#include "internal.h"
#include <keel/init.h>
#include <keel/kernel_stat.h>
#include <keel/loadavg.h>

namespace {

unsigned nr_threads() {
    unsigned n = 0;
    Guard<IrqSave> guard(tasklist_lock);
    for (list_head* pos = task_list.next; pos != &task_list; pos = pos->next) n++;
    return n;
}

int loadavg_proc_show(seq_file* m, void*) {
    unsigned long avnrun[3];
    get_avenrun(avnrun, FIXED_1 / 200, 0);  // rounds to the nearest hundredth
    seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n", LOAD_INT(avnrun[0]), LOAD_FRAC(avnrun[0]),
               LOAD_INT(avnrun[1]), LOAD_FRAC(avnrun[1]), LOAD_INT(avnrun[2]), LOAD_FRAC(avnrun[2]), nr_running(),
               nr_threads(), __atomic_load_n(&last_pid, __ATOMIC_RELAXED));
    return 0;
}

int proc_loadavg_init() {
    proc_create_single("loadavg", 0, nullptr, loadavg_proc_show);
    return 0;
}
fs_initcall(proc_loadavg_init);

}  // namespace
