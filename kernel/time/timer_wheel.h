// The timer wheel's geometry (Linux's kernel/time/timer.c layout for HZ > 100).
//
// LVL_DEPTH levels of LVL_SIZE buckets each. Level 0 has a bucket per jiffy;
// each level above is LVL_CLK_DIV (8) times coarser. A timer goes into the
// first level whose span covers its delay, in the bucket its expiry rounds UP
// to at that level's granularity: a timer may fire late by up to one bucket
// of its level (about 12% of its delay), never early. That slack is the price
// of O(1) insertion and of never moving ("cascading") timers between levels:
// the wheel only looks at a level's buckets on ticks where the coarser clock
// advances.
#pragma once
#include <keel/types.h>

namespace timer_wheel {

constexpr unsigned LVL_CLK_SHIFT = 3;
constexpr unsigned long LVL_CLK_DIV = 1ul << LVL_CLK_SHIFT;
constexpr unsigned long LVL_CLK_MASK = LVL_CLK_DIV - 1;
constexpr unsigned LVL_BITS = 6;
constexpr unsigned LVL_SIZE = 1u << LVL_BITS;
constexpr unsigned long LVL_MASK = LVL_SIZE - 1;
constexpr unsigned LVL_DEPTH = 9;
constexpr unsigned WHEEL_SIZE = LVL_SIZE * LVL_DEPTH;

constexpr unsigned lvl_shift(unsigned lvl) { return lvl * LVL_CLK_SHIFT; }
constexpr unsigned long lvl_gran(unsigned lvl) { return 1ul << lvl_shift(lvl); }
constexpr unsigned lvl_offs(unsigned lvl) { return lvl * LVL_SIZE; }
// The smallest delay that no longer fits level lvl-1: where level lvl starts.
constexpr unsigned long lvl_start(unsigned lvl) { return (LVL_SIZE - 1) << ((lvl - 1) * LVL_CLK_SHIFT); }
// Longer delays are clamped to the wheel's reach.
constexpr unsigned long WHEEL_TIMEOUT_CUTOFF = lvl_start(LVL_DEPTH);
constexpr unsigned long WHEEL_TIMEOUT_MAX = WHEEL_TIMEOUT_CUTOFF - lvl_gran(LVL_DEPTH - 1);

// Bucket for `expires` at level lvl: rounded up to the level's granularity
// (+1 so it never fires early). *bucket_expiry gets the jiffy it will run at.
constexpr unsigned calc_index(unsigned long expires, unsigned lvl, unsigned long* bucket_expiry) {
    expires = (expires >> lvl_shift(lvl)) + 1;
    *bucket_expiry = expires << lvl_shift(lvl);
    return lvl_offs(lvl) + unsigned(expires & LVL_MASK);
}

// Bucket (0 .. WHEEL_SIZE-1) for a timer expiring at `expires` when the wheel's
// clock is `clk`. An expiry in the past goes into the bucket run next.
constexpr unsigned calc_wheel_index(unsigned long expires, unsigned long clk, unsigned long* bucket_expiry) {
    long delta = long(expires - clk);
    if (delta < 0) {
        *bucket_expiry = clk;
        return unsigned(clk & LVL_MASK);
    }
    for (unsigned lvl = 0; lvl < LVL_DEPTH; lvl++) {
        if (lvl + 1 == LVL_DEPTH || (unsigned long)delta < lvl_start(lvl + 1)) {
            if ((unsigned long)delta >= WHEEL_TIMEOUT_CUTOFF) expires = clk + WHEEL_TIMEOUT_MAX;
            return calc_index(expires, lvl, bucket_expiry);
        }
    }
    return 0;  // not reached: the last level takes everything
}

// The buckets the wheel processes when its clock reaches clk: level 0's, and
// each coarser level's while the finer clock sits on a multiple of 8. Fills
// idx[] (room for LVL_DEPTH) and returns how many.
constexpr unsigned due_buckets(unsigned long clk, unsigned* idx) {
    unsigned n = 0;
    for (unsigned lvl = 0; lvl < LVL_DEPTH; lvl++) {
        idx[n++] = unsigned(clk & LVL_MASK) + lvl * LVL_SIZE;
        if (clk & LVL_CLK_MASK) break;
        clk >>= LVL_CLK_SHIFT;
    }
    return n;
}

}  // namespace timer_wheel
