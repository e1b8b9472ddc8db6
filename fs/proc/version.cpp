// /proc/version (Linux's fs/proc/version.c): the banner start_kernel prints.
#include "internal.h"
#include <init/version.h>
#include <keel/init.h>

namespace {

int version_proc_show(seq_file* m, void*) {
    seq_puts(m, linux_banner);
    return 0;
}

int proc_version_init() {
    proc_create_single("version", 0, nullptr, version_proc_show);
    return 0;
}
fs_initcall(proc_version_init);

}  // namespace
