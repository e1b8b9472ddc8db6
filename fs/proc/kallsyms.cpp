// /proc/kallsyms (Linux's kernel/kallsyms.c s_show): "address type name", one
// symbol per record. Only root sees the addresses (Linux's kallsyms_show_value
// with kptr_restrict=1); others see zeros.
#include "internal.h"
#include <keel/init.h>
#include <kernel/kallsyms.h>

namespace {

struct kallsym_iter {
    unsigned long addr;
    char type;
    const char* name;
    bool show_value;
};

void* s_start(seq_file* m, loff_t* pos) {
    auto* iter = static_cast<kallsym_iter*>(m->private_data);
    if (*pos == 0) iter->show_value = capable_of(current_cred());
    return kallsyms_symbol((unsigned long)*pos, &iter->addr, &iter->type, &iter->name) ? iter : nullptr;
}

void* s_next(seq_file* m, void*, loff_t* pos) {
    ++*pos;
    return s_start(m, pos);
}

void s_stop(seq_file*, void*) {}

int s_show(seq_file* m, void* v) {
    auto* iter = static_cast<kallsym_iter*>(v);
    seq_printf(m, "%016lx %c %s\n", iter->show_value ? iter->addr : 0ul, iter->type, iter->name);
    return 0;
}

const seq_operations kallsyms_op = {.start = s_start, .stop = s_stop, .next = s_next, .show = s_show};

int kallsyms_init_proc() {
    proc_create_seq_private("kallsyms", 0444, nullptr, &kallsyms_op, sizeof(kallsym_iter), nullptr);
    return 0;
}
fs_initcall(kallsyms_init_proc);

}  // namespace
