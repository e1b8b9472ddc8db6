// Red-black rebalancing. The rules kept after every operation:
//   1. every node is red or black; the root is black;
//   2. a red node has no red child;
//   3. every path from a node down to a missing child passes the same number of
//      black nodes (the node's "black height").
// Together they bound the height by 2*log2(n+1).
//
// Each fix-up case exists in a left and a mirrored right form. Instead of
// writing both, the code names a side with a bool (`right`) and reaches a child
// through child(node, right), so every case is written once.
#include <lib/rbtree.h>

namespace {

bool is_black(const rb_node* node) { return !node || (node->__rb_parent_color & RB_BLACK); }
bool is_red(const rb_node* node) { return !is_black(node); }

void set_black(rb_node* node) { node->__rb_parent_color |= RB_BLACK; }
void set_red(rb_node* node) { node->__rb_parent_color &= ~RB_BLACK; }

void set_parent(rb_node* node, rb_node* parent) {
    node->__rb_parent_color =
        reinterpret_cast<unsigned long>(parent) | (node->__rb_parent_color & RB_BLACK);
}

rb_node*& child(rb_node* node, bool right) { return right ? node->rb_right : node->rb_left; }

// Makes `parent` (or the root, when parent is null) point at new_child instead of old.
void change_child(rb_node* old, rb_node* new_child, rb_node* parent, rb_root* root) {
    if (!parent) root->rb_node = new_child;
    else if (parent->rb_left == old) parent->rb_left = new_child;
    else parent->rb_right = new_child;
}

/* Rotates `node` down towards side `down_right`: its child on the other side
 * takes its place. For down_right = false this is the classic left rotation:
 *
 *       node               pivot
 *      /    \             /     \
 *     a    pivot   =>   node     c
 *         /     \      /    \
 *        b       c    a      b
 *
 * Colours are untouched; the in-order sequence is unchanged. (A block comment
 * because in a // comment a backslash at the end of a line splices lines.) */
void rotate(rb_node* node, bool down_right, rb_root* root) {
    bool up = !down_right;  // side of the child that moves up
    rb_node* pivot = child(node, up);
    rb_node* inner = child(pivot, down_right);  // `b` above: changes parent
    rb_node* parent = rb_parent(node);

    child(node, up) = inner;
    if (inner) set_parent(inner, node);

    child(pivot, down_right) = node;
    set_parent(pivot, parent);
    change_child(node, pivot, parent, root);
    set_parent(node, pivot);
}

// Restores rule 3 after a black node was removed from the subtree on the side
// of `parent` that now holds `node` (possibly null): that side is one black short.
void erase_fixup(rb_node* node, rb_node* parent, rb_root* root) {
    while (node != root->rb_node && is_black(node)) {
        // The short side is never the only child: the other side had a black
        // height of at least one, so sibling below is never null, and comparing
        // against rb_left identifies node's side even when node is null.
        bool right = parent->rb_left != node;
        rb_node* sibling = child(parent, !right);

        if (is_red(sibling)) {
            // Make the sibling black by rotating it above parent; parent turns
            // red and node gets a black sibling, handled by the cases below.
            set_black(sibling);
            set_red(parent);
            rotate(parent, right, root);
            sibling = child(parent, !right);
        }
        rb_node* near = child(sibling, right);
        rb_node* far = child(sibling, !right);
        if (is_black(near) && is_black(far)) {
            // Take a black away from the sibling's side too; now parent's whole
            // subtree is one short, so move the problem up a level.
            set_red(sibling);
            node = parent;
            parent = rb_parent(node);
            continue;
        }
        if (is_black(far)) {
            // Turn the near red child into the far one, for the final case.
            set_black(near);
            set_red(sibling);
            rotate(sibling, !right, root);
            far = sibling;
            sibling = child(parent, !right);
        }
        // Far child is red: rotate the sibling above parent and recolour; the
        // short side gains a black node and the other side keeps its count.
        sibling->__rb_parent_color =
            (sibling->__rb_parent_color & ~RB_BLACK) | (parent->__rb_parent_color & RB_BLACK);
        set_black(parent);
        set_black(far);
        rotate(parent, right, root);
        node = root->rb_node;
        break;
    }
    if (node) set_black(node);
}

}  // namespace

void rb_insert_color(rb_node* node, rb_root* root) {
    // node is red. The only rule that can be broken is 2: node and its parent
    // both red. Each loop iteration fixes it locally or pushes it two levels up.
    for (;;) {
        rb_node* parent = rb_parent(node);
        if (!parent) {
            set_black(node);  // reached the root: blackening it adds to every path alike
            return;
        }
        if (is_black(parent)) return;

        // A red parent is never the root, so the grandparent exists (and is black).
        rb_node* gparent = rb_parent(parent);
        bool parent_right = gparent->rb_right == parent;
        rb_node* uncle = child(gparent, !parent_right);

        if (is_red(uncle)) {
            // Push the grandparent's black down to both children; the
            // grandparent may now clash with its own parent: repeat there.
            set_black(parent);
            set_black(uncle);
            set_red(gparent);
            node = gparent;
            continue;
        }
        if (child(parent, !parent_right) == node) {
            // node is an inner grandchild: rotate it to the outside first.
            rotate(parent, parent_right, root);
            node = parent;
            parent = rb_parent(node);
        }
        // Outer grandchild: rotate parent above the grandparent and swap colours.
        set_black(parent);
        set_red(gparent);
        rotate(gparent, !parent_right, root);
        return;
    }
}

