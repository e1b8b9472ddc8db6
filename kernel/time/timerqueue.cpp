// timerqueue: an expiry-ordered rbtree with the earliest timer cached
// (include/keel/timerqueue.h).
#include <keel/timerqueue.h>

namespace {
bool expires_before(const rb_node* a, const rb_node* b) {
    return rb_entry(const_cast<rb_node*>(a), timerqueue_node, node)->expires <
           rb_entry(const_cast<rb_node*>(b), timerqueue_node, node)->expires;
}
}  // namespace

bool timerqueue_add(timerqueue_head* head, timerqueue_node* node) {
    return rb_add_cached(&node->node, &head->rb_root, expires_before) != nullptr;
}

bool timerqueue_del(timerqueue_head* head, timerqueue_node* node) {
    rb_erase_cached(&node->node, &head->rb_root);
    RB_CLEAR_NODE(&node->node);
    return !RB_EMPTY_ROOT(&head->rb_root.rb_root);
}

timerqueue_node* timerqueue_iterate_next(timerqueue_node* node) {
    rb_node* next = rb_next(&node->node);
    return next ? rb_entry(next, timerqueue_node, node) : nullptr;
}
