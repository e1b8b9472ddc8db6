// /proc/cmdline (Linux's fs/proc/cmdline.c): the kernel command line as the
// boot loader passed it.
#include "internal.h"
#include <keel/init.h>

namespace {

int cmdline_proc_show(seq_file* m, void*) {
    seq_puts(m, boot_command_line);
    seq_putc(m, '\n');
    return 0;
}

int proc_cmdline_init() {
    proc_create_single("cmdline", 0, nullptr, cmdline_proc_show);
    return 0;
}
fs_initcall(proc_cmdline_init);

}  // namespace
