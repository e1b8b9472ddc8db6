// The vector allocator (Linux's irq_matrix, kernel/irq/matrix.c). Linux keeps a
// bitmap per CPU so the same vector can serve different IRQs on different CPUs;
// Keel routes every device IRQ to the boot CPU, so one system-wide bitmap of
// the 256 IDT vectors is enough. Vectors outside [begin, end) and reserved ones
// (system vectors, the fixed ISA vectors) are never handed out.
#pragma once
#include <asm/irq_vectors.h>
#include <lib/bitmap.h>

struct irq_matrix {
    DECLARE_BITMAP(used, NR_VECTORS);
    unsigned begin;
    unsigned end;
};

void irq_matrix_init(irq_matrix* m, unsigned begin, unsigned end);
// Takes a specific vector (a fixed one). False if it is taken already.
bool irq_matrix_reserve(irq_matrix* m, unsigned vector);
// Hands out a free vector, spreading successive ones over the APIC's priority
// classes (vector / 16), so no class fills while others are empty; -ENOSPC when
// the range is exhausted.
int irq_matrix_alloc(irq_matrix* m);
void irq_matrix_free(irq_matrix* m, unsigned vector);
unsigned irq_matrix_allocated(const irq_matrix* m);
