// /proc/devices (Linux's fs/proc/devices.c): the registered character device
// majors (fs/char_dev.cpp), then the block devices, of which Keel has none.
#include "internal.h"
#include <keel/init.h>

namespace {

int devinfo_show(seq_file* m, void*) {
    seq_puts(m, "Character devices:\n");
    seq_print_with(m, [](char* buf, size_t size) { return show_chrdevs(buf, size); });
    seq_puts(m, "\nBlock devices:\n");
    return 0;
}

int proc_devices_init() {
    proc_create_single("devices", 0, nullptr, devinfo_show);
    return 0;
}
fs_initcall(proc_devices_init);

}  // namespace
