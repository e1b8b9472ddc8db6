// Intrusive doubly-linked circular list, as in Linux's include/linux/list.h.
//
// The link (list_head) lives inside the object, so putting an object on a list
// never allocates and removing it is O(1) given only the object. A list is a
// head node whose next/prev point at the first/last entry; an empty list points
// at itself, so no operation ever has to test for nullptr.
//
// Two layers:
//   - the Linux API (list_add, list_del, list_for_each_entry, ...), so code and
//     documentation written for Linux read the same here;
//   - IntrusiveList<T, &T::member>, a typed view over the same head that hands
//     back T& instead of list_head*, so call sites never do container_of by hand.
#pragma once
#include <keel/compiler.h>
#include <stddef.h>
#include <stdint.h>
#include <type_traits>

struct list_head {
    // A node starts out linked to itself (an empty list / an unlinked entry), so a
    // default-constructed entry can be list_del_init'ed or tested with list_empty.
    list_head* next = this;
    list_head* prev = this;
};

#define LIST_HEAD_INIT(name) {&(name), &(name)}
#define LIST_HEAD(name) list_head name = LIST_HEAD_INIT(name)

// Values written into a deleted entry: non-canonical addresses, so a use after
// list_del faults at once (#GP in the kernel, SIGSEGV on the host) instead of
// silently walking a list the entry no longer belongs to.
// (Macros, not variables: a reinterpret_cast is no constant expression, and a
// variable would need a run-time constructor.)
#define LIST_POISON1 (reinterpret_cast<list_head*>(0xdead000000000100UL))
#define LIST_POISON2 (reinterpret_cast<list_head*>(0xdead000000000122UL))

inline void INIT_LIST_HEAD(list_head* list) {
    list->next = list;
    list->prev = list;
}

// Links `entry` between two adjacent nodes.
inline void __list_add(list_head* entry, list_head* prev, list_head* next) {
    next->prev = entry;
    entry->next = next;
    entry->prev = prev;
    prev->next = entry;
}

// Inserts right after head: a stack (LIFO) when paired with list_first_entry.
inline void list_add(list_head* entry, list_head* head) { __list_add(entry, head, head->next); }

// Inserts right before head, i.e. at the end: a queue (FIFO).
inline void list_add_tail(list_head* entry, list_head* head) {
    __list_add(entry, head->prev, head);
}

// Unlinks whatever lies between prev and next by making them neighbours.
inline void __list_del(list_head* prev, list_head* next) {
    next->prev = prev;
    prev->next = next;
}

inline void __list_del_entry(list_head* entry) { __list_del(entry->prev, entry->next); }

// Removes entry; it must not be used as a list node again until re-initialised.
inline void list_del(list_head* entry) {
    __list_del_entry(entry);
    entry->next = LIST_POISON1;
    entry->prev = LIST_POISON2;
}

// Removes entry and leaves it as an empty list, so removing it twice is harmless.
inline void list_del_init(list_head* entry) {
    __list_del_entry(entry);
    INIT_LIST_HEAD(entry);
}

inline bool list_empty(const list_head* head) { return head->next == head; }

inline bool list_is_first(const list_head* entry, const list_head* head) {
    return entry->prev == head;
}

inline bool list_is_last(const list_head* entry, const list_head* head) {
    return entry->next == head;
}

inline bool list_is_singular(const list_head* head) {
    return !list_empty(head) && head->next == head->prev;
}

// Moves entry from whatever list it is on to the front / back of head.
inline void list_move(list_head* entry, list_head* head) {
    __list_del_entry(entry);
    list_add(entry, head);
}

inline void list_move_tail(list_head* entry, list_head* head) {
    __list_del_entry(entry);
    list_add_tail(entry, head);
}

// Puts new_entry where old was; old keeps stale pointers (re-init it if reused).
inline void list_replace(list_head* old, list_head* new_entry) {
    new_entry->next = old->next;
    new_entry->next->prev = new_entry;
    new_entry->prev = old->prev;
    new_entry->prev->next = new_entry;
}

// Inserts the entries of non-empty `list` between prev and next.
inline void __list_splice(const list_head* list, list_head* prev, list_head* next) {
    list_head* first = list->next;
    list_head* last = list->prev;
    first->prev = prev;
    prev->next = first;
    last->next = next;
    next->prev = last;
}

