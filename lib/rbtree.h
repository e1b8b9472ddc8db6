// Intrusive red-black tree, following Linux's include/linux/rbtree.h.
//
// Like the list, the node is embedded in the object and the tree never
// allocates. The tree does not know how to compare objects: the caller walks
// down to the insertion point itself (or lets rb_add/rb_find do it with a
// comparison function), links the node there with rb_link_node, and calls
// rb_insert_color to restore the red-black balance. That keeps the tree code
// type-free and lets each user pick its own key (vruntime, address, deadline).
//
// rb_root_cached additionally remembers the leftmost (smallest) node, so the
// CFS run queue can pick its next task in O(1).
#pragma once
#include <keel/compiler.h>
#include <stddef.h>

struct rb_node {
    // Parent pointer with the node's colour in bit 0 (nodes are at least 8-byte
    // aligned, so the low bits of the pointer are free): 0 = red, 1 = black.
    unsigned long __rb_parent_color;
    rb_node* rb_right;
    rb_node* rb_left;
} __aligned(sizeof(long));

struct rb_root {
    ::rb_node* rb_node;
};

struct rb_root_cached {
    ::rb_root rb_root;
    ::rb_node* rb_leftmost;
};

#define RB_RED 0UL
#define RB_BLACK 1UL

#define RB_ROOT (rb_root{nullptr})
#define RB_ROOT_CACHED (rb_root_cached{{nullptr}, nullptr})

#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
    ({ auto __p = (ptr); __p ? rb_entry(__p, type, member) : nullptr; })

inline rb_node* rb_parent(const rb_node* node) {
    return reinterpret_cast<rb_node*>(node->__rb_parent_color & ~3UL);
}

inline bool RB_EMPTY_ROOT(const rb_root* root) { return root->rb_node == nullptr; }

// A node that is on no tree is marked by pointing its parent at itself; this
// lets code ask "is this node in a tree?" without a separate flag.
inline bool RB_EMPTY_NODE(const rb_node* node) {
    return node->__rb_parent_color == reinterpret_cast<unsigned long>(node);
}
inline void RB_CLEAR_NODE(rb_node* node) {
    node->__rb_parent_color = reinterpret_cast<unsigned long>(node);
}

// Attaches `node` as a red leaf at *link (a child slot of `parent`, or the root
// slot). The tree may now be unbalanced: follow with rb_insert_color.
inline void rb_link_node(rb_node* node, rb_node* parent, rb_node** link) {
    node->__rb_parent_color = reinterpret_cast<unsigned long>(parent);  // red
    node->rb_left = node->rb_right = nullptr;
    *link = node;
}

void rb_insert_color(rb_node* node, rb_root* root);
void rb_erase(rb_node* node, rb_root* root);
// Puts `replacement` in victim's place without rebalancing; the caller promises
// that replacement sorts exactly where victim did.
void rb_replace_node(rb_node* victim, rb_node* replacement, rb_root* root);

// In-order walk; all are O(log n) worst case, O(1) amortised over a full walk.
rb_node* rb_first(const rb_root* root);
rb_node* rb_last(const rb_root* root);
rb_node* rb_next(const rb_node* node);
rb_node* rb_prev(const rb_node* node);

// ---- leftmost-cached trees --------------------------------------------------

// `leftmost` says whether the caller's descent only ever went left, i.e.
// whether node is the new minimum.
inline void rb_insert_color_cached(rb_node* node, rb_root_cached* root, bool leftmost) {
    if (leftmost) root->rb_leftmost = node;
    rb_insert_color(node, &root->rb_root);
}

// Returns the new leftmost node if `node` was the leftmost one, else nullptr.
inline rb_node* rb_erase_cached(rb_node* node, rb_root_cached* root) {
    rb_node* leftmost = nullptr;
    if (root->rb_leftmost == node) leftmost = root->rb_leftmost = rb_next(node);
    rb_erase(node, &root->rb_root);
    return leftmost;
}

inline rb_node* rb_first_cached(const rb_root_cached* root) { return root->rb_leftmost; }

// ---- comparison-driven helpers (Linux's rb_add / rb_find family) ------------
//
// less(a, b): does a sort before b? Equal keys go to the right of existing
// ones, so insertion order is kept among equals (FIFO, as CFS wants).
// cmp(key, node): <0 if key sorts before node, 0 if it matches, >0 if after.

// Inserts node; returns node if it became the leftmost, else nullptr.
template <typename Less>
__always_inline rb_node* rb_add_cached(rb_node* node, rb_root_cached* tree, Less less) {
    rb_node** link = &tree->rb_root.rb_node;
    rb_node* parent = nullptr;
    bool leftmost = true;
    while (*link) {
        parent = *link;
        if (less(node, parent)) {
            link = &parent->rb_left;
        } else {
            link = &parent->rb_right;
            leftmost = false;
        }
    }
    rb_link_node(node, parent, link);
    rb_insert_color_cached(node, tree, leftmost);
    return leftmost ? node : nullptr;
}

template <typename Less> __always_inline void rb_add(rb_node* node, rb_root* tree, Less less) {
    rb_node** link = &tree->rb_node;
    rb_node* parent = nullptr;
    while (*link) {
        parent = *link;
        link = less(node, parent) ? &parent->rb_left : &parent->rb_right;
    }
    rb_link_node(node, parent, link);
    rb_insert_color(node, tree);
}

// Inserts node unless a node comparing equal exists; returns that node, or
// nullptr when node was inserted. cmp is called as cmp(node, other).
template <typename Cmp> __always_inline rb_node* rb_find_add(rb_node* node, rb_root* tree, Cmp cmp) {
    rb_node** link = &tree->rb_node;
    rb_node* parent = nullptr;
    while (*link) {
        parent = *link;
        int c = cmp(node, parent);
        if (c < 0) link = &parent->rb_left;
        else if (c > 0) link = &parent->rb_right;
        else return parent;
    }
    rb_link_node(node, parent, link);
    rb_insert_color(node, tree);
    return nullptr;
}

// Some node matching key, or nullptr.
template <typename Key, typename Cmp>
__always_inline rb_node* rb_find(const Key& key, const rb_root* tree, Cmp cmp) {
    rb_node* node = tree->rb_node;
    while (node) {
        int c = cmp(key, node);
        if (c < 0) node = node->rb_left;
        else if (c > 0) node = node->rb_right;
        else return node;
    }
    return nullptr;
}

// The leftmost (first in order) node matching key, or nullptr: with duplicate
// keys, rb_find returns an arbitrary one of them.
template <typename Key, typename Cmp>
__always_inline rb_node* rb_find_first(const Key& key, const rb_root* tree, Cmp cmp) {
    rb_node* node = tree->rb_node;
    rb_node* match = nullptr;
    while (node) {
        int c = cmp(key, node);
        if (c <= 0) {
            if (c == 0) match = node;
            node = node->rb_left;
        } else {
            node = node->rb_right;
        }
    }
    return match;
}

// ---- self-check ---------------------------------------------------------------

// Checks the red-black rules and the parent links of the whole tree: root is
// black, no red node has a red child, every root-to-leaf path has the same
// number of black nodes, each child's parent pointer names its parent. Returns
// nullptr when all hold, else a description of the first violation found.
// Order is the caller's business (it alone knows the key). O(n); for tests.
const char* rb_check(const rb_root* root);
