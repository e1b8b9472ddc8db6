// Wait queues. The order of operations in prepare_to_wait — queue the entry,
// then set the task state, both before the caller re-checks its condition —
// is what makes a wake-up between the check and schedule() impossible to lose:
// the waker either sees the entry (and wakes us) or we see the condition.
#include <keel/wait.h>

int default_wake_function(wait_queue_entry* wq_entry, unsigned mode, int, void*) {
    return wake_up_state(wq_entry->private_, mode);
}

int autoremove_wake_function(wait_queue_entry* wq_entry, unsigned mode, int flags, void* key) {
    int ret = default_wake_function(wq_entry, mode, flags, key);
    if (ret) list_del_init(&wq_entry->entry);
    return ret;
}

void init_wait_entry(wait_queue_entry* wq_entry, unsigned flags) {
    wq_entry->flags = flags;
    wq_entry->private_ = current;
    wq_entry->func = autoremove_wake_function;
    INIT_LIST_HEAD(&wq_entry->entry);
}

void add_wait_queue(wait_queue_head* wq_head, wait_queue_entry* wq_entry) {
    Guard<IrqSave> guard(wq_head->lock);
    wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
    list_add(&wq_entry->entry, &wq_head->head);
}

void add_wait_queue_exclusive(wait_queue_head* wq_head, wait_queue_entry* wq_entry) {
    Guard<IrqSave> guard(wq_head->lock);
    wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
    list_add_tail(&wq_entry->entry, &wq_head->head);
}

void remove_wait_queue(wait_queue_head* wq_head, wait_queue_entry* wq_entry) {
    Guard<IrqSave> guard(wq_head->lock);
    list_del_init(&wq_entry->entry);
}

void prepare_to_wait(wait_queue_head* wq_head, wait_queue_entry* wq_entry, unsigned state) {
    Guard<IrqSave> guard(wq_head->lock);
    wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
    if (list_empty(&wq_entry->entry)) list_add(&wq_entry->entry, &wq_head->head);
    set_current_state(state);
}

void prepare_to_wait_exclusive(wait_queue_head* wq_head, wait_queue_entry* wq_entry, unsigned state) {
    Guard<IrqSave> guard(wq_head->lock);
    wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
    if (list_empty(&wq_entry->entry)) list_add_tail(&wq_entry->entry, &wq_head->head);
    set_current_state(state);
}

void finish_wait(wait_queue_head* wq_head, wait_queue_entry* wq_entry) {
    __set_current_state(TASK_RUNNING);
    // Unlocked peek is safe: only a waker can empty the entry, and it does so
    // under the lock before the wake-up we may have raced with completes.
    if (!list_empty(&wq_entry->entry)) {
        Guard<IrqSave> guard(wq_head->lock);
        list_del_init(&wq_entry->entry);
    }
}

void __wake_up(wait_queue_head* wq_head, unsigned mode, int nr_exclusive, void* key) {
    Guard<IrqSave> guard(wq_head->lock);
    list_head* pos = wq_head->head.next;
    while (pos != &wq_head->head) {
        list_head* next = pos->next;  // the entry may remove itself
        auto* curr = list_entry(pos, wait_queue_entry, entry);
        unsigned flags = curr->flags;
        int ret = curr->func(curr, mode, 0, key);
        if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive) break;
        pos = next;
    }
}
