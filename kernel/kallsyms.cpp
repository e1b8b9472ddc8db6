// Symbol lookup over the table scripts/kallsyms generates: a binary search in the
// sorted address array gives the symbol at or below an address.
#include <asm/sections.h>
#include <keel/types.h>
#include <kernel/kallsyms.h>
#include <lib/string.h>
#include <lib/vsprintf.h>

extern "C" {
extern const u64 kallsyms_num_syms;
extern const u64 kallsyms_addresses[];
extern const u32 kallsyms_offsets[];
extern const char kallsyms_names[];
extern const char kallsyms_types[];
}

bool kallsyms_lookup(unsigned long addr, kallsyms_result* result) {
    u64 n = kallsyms_num_syms;
    if (n == 0 || addr < kallsyms_addresses[0] || addr >= reinterpret_cast<unsigned long>(_etext))
        return false;
    u64 lo = 0, hi = n;  // find the last symbol with address <= addr
    while (hi - lo > 1) {
        u64 mid = (lo + hi) / 2;
        if (kallsyms_addresses[mid] <= addr) lo = mid;
        else hi = mid;
    }
    // Aliases share an address: report the first name, like Linux.
    while (lo > 0 && kallsyms_addresses[lo - 1] == kallsyms_addresses[lo]) lo--;
    u64 next = lo + 1;
    while (next < n && kallsyms_addresses[next] == kallsyms_addresses[lo]) next++;
    unsigned long end = next < n ? kallsyms_addresses[next] : reinterpret_cast<unsigned long>(_etext);
    result->name = kallsyms_names + kallsyms_offsets[lo];
    result->offset = addr - kallsyms_addresses[lo];
    result->size = end - kallsyms_addresses[lo];
    return true;
}

unsigned long kallsyms_lookup_name(const char* name) {
    for (u64 i = 0; i < kallsyms_num_syms; i++)
        if (strcmp(kallsyms_names + kallsyms_offsets[i], name) == 0) return kallsyms_addresses[i];
    return 0;
}

static int sprint_symbol(unsigned long addr, bool with_offset, char* buf, size_t size) {
    kallsyms_result sym;
    if (!kallsyms_lookup(addr, &sym)) return 0;
    if (!with_offset) return scnprintf(buf, size, "%s", sym.name);
    return scnprintf(buf, size, "%s+0x%lx/0x%lx", sym.name, sym.offset, sym.size);
}

bool kallsyms_symbol(unsigned long index, unsigned long* addr, char* type, const char** name) {
    if (index >= kallsyms_num_syms) return false;
    *addr = kallsyms_addresses[index];
    *type = kallsyms_types[index];
    *name = kallsyms_names + kallsyms_offsets[index];
    return true;
}

void kallsyms_init() { vsprintf_symbol_lookup = sprint_symbol; }
