// System-wide page counts by kind (Linux's node_stat_item counters, one node):
// pages in the page cache, and of those the shmem/tmpfs ones. Kept by the page
// cache (mm/filemap.cpp), read by /proc/meminfo.
#pragma once
#include <keel/atomic.h>

enum node_stat_item { NR_FILE_PAGES, NR_SHMEM, NR_VM_NODE_STAT_ITEMS };

extern Atomic<long> vm_node_stat[NR_VM_NODE_STAT_ITEMS];  // mm/vmstat.cpp

static inline void mod_node_page_state(node_stat_item item, long delta) {
    vm_node_stat[item].fetch_add(delta, memory_order::relaxed);
}
static inline unsigned long global_node_page_state(node_stat_item item) {
    long v = vm_node_stat[item].load(memory_order::relaxed);
    return v < 0 ? 0 : (unsigned long)v;  // racing updates may pass below 0 for a moment
}
