// Run-time tunables (Linux's include/linux/sysctl.h): a subsystem registers a
// table of named values under a path, and each appears as a file in /proc/sys
// (fs/proc/proc_sysctl.cpp) whose reads and writes go through the entry's
// handler:
//
//     static ctl_table vm_table[] = {
//         {.procname = "min_free_kbytes", .data = &min_free_kbytes, .maxlen = sizeof(int),
//          .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO},
//         {},
//     };
//     register_sysctl("vm", vm_table);
#pragma once
#include <keel/fs.h>
#include <keel/types.h>

struct ctl_table;
// Linux's proc_handler: a read (write == 0) fills buffer with at most *lenp
// bytes from *ppos and sets *lenp to the bytes produced; a write parses *lenp
// bytes of buffer (NUL-terminated). Both advance *ppos. 0 or -errno.
using proc_handler = int(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos);

struct ctl_table {
    const char* procname = nullptr;  // nullptr ends a table
    void* data = nullptr;
    int maxlen = 0;  // bytes of data (an int vector's length is maxlen / sizeof(int))
    umode_t mode = 0;
    ::proc_handler* proc_handler = nullptr;
    void* extra1 = nullptr;  // minmax handlers: the lowest allowed value
    void* extra2 = nullptr;  // ... and the highest
};

struct ctl_dir;
struct ctl_table_header;

// Adds table's entries under path ("kernel", "vm", "fs/epoll"), making the
// directories as needed; nullptr when out of memory.
ctl_table_header* register_sysctl(const char* path, ctl_table* table);

// The standard handlers (kernel/sysctl.cpp), Linux's semantics: numbers are
// read as "v1\tv2...\n" and written as whitespace-separated decimals; a
// value out of range or not a number is -EINVAL; writes at a non-zero
// position are ignored (sysctl_writes_strict = 1).
proc_handler proc_dostring;
proc_handler proc_dointvec;
proc_handler proc_dointvec_minmax;  // extra1/extra2: int* bounds (nullptr: none)
proc_handler proc_douintvec;
proc_handler proc_douintvec_minmax;
proc_handler proc_doulongvec_minmax;  // extra1/extra2: unsigned long* bounds

// Common bounds (Linux's SYSCTL_ZERO, SYSCTL_ONE, SYSCTL_INT_MAX).
extern const int sysctl_vals[];
#define SYSCTL_ZERO ((void*)&sysctl_vals[0])
#define SYSCTL_ONE ((void*)&sysctl_vals[1])
#define SYSCTL_INT_MAX ((void*)&sysctl_vals[2])

// The tree /proc/sys shows (fs/proc/proc_sysctl.cpp walks it).
struct ctl_dir {
    const char* name;
    ctl_dir* parent;
    list_head subdirs;  // ctl_dir::sibling
    list_head sibling;
    list_head tables;   // ctl_table_header::node
};
struct ctl_table_header {
    ctl_table* table;
    ctl_dir* dir;
    list_head node;
};
extern ctl_dir sysctl_root;
extern mutex sysctl_lock;  // guards the tree (registration may allocate)
