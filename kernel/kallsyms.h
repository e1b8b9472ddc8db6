// The kernel's symbol table, embedded by the build (scripts/kallsyms), for
// backtraces and printk's %pS.
#pragma once
#include <stddef.h>

struct kallsyms_result {
    const char* name;
    unsigned long offset;  // from the symbol's start
    unsigned long size;    // distance to the next symbol
};

// Finds the text symbol containing addr; false when addr is outside kernel text.
bool kallsyms_lookup(unsigned long addr, kallsyms_result* result);
// Address of a symbol by name, 0 if unknown.
unsigned long kallsyms_lookup_name(const char* name);
// The index-th symbol in address order (for /proc/kallsyms); false past the last.
bool kallsyms_symbol(unsigned long index, unsigned long* addr, char* type, const char** name);
void kallsyms_init();
