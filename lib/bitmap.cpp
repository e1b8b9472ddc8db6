// Word-at-a-time bitmap searches and range operations. Each loop handles a
// partial first word, then whole words, then a partial last word; masks built
// from BITMAP_FIRST/LAST_WORD_MASK keep bits outside the range out of play.
#include <lib/bitmap.h>

namespace {

// Bits [start % BITS_PER_LONG, BITS_PER_LONG) of a word.
constexpr unsigned long first_word_mask(unsigned long start) {
    return ~0UL << (start % BITS_PER_LONG);
}

// Bits [0, nbits % BITS_PER_LONG) of a word, or the whole word when nbits is a
// multiple of BITS_PER_LONG: the valid bits of the last word of an nbits map.
constexpr unsigned long last_word_mask(unsigned long nbits) {
    return ~0UL >> (-nbits % BITS_PER_LONG);
}

// Shared by find_next_bit and find_next_zero_bit: `invert` flips every word
// read, so searching for a zero becomes searching for a one.
unsigned long find_next(const unsigned long* addr, unsigned long size, unsigned long offset,
                        unsigned long invert) {
    if (offset >= size) return size;
    unsigned long word = (addr[BIT_WORD(offset)] ^ invert) & first_word_mask(offset);
    unsigned long base = offset - offset % BITS_PER_LONG;
    while (!word) {
        base += BITS_PER_LONG;
        if (base >= size) return size;
        word = addr[base / BITS_PER_LONG] ^ invert;
    }
    unsigned long found = base + __builtin_ctzl(word);
    return found < size ? found : size;  // the hit may lie in the last word's tail
}

}  // namespace

unsigned long find_next_bit(const unsigned long* addr, unsigned long size, unsigned long offset) {
    return find_next(addr, size, offset, 0);
}

unsigned long find_next_zero_bit(const unsigned long* addr, unsigned long size,
                                 unsigned long offset) {
    return find_next(addr, size, offset, ~0UL);
}

unsigned long find_last_bit(const unsigned long* addr, unsigned long size) {
    if (!size) return size;
    unsigned long idx = BIT_WORD(size - 1);
    unsigned long word = addr[idx] & last_word_mask(size);
    for (;;) {
        if (word) return idx * BITS_PER_LONG + (BITS_PER_LONG - 1 - __builtin_clzl(word));
        if (idx == 0) return size;
        word = addr[--idx];
    }
}

void bitmap_zero(unsigned long* dst, unsigned long nbits) {
    for (unsigned long i = 0; i < BITS_TO_LONGS(nbits); i++) dst[i] = 0;
}

void bitmap_fill(unsigned long* dst, unsigned long nbits) {
    for (unsigned long i = 0; i < BITS_TO_LONGS(nbits); i++) dst[i] = ~0UL;
}

void bitmap_set(unsigned long* map, unsigned long start, unsigned long len) {
    if (!len) return;
    unsigned long end = start + len;
    unsigned long* p = map + BIT_WORD(start);
    unsigned long mask = first_word_mask(start);
    // Whole words until the one holding bit end-1; `mask` narrows only for the last.
    for (unsigned long w = BIT_WORD(start); w < BIT_WORD(end - 1); w++) {
        *p++ |= mask;
        mask = ~0UL;
    }
    *p |= mask & last_word_mask(end);
}

void bitmap_clear(unsigned long* map, unsigned long start, unsigned long len) {
    if (!len) return;
    unsigned long end = start + len;
    unsigned long* p = map + BIT_WORD(start);
    unsigned long mask = first_word_mask(start);
    for (unsigned long w = BIT_WORD(start); w < BIT_WORD(end - 1); w++) {
        *p++ &= ~mask;
        mask = ~0UL;
    }
    *p &= ~(mask & last_word_mask(end));
}

unsigned long bitmap_weight(const unsigned long* src, unsigned long nbits) {
    unsigned long weight = 0;
    unsigned long full = nbits / BITS_PER_LONG;
    for (unsigned long i = 0; i < full; i++) weight += hweight_long(src[i]);
    if (nbits % BITS_PER_LONG) weight += hweight_long(src[full] & last_word_mask(nbits));
    return weight;
}

bool bitmap_empty(const unsigned long* src, unsigned long nbits) {
    return find_first_bit(src, nbits) == nbits;
}

bool bitmap_full(const unsigned long* src, unsigned long nbits) {
    return find_first_zero_bit(src, nbits) == nbits;
}

unsigned long bitmap_find_next_zero_area(const unsigned long* map, unsigned long size,
                                         unsigned long start, unsigned int nr,
                                         unsigned long align_mask) {
    for (;;) {
        unsigned long index = find_next_zero_bit(map, size, start);
        index = (index + align_mask) & ~align_mask;  // round up to the alignment
        if (index >= size || size - index < nr) return size;
        // Any set bit inside [index, index + nr) spoils this candidate; the next
        // one can only start after that bit.
        unsigned long busy = find_next_bit(map, index + nr, index);
        if (busy >= index + nr) return index;
        start = busy + 1;
    }
}
