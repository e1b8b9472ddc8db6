// Host build of the IRQ-flag layer: a user process has no interrupts to mask, so
// the kernel's locking code runs unchanged in host unit tests.
#pragma once

static inline unsigned long arch_local_save_flags() { return 0; }
static inline void arch_local_irq_disable() {}
static inline void arch_local_irq_enable() {}
static inline unsigned long arch_local_irq_save() { return 0; }
static inline void arch_local_irq_restore(unsigned long) {}
static inline bool arch_irqs_disabled() { return false; }
