// The Interrupt Descriptor Table: one gate per vector, each pointing at its stub
// in entry_64.S. All gates are interrupt gates (IF cleared on entry). #BP and
// #OF may be raised from user mode (int3, into), so their gates have DPL 3.
// Exceptions that can strike on a bad stack get known-good IST stacks.
#include <asm/desc.h>
#include <asm/segment.h>
#include <asm/traps.h>

namespace {

struct [[gnu::packed]] gate_desc {
    u16 offset_low;
    u16 segment;
    u8 ist;
    u8 type_attr;  // P | DPL | type (0xE = 64-bit interrupt gate)
    u16 offset_middle;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(gate_desc) == 16);

alignas(16) gate_desc idt_table[256];

void set_gate(unsigned vector, unsigned dpl, unsigned ist) {
    auto addr = reinterpret_cast<u64>(idt_entries_start + vector * 16);
    idt_table[vector] = {u16(addr), __KERNEL_CS, u8(ist), u8(0x8e | (dpl << 5)), u16(addr >> 16),
                         u32(addr >> 32), 0};
}

}  // namespace

void idt_setup_traps() {
    for (unsigned v = 0; v < 256; v++) set_gate(v, 0, 0);
    set_gate(X86_TRAP_BP, 3, 0);
    set_gate(X86_TRAP_OF, 3, 0);
    set_gate(X86_TRAP_DF, 0, IST_INDEX_DF + 1);
    set_gate(X86_TRAP_NMI, 0, IST_INDEX_NMI + 1);
    set_gate(X86_TRAP_DB, 0, IST_INDEX_DB + 1);
    set_gate(X86_TRAP_MC, 0, IST_INDEX_MCE + 1);
    struct [[gnu::packed]] {
        u16 size;
        u64 address;
    } idtr{sizeof(idt_table) - 1, reinterpret_cast<u64>(idt_table)};
    asm volatile("lidt %0" ::"m"(idtr));
}