void rb_erase(rb_node* node, rb_root* root) {
    rb_node* orphan;        // the node that moves into the removed position
    rb_node* orphan_parent; // its parent after the removal
    bool removed_black;

    if (!node->rb_left || !node->rb_right) {
        // At most one child: splice node out and let the child take its place.
        orphan = node->rb_left ? node->rb_left : node->rb_right;
        orphan_parent = rb_parent(node);
        removed_black = is_black(node);
        change_child(node, orphan, orphan_parent, root);
        if (orphan) set_parent(orphan, orphan_parent);
    } else {
        // Two children: the in-order successor (leftmost of the right subtree,
        // which has no left child) is unlinked from its own spot and takes over
        // node's position and colour. The colour lost is the successor's.
        rb_node* successor = node->rb_right;
        while (successor->rb_left) successor = successor->rb_left;
        removed_black = is_black(successor);
        orphan = successor->rb_right;

        if (successor == node->rb_right) {
            orphan_parent = successor;
        } else {
            orphan_parent = rb_parent(successor);
            orphan_parent->rb_left = orphan;
            if (orphan) set_parent(orphan, orphan_parent);
            successor->rb_right = node->rb_right;
            set_parent(node->rb_right, successor);
        }
        successor->rb_left = node->rb_left;
        set_parent(node->rb_left, successor);
        change_child(node, successor, rb_parent(node), root);
        successor->__rb_parent_color = node->__rb_parent_color;
    }

    // Removing a red node changes no black height; removing a black one leaves
    // the orphan's side short by one.
    if (removed_black) erase_fixup(orphan, orphan_parent, root);
}

void rb_replace_node(rb_node* victim, rb_node* replacement, rb_root* root) {
    rb_node* parent = rb_parent(victim);
    *replacement = *victim;  // same parent, colour and children
    if (victim->rb_left) set_parent(victim->rb_left, replacement);
    if (victim->rb_right) set_parent(victim->rb_right, replacement);
    change_child(victim, replacement, parent, root);
}

rb_node* rb_first(const rb_root* root) {
    rb_node* node = root->rb_node;
    if (!node) return nullptr;
    while (node->rb_left) node = node->rb_left;
    return node;
}

rb_node* rb_last(const rb_root* root) {
    rb_node* node = root->rb_node;
    if (!node) return nullptr;
    while (node->rb_right) node = node->rb_right;
    return node;
}

namespace {

// The neighbour of node on side `right` in order: the nearest node of that
// subtree if there is one, else the first ancestor we reach from that side.
rb_node* neighbour(const rb_node* node, bool right) {
    if (RB_EMPTY_NODE(node)) return nullptr;
    auto n = const_cast<rb_node*>(node);
    if (child(n, right)) {
        n = child(n, right);
        while (child(n, !right)) n = child(n, !right);
        return n;
    }
    rb_node* parent;
    while ((parent = rb_parent(n)) && child(parent, right) == n) n = parent;
    return parent;
}

// Black height of the subtree at node (counting the null leaves' level as 0),
// or -1 after storing a description of a violation in *err.
int check_subtree(const rb_node* node, const rb_node* parent, const char** err) {
    if (!node) return 0;
    if (rb_parent(node) != parent) {
        *err = "parent pointer does not match the tree structure";
        return -1;
    }
    if (node->__rb_parent_color & 2UL) {
        *err = "unused bit 1 of __rb_parent_color is set";
        return -1;
    }
    if (is_red(node) && (is_red(node->rb_left) || is_red(node->rb_right))) {
        *err = "red node has a red child";
        return -1;
    }
    int left = check_subtree(node->rb_left, node, err);
    if (left < 0) return -1;
    int right = check_subtree(node->rb_right, node, err);
    if (right < 0) return -1;
    if (left != right) {
        *err = "black heights of the two subtrees differ";
        return -1;
    }
    return left + (is_black(node) ? 1 : 0);
}

}  // namespace

rb_node* rb_next(const rb_node* node) { return neighbour(node, true); }
rb_node* rb_prev(const rb_node* node) { return neighbour(node, false); }

const char* rb_check(const rb_root* root) {
    if (!root->rb_node) return nullptr;
    if (!is_black(root->rb_node)) return "root is red";
    const char* err = nullptr;
    check_subtree(root->rb_node, nullptr, &err);
    return err;
}
