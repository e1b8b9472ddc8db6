// /proc/version (Linux's fs/proc/version.c): the uname strings in the banner's
// shape, "Linux version RELEASE (root@keel) (COMPILER) VERSION", so tools that
// parse it find the same release and version as uname(2) reports.
#include "internal.h"
#include <keel/init.h>
#include <keel/utsname.h>

namespace {

int version_proc_show(seq_file* m, void*) {
    seq_printf(m, "%s version %s (root@keel) (%s, GNU ld) %s\n", UTS_SYSNAME, UTS_RELEASE, KEEL_COMPILER, UTS_VERSION);
    return 0;
}

int proc_version_init() {
    proc_create_single("version", 0, nullptr, version_proc_show);
    return 0;
}
fs_initcall(proc_version_init);

}  // namespace
