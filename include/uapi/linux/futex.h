// futex(2) operations and flags (Linux's include/uapi/linux/futex.h).
#pragma once

enum : int {
    FUTEX_WAIT = 0,
    FUTEX_WAKE = 1,
    FUTEX_FD = 2,
    FUTEX_REQUEUE = 3,
    FUTEX_CMP_REQUEUE = 4,
    FUTEX_WAKE_OP = 5,
    FUTEX_LOCK_PI = 6,
    FUTEX_UNLOCK_PI = 7,
    FUTEX_TRYLOCK_PI = 8,
    FUTEX_WAIT_BITSET = 9,
    FUTEX_WAKE_BITSET = 10,
    FUTEX_WAIT_REQUEUE_PI = 11,
    FUTEX_CMP_REQUEUE_PI = 12,
    FUTEX_LOCK_PI2 = 13,
    FUTEX_PRIVATE_FLAG = 128,
    FUTEX_CLOCK_REALTIME = 256,
    FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME),
};
constexpr unsigned FUTEX_BITSET_MATCH_ANY = 0xffffffff;

// Robust futexes: a per-thread user list of the locks it holds, walked by the
// kernel when the thread dies. The lock word holds the owner's tid.
struct robust_list {
    robust_list* next;  // user pointers; bit 0 marks a PI lock
};
struct robust_list_head {
    robust_list list;
    long futex_offset;               // from a list entry to its lock word
    robust_list* list_op_pending;    // an entry being added or removed
};
constexpr unsigned FUTEX_WAITERS = 0x80000000;
constexpr unsigned FUTEX_OWNER_DIED = 0x40000000;
constexpr unsigned FUTEX_TID_MASK = 0x3fffffff;
constexpr int ROBUST_LIST_LIMIT = 2048;  // entries walked at most (a cyclic list must not hang exit)

// FUTEX_WAKE_OP's encoded operation: op:4 cmp:4 oparg:12 cmparg:12.
enum : int { FUTEX_OP_SET = 0, FUTEX_OP_ADD = 1, FUTEX_OP_OR = 2, FUTEX_OP_ANDN = 3, FUTEX_OP_XOR = 4 };
constexpr int FUTEX_OP_OPARG_SHIFT = 8;  // oparg is a shift count: use 1 << oparg
enum : int {
    FUTEX_OP_CMP_EQ = 0,
    FUTEX_OP_CMP_NE = 1,
    FUTEX_OP_CMP_LT = 2,
    FUTEX_OP_CMP_LE = 3,
    FUTEX_OP_CMP_GT = 4,
    FUTEX_OP_CMP_GE = 5,
};