// Moves all entries of `list` to the front of head and leaves `list` empty.
inline void list_splice_init(list_head* list, list_head* head) {
    if (list_empty(list)) return;
    __list_splice(list, head, head->next);
    INIT_LIST_HEAD(list);
}

// Moves all entries of `list` to the back of head and leaves `list` empty.
inline void list_splice_tail_init(list_head* list, list_head* head) {
    if (list_empty(list)) return;
    __list_splice(list, head->prev, head);
    INIT_LIST_HEAD(list);
}

// ---- entry access and iteration (the Linux macros) --------------------------

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)
#define list_first_entry_or_null(head, type, member) \
    (list_empty(head) ? nullptr : list_first_entry(head, type, member))

// The element type behind an iteration cursor `pos`, for the _entry macros.
#define __list_pos_type(pos) std::remove_reference_t<decltype(*(pos))>
#define list_next_entry(pos, member) \
    list_entry((pos)->member.next, __list_pos_type(pos), member)

#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)

// Safe against removal of `pos`: the successor is fetched before the body runs.
#define list_for_each_safe(pos, n, head) \
    for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)

#define list_for_each_entry(pos, head, member)                               \
    for (pos = list_first_entry(head, __list_pos_type(pos), member);        \
         &pos->member != (head); pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, n, head, member)                       \
    for (pos = list_first_entry(head, __list_pos_type(pos), member),        \
        n = list_next_entry(pos, member);                                    \
         &pos->member != (head); pos = n, n = list_next_entry(n, member))

// ---- typed wrapper ----------------------------------------------------------

// A list of T linked through the list_head member `Member`:
//
//     struct task { list_head run_node; ... };
//     IntrusiveList<task, &task::run_node> queue;
//     queue.push_back(t);
//     for (task& t : queue) ...
//
// The list owns no memory and never copies elements. Its head is a plain
// list_head, reachable with head(), so it interoperates with the Linux API.
template <typename T, list_head T::*Member> class IntrusiveList {
public:
    IntrusiveList() = default;
    // The entries point at head_, so the list cannot be copied or moved.
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    static list_head* node(T& item) { return &(item.*Member); }

    // The T that contains `n`. Applying the member pointer to a dummy address
    // only computes where the member would be (no T is read), which gives the
    // member's offset the way offsetof does; offsetof cannot take a member pointer.
    static T* owner(list_head* n) {
        auto* dummy = reinterpret_cast<T*>(uintptr_t(alignof(T)) << 12);
        auto offset = reinterpret_cast<uintptr_t>(&(dummy->*Member)) -
                      reinterpret_cast<uintptr_t>(dummy);
        return reinterpret_cast<T*>(reinterpret_cast<char*>(n) - offset);
    }

    bool empty() const { return list_empty(&head_); }
    list_head* head() { return &head_; }

    void push_front(T& item) { list_add(node(item), &head_); }
    void push_back(T& item) { list_add_tail(node(item), &head_); }

    // First / last element, or nullptr when empty.
    T* front() { return empty() ? nullptr : owner(head_.next); }
    T* back() { return empty() ? nullptr : owner(head_.prev); }

    // Unlinks and returns the first element, or nullptr when empty.
    T* pop_front() {
        T* item = front();
        if (item) remove(*item);
        return item;
    }

    // Unlinks item (which must be on this list, or unlinked); it stays reusable.
    static void remove(T& item) { list_del_init(node(item)); }

    // An entry is on some list iff its node does not point at itself; this holds
    // because entries start self-linked and remove() re-initialises them.
    static bool is_linked(T& item) { return !list_empty(node(item)); }

    // Range-for support. The iterator remembers the successor before yielding an
    // element, so the loop body may remove() the element it is on.
    class iterator {
    public:
        iterator(list_head* cur) : cur_(cur), next_(cur->next) {}
        T& operator*() const { return *owner(cur_); }
        T* operator->() const { return owner(cur_); }
        iterator& operator++() {
            cur_ = next_;
            next_ = cur_->next;
            return *this;
        }
        bool operator==(const iterator& other) const { return cur_ == other.cur_; }
        bool operator!=(const iterator& other) const { return cur_ != other.cur_; }

    private:
        list_head* cur_;
        list_head* next_;
    };

    iterator begin() { return iterator(head_.next); }
    iterator end() { return iterator(&head_); }

private:
    list_head head_;
};
