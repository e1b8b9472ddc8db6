// Atomics with the memory order spelled out at every use. libstdc++'s <atomic>
// is not freestanding in GCC 12's C++20 mode, so Keel wraps the compiler's
// __atomic builtins itself; the orders mean what they mean in C++.
#pragma once

enum class memory_order : int {
    relaxed = __ATOMIC_RELAXED,
    acquire = __ATOMIC_ACQUIRE,
    release = __ATOMIC_RELEASE,
    acq_rel = __ATOMIC_ACQ_REL,
    seq_cst = __ATOMIC_SEQ_CST,
};

template <typename T> class Atomic {
public:
    constexpr Atomic(T v = T()) : value_(v) {}
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    T load(memory_order mo) const { return __atomic_load_n(&value_, int(mo)); }
    void store(T v, memory_order mo) { __atomic_store_n(&value_, v, int(mo)); }
    T exchange(T v, memory_order mo) { return __atomic_exchange_n(&value_, v, int(mo)); }
    T fetch_add(T v, memory_order mo) { return __atomic_fetch_add(&value_, v, int(mo)); }
    T fetch_sub(T v, memory_order mo) { return __atomic_fetch_sub(&value_, v, int(mo)); }
    T fetch_or(T v, memory_order mo) { return __atomic_fetch_or(&value_, v, int(mo)); }
    T fetch_and(T v, memory_order mo) { return __atomic_fetch_and(&value_, v, int(mo)); }
    // On failure `expected` receives the current value.
    bool compare_exchange(T& expected, T desired, memory_order success, memory_order failure) {
        return __atomic_compare_exchange_n(&value_, &expected, desired, false, int(success), int(failure));
    }

private:
    T value_;
};
