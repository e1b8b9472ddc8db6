// /proc/slabinfo (Linux's mm/slab_common.c): version 2.1 as mm/slab_common.cpp
// formats it; readable by root only, as in Linux.
#include "internal.h"
#include <keel/init.h>
#include <mm/slab.h>

namespace {

int slabinfo_proc_show(seq_file* m, void*) {
    seq_print_with(m, [](char* buf, size_t size) { return slabinfo_show(buf, size); });
    return 0;
}

int proc_slabinfo_init() {
    proc_create_single("slabinfo", 0400, nullptr, slabinfo_proc_show);
    return 0;
}
fs_initcall(proc_slabinfo_init);

}  // namespace
