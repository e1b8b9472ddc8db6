// The radix tree of lib/xarray.h. A node holds 64 slots (children, or entries
// at the bottom level) and a count of the used ones, so erase can free nodes
// that empty out. The tree grows a level at the top when an index beyond its
// reach is stored.
#include <lib/xarray.h>
#include <mm/slab.h>

struct xa_node {
    unsigned count;
    void* slots[XA_CHUNK_SIZE];
};

namespace {

// How many indexes a tree of `height` levels covers (0 means all of them).
unsigned long max_index(unsigned height) {
    unsigned bits = height * XA_CHUNK_SHIFT;
    return bits >= 64 ? ~0ul : (1ul << bits) - 1;
}

unsigned slot_of(unsigned long index, unsigned level) {
    return unsigned(index >> (level * XA_CHUNK_SHIFT)) & (XA_CHUNK_SIZE - 1);
}

xa_node* node_alloc() { return static_cast<xa_node*>(kzalloc(sizeof(xa_node), GFP_KERNEL)); }

void free_subtree(void* n, unsigned height) {
    if (!n || height == 0) return;
    auto* node = static_cast<xa_node*>(n);
    if (height > 1)
        for (void* child : node->slots) free_subtree(child, height - 1);
    kfree(node);
}

// Erases index below node (at `height` levels); returns the entry and
// whether node became empty.
void* erase_in(xa_node* node, unsigned height, unsigned long index, bool* emptied) {
    unsigned s = slot_of(index, height - 1);
    void* entry;
    if (height == 1) {
        entry = node->slots[s];
        if (!entry) return nullptr;
    } else {
        auto* child = static_cast<xa_node*>(node->slots[s]);
        if (!child) return nullptr;
        bool child_empty = false;
        entry = erase_in(child, height - 1, index, &child_empty);
        if (!child_empty) return entry;
        kfree(child);
    }
    node->slots[s] = nullptr;
    *emptied = --node->count == 0;
    return entry;
}

}  // namespace

void* xa_load(const xarray* xa, unsigned long index) {
    if (xa->height == 0 || index > max_index(xa->height)) return nullptr;
    void* n = xa->root;
    for (unsigned level = xa->height; n && level > 0; level--) n = static_cast<xa_node*>(n)->slots[slot_of(index, level - 1)];
    return n;
}

bool xa_store(xarray* xa, unsigned long index, void* entry) {
    if (!xa->root) {  // an empty tree starts as tall as index needs
        unsigned height = 1;
        while (index > max_index(height)) height++;
        xa_node* top = node_alloc();
        if (!top) return false;
        xa->root = top;
        xa->height = height;
    }
    while (index > max_index(xa->height)) {  // grow at the top: the old tree is slot 0's
        xa_node* top = node_alloc();
        if (!top) return false;
        top->slots[0] = xa->root;
        top->count = 1;
        xa->root = top;
        xa->height++;
    }
    auto* node = static_cast<xa_node*>(xa->root);
    for (unsigned level = xa->height; level > 1; level--) {
        unsigned s = slot_of(index, level - 1);
        if (!node->slots[s]) {
            xa_node* child = node_alloc();
            if (!child) return false;
            node->slots[s] = child;
            node->count++;
        }
        node = static_cast<xa_node*>(node->slots[s]);
    }
    unsigned s = slot_of(index, 0);
    if (!node->slots[s]) node->count++;
    node->slots[s] = entry;
    return true;
}

void* xa_erase(xarray* xa, unsigned long index) {
    if (xa->height == 0 || index > max_index(xa->height)) return nullptr;
    bool emptied = false;
    void* entry = erase_in(static_cast<xa_node*>(xa->root), xa->height, index, &emptied);
    if (emptied) {
        kfree(xa->root);
        xa->root = nullptr;
        xa->height = 0;
    }
    return entry;
}

void* xa_find(const xarray* xa, unsigned long* index) {
    // Descend to the first present entry at or after *index, skipping
    // empty subtrees whole.
    unsigned long i = *index;
    while (xa->height && i <= max_index(xa->height)) {
        void* n = xa->root;
        unsigned level = xa->height;
        for (; level > 0; level--) {
            void* next = static_cast<xa_node*>(n)->slots[slot_of(i, level - 1)];
            if (!next) break;
            n = next;
        }
        if (level == 0) {
            *index = i;
            return n;
        }
        // Nothing under the slot at `level`: move i to the start of the next one.
        unsigned shift = (level - 1) * XA_CHUNK_SHIFT;
        unsigned long step = 1ul << shift;
        unsigned long next_i = (i & ~(step - 1)) + step;
        if (next_i <= i) break;  // wrapped past the end
        i = next_i;
    }
    return nullptr;
}

void xa_destroy(xarray* xa) {
    free_subtree(xa->root, xa->height);
    xa->root = nullptr;
    xa->height = 0;
}
