// timerqueue: timers ordered by expiry time (Linux's include/linux/timerqueue.h).
// An rbtree with its leftmost node cached, so "when does the next timer expire?"
// is O(1) and adding or removing a timer is O(log n). Equal expiry times keep
// insertion order. The queue does no locking; its owner (an hrtimer clock base)
// does.
#pragma once
#include <keel/ktime.h>
#include <lib/rbtree.h>

struct timerqueue_node {
    rb_node node;
    ktime_t expires;
};

struct timerqueue_head {
    rb_root_cached rb_root = RB_ROOT_CACHED;
};

// Adds node; true if it became the earliest.
bool timerqueue_add(timerqueue_head* head, timerqueue_node* node);
// Removes node; true if the queue still holds timers.
bool timerqueue_del(timerqueue_head* head, timerqueue_node* node);
// The timer after node in expiry order, or nullptr.
timerqueue_node* timerqueue_iterate_next(timerqueue_node* node);

static inline timerqueue_node* timerqueue_getnext(timerqueue_head* head) {
    rb_node* leftmost = rb_first_cached(&head->rb_root);
    return leftmost ? rb_entry(leftmost, timerqueue_node, node) : nullptr;
}
static inline void timerqueue_init(timerqueue_node* node) { RB_CLEAR_NODE(&node->node); }
static inline bool timerqueue_node_queued(const timerqueue_node* node) { return !RB_EMPTY_NODE(&node->node); }
static inline void timerqueue_init_head(timerqueue_head* head) { head->rb_root = RB_ROOT_CACHED; }
