// Bitmaps as arrays of unsigned long, with Linux's names and bit numbering:
// bit nr lives in word nr / BITS_PER_LONG at position nr % BITS_PER_LONG, so
// bit 0 is the least significant bit of word 0 (on x86 this is also the byte
// order, which is what hardware bitmaps such as the I/O permission map expect).
//
// Single-bit operations come in two flavours, as in Linux:
//   set_bit / clear_bit / change_bit / test_and_*  atomic read-modify-write,
//                                                  safe against other CPUs;
//   __set_bit / __clear_bit / __change_bit / ...   plain, for bitmaps that a
//                                                  lock (or single ownership) guards.
// Range operations (bitmap_set, find_*_bit, ...) are never atomic.
#pragma once
#include <keel/compiler.h>
#include <stddef.h>

#define BITS_PER_LONG (int(sizeof(unsigned long) * 8))
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

// ---- atomic single-bit operations ---------------------------------------------
// set/clear/change are atomic but impose no ordering on surrounding accesses
// (Linux's rule); the test_and_ forms are full barriers, so they can build locks.

inline void set_bit(unsigned long nr, unsigned long* addr) {
    __atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_RELAXED);
}

inline void clear_bit(unsigned long nr, unsigned long* addr) {
    __atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

inline void change_bit(unsigned long nr, unsigned long* addr) {
    __atomic_fetch_xor(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_RELAXED);
}

inline bool test_and_set_bit(unsigned long nr, unsigned long* addr) {
    return __atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

inline bool test_and_clear_bit(unsigned long nr, unsigned long* addr) {
    return __atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr), __ATOMIC_SEQ_CST) &
           BIT_MASK(nr);
}

// A single load: never torn, but says nothing about what other CPUs did before.
inline bool test_bit(unsigned long nr, const unsigned long* addr) {
    return (__atomic_load_n(addr + BIT_WORD(nr), __ATOMIC_RELAXED) >> (nr % BITS_PER_LONG)) & 1;
}

// ---- non-atomic single-bit operations -----------------------------------------

inline void __set_bit(unsigned long nr, unsigned long* addr) { addr[BIT_WORD(nr)] |= BIT_MASK(nr); }
inline void __clear_bit(unsigned long nr, unsigned long* addr) {
    addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}
inline void __change_bit(unsigned long nr, unsigned long* addr) {
    addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

inline bool __test_and_set_bit(unsigned long nr, unsigned long* addr) {
    bool old = addr[BIT_WORD(nr)] & BIT_MASK(nr);
    addr[BIT_WORD(nr)] |= BIT_MASK(nr);
    return old;
}

inline bool __test_and_clear_bit(unsigned long nr, unsigned long* addr) {
    bool old = addr[BIT_WORD(nr)] & BIT_MASK(nr);
    addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
    return old;
}

// Number of set bits in one word. Written out rather than __builtin_popcountl,
// which without the POPCNT instruction becomes a call into libgcc, and the
// kernel links without libgcc.
inline unsigned hweight_long(unsigned long w) {
    w = w - ((w >> 1) & 0x5555555555555555UL);                          // 2-bit sums
    w = (w & 0x3333333333333333UL) + ((w >> 2) & 0x3333333333333333UL);  // 4-bit sums
    w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fUL;                           // byte sums
    return unsigned((w * 0x0101010101010101UL) >> 56);                   // add the bytes
}

// ---- searching ----------------------------------------------------------------
// All return the index of the bit found, or `size` when there is none. Bits at
// or beyond `size` are never looked at (they may hold anything).

unsigned long find_next_bit(const unsigned long* addr, unsigned long size, unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long* addr, unsigned long size,
                                 unsigned long offset);
inline unsigned long find_first_bit(const unsigned long* addr, unsigned long size) {
    return find_next_bit(addr, size, 0);
}
inline unsigned long find_first_zero_bit(const unsigned long* addr, unsigned long size) {
    return find_next_zero_bit(addr, size, 0);
}
// The highest set bit below size, or size when none is set.
unsigned long find_last_bit(const unsigned long* addr, unsigned long size);

#define for_each_set_bit(bit, addr, size)                                  \
    for ((bit) = find_first_bit((addr), (size)); (bit) < (size);           \
         (bit) = find_next_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit(bit, addr, size)                                \
    for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size);      \
         (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

// ---- whole-map and range operations ---------------------------------------------
// nbits need not be a multiple of BITS_PER_LONG. bitmap_zero/bitmap_fill write
// whole words (the tail bits of the last word too); the others touch only the
// bits they name.

void bitmap_zero(unsigned long* dst, unsigned long nbits);
void bitmap_fill(unsigned long* dst, unsigned long nbits);
void bitmap_set(unsigned long* map, unsigned long start, unsigned long len);
void bitmap_clear(unsigned long* map, unsigned long start, unsigned long len);
unsigned long bitmap_weight(const unsigned long* src, unsigned long nbits);
bool bitmap_empty(const unsigned long* src, unsigned long nbits);
bool bitmap_full(const unsigned long* src, unsigned long nbits);

// Finds `nr` consecutive clear bits within [start, size) whose first index
// satisfies (index & align_mask) == 0 (align_mask is a power of two minus one).
// Returns that index, or a value >= size when there is no such area; in that
// case Linux returns the would-be end, Keel returns exactly `size` (the
// callers' `index >= size` test works for both). The bits are not set.
unsigned long bitmap_find_next_zero_area(const unsigned long* map, unsigned long size,
                                         unsigned long start, unsigned int nr,
                                         unsigned long align_mask);
