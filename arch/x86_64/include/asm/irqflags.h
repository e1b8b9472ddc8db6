// Local interrupt flag: the lowest layer under spinlocks' IRQ-saving guards.
#pragma once

static inline unsigned long arch_local_save_flags() {
    unsigned long flags;
    asm volatile("pushf; pop %0" : "=rm"(flags)::"memory");
    return flags;
}
static inline void arch_local_irq_disable() { asm volatile("cli" ::: "memory"); }
static inline void arch_local_irq_enable() { asm volatile("sti" ::: "memory"); }
static inline unsigned long arch_local_irq_save() {
    unsigned long flags = arch_local_save_flags();
    arch_local_irq_disable();
    return flags;
}
static inline void arch_local_irq_restore(unsigned long flags) {
    if (flags & (1ul << 9)) arch_local_irq_enable();  // X86_EFLAGS_IF
}
static inline bool arch_irqs_disabled() { return !(arch_local_save_flags() & (1ul << 9)); }
