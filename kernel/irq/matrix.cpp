#include <kernel/irq/matrix.h>
#include <uapi/asm/errno.h>

void irq_matrix_init(irq_matrix* m, unsigned begin, unsigned end) {
    bitmap_zero(m->used, NR_VECTORS);
    m->begin = begin;
    m->end = end;
}

bool irq_matrix_reserve(irq_matrix* m, unsigned vector) {
    if (vector >= NR_VECTORS) return false;
    return !__test_and_set_bit(vector, m->used);
}

int irq_matrix_alloc(irq_matrix* m) {
    // The least-used priority class first, the lowest free vector in it.
    int best = -ENOSPC;
    unsigned best_used = 17;
    for (unsigned cls = m->begin / 16; cls * 16 < m->end; cls++) {
        unsigned lo = cls * 16 < m->begin ? m->begin : cls * 16;
        unsigned hi = cls * 16 + 16 > m->end ? m->end : cls * 16 + 16;
        unsigned used = 0;
        int first_free = -1;
        for (unsigned v = lo; v < hi; v++) {
            if (test_bit(v, m->used)) used++;
            else if (first_free < 0) first_free = int(v);
        }
        if (first_free >= 0 && used < best_used) {
            best = first_free;
            best_used = used;
        }
    }
    if (best >= 0) __set_bit(unsigned(best), m->used);
    return best;
}

void irq_matrix_free(irq_matrix* m, unsigned vector) {
    if (vector >= m->begin && vector < m->end) __clear_bit(vector, m->used);
}

unsigned irq_matrix_allocated(const irq_matrix* m) {
    unsigned n = 0;
    for (unsigned v = m->begin; v < m->end; v++) n += test_bit(v, m->used);
    return n;
}
