// lib/rbtree: randomized against std::multiset, with the red-black invariants
// (rb_check), in-order key sequence, size and cached leftmost verified after
// every single insert and erase.
#include <gtest/gtest.h>
#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <vector>

// Keel headers after the C library: keel/compiler.h defines short names
// (__init, __always_inline) that glibc uses as identifiers.
#include <lib/rbtree.h>

namespace {

struct thing {
    long key;
    int id;  // insertion sequence number, to check FIFO order among equal keys
    rb_node node;
};

thing* of(const rb_node* n) { return rb_entry(const_cast<rb_node*>(n), thing, node); }

bool less(const rb_node* a, const rb_node* b) { return of(a)->key < of(b)->key; }

int cmp_key(const long& key, const rb_node* n) {
    return key < of(n)->key ? -1 : key > of(n)->key ? 1 : 0;
}

// Keys in order via rb_first/rb_next, checking rb_prev walks back the same way.
std::vector<long> in_order(const rb_root* root) {
    std::vector<long> keys;
    const rb_node* prev = nullptr;
    for (rb_node* n = rb_first(root); n; n = rb_next(n)) {
        EXPECT_EQ(rb_prev(n), prev);
        keys.push_back(of(n)->key);
        prev = n;
    }
    EXPECT_EQ(rb_last(root), prev);
    return keys;
}

// Full consistency check of a cached tree against the reference multiset.
void expect_matches(const rb_root_cached* tree, const std::multiset<long>& ref) {
    const char* err = rb_check(&tree->rb_root);
    ASSERT_STREQ(err, nullptr) << err;
    std::vector<long> keys = in_order(&tree->rb_root);
    ASSERT_EQ(keys, std::vector<long>(ref.begin(), ref.end()));
    ASSERT_EQ(rb_first_cached(tree), rb_first(&tree->rb_root));
}

TEST(LibRbtree, EmptyTree) {
    rb_root root = RB_ROOT;
    EXPECT_TRUE(RB_EMPTY_ROOT(&root));
    EXPECT_EQ(rb_first(&root), nullptr);
    EXPECT_EQ(rb_last(&root), nullptr);
    EXPECT_STREQ(rb_check(&root), nullptr);
    EXPECT_EQ(rb_find(5L, &root, cmp_key), nullptr);
    rb_root_cached cached = RB_ROOT_CACHED;
    EXPECT_EQ(rb_first_cached(&cached), nullptr);
}

TEST(LibRbtree, ClearNodeAndSingleton) {
    thing t{1, 0, {}};
    RB_CLEAR_NODE(&t.node);
    EXPECT_TRUE(RB_EMPTY_NODE(&t.node));
    EXPECT_EQ(rb_next(&t.node), nullptr);  // a node on no tree has no neighbours
    rb_root root = RB_ROOT;
    rb_add(&t.node, &root, less);
    EXPECT_FALSE(RB_EMPTY_NODE(&t.node));
    EXPECT_EQ(root.rb_node, &t.node);
    EXPECT_EQ(rb_parent(&t.node), nullptr);
    EXPECT_STREQ(rb_check(&root), nullptr);  // includes "root is black"
    rb_erase(&t.node, &root);
    EXPECT_TRUE(RB_EMPTY_ROOT(&root));
}

TEST(LibRbtree, AscendingInsertStaysBalanced) {
    // Sorted input is the worst case for an unbalanced tree (a list).
    constexpr int n = 1 << 12;
    auto items = std::make_unique<thing[]>(n);
    rb_root root = RB_ROOT;
    for (int i = 0; i < n; i++) {
        items[i].key = i;
        rb_add(&items[i].node, &root, less);
    }
    ASSERT_STREQ(rb_check(&root), nullptr);
    int depth = 0;
    for (rb_node* p = rb_last(&root); p; p = rb_parent(p)) depth++;
    EXPECT_LE(depth, 2 * 13);  // height <= 2*log2(n+1)
    EXPECT_EQ(of(rb_first(&root))->key, 0);
    EXPECT_EQ(of(rb_last(&root))->key, n - 1);
}

TEST(LibRbtree, CheckDetectsViolations) {
    thing a{1, 0, {}}, b{2, 0, {}}, c{3, 0, {}};
    rb_root root = RB_ROOT;
    rb_add(&a.node, &root, less);
    rb_add(&b.node, &root, less);
    rb_add(&c.node, &root, less);
    ASSERT_STREQ(rb_check(&root), nullptr);
    ASSERT_EQ(root.rb_node, &b.node);
    // Paint a leaf black: black heights now differ.
    a.node.__rb_parent_color |= RB_BLACK;
    EXPECT_NE(rb_check(&root), nullptr);
    a.node.__rb_parent_color &= ~RB_BLACK;
    // Paint the root red.
    b.node.__rb_parent_color &= ~RB_BLACK;
    EXPECT_NE(rb_check(&root), nullptr);
    b.node.__rb_parent_color |= RB_BLACK;
    // Corrupt a parent pointer.
    unsigned long saved = c.node.__rb_parent_color;
    c.node.__rb_parent_color = reinterpret_cast<unsigned long>(&a.node);
    EXPECT_NE(rb_check(&root), nullptr);
    c.node.__rb_parent_color = saved;
    EXPECT_STREQ(rb_check(&root), nullptr);
}

TEST(LibRbtree, CachedLeftmostAndFifoAmongEquals) {
    rb_root_cached tree = RB_ROOT_CACHED;
    thing t[5] = {{5, 0, {}}, {3, 1, {}}, {3, 2, {}}, {7, 3, {}}, {3, 4, {}}};
    EXPECT_EQ(rb_add_cached(&t[0].node, &tree, less), &t[0].node);  // first is leftmost
    EXPECT_EQ(rb_add_cached(&t[1].node, &tree, less), &t[1].node);  // new minimum
    EXPECT_EQ(rb_add_cached(&t[2].node, &tree, less), nullptr);      // equal goes right
    EXPECT_EQ(rb_add_cached(&t[3].node, &tree, less), nullptr);
    EXPECT_EQ(rb_add_cached(&t[4].node, &tree, less), nullptr);
    EXPECT_EQ(rb_first_cached(&tree), &t[1].node);
    // Equal keys come out in insertion order.
    std::vector<int> ids;
    for (rb_node* n = rb_first(&tree.rb_root); n; n = rb_next(n)) ids.push_back(of(n)->id);
    EXPECT_EQ(ids, (std::vector<int>{1, 2, 4, 0, 3}));
    // rb_find_first finds the leftmost of the equal keys.
    EXPECT_EQ(rb_find_first(3L, &tree.rb_root, cmp_key), &t[1].node);
    EXPECT_EQ(rb_find_first(4L, &tree.rb_root, cmp_key), nullptr);
    // Erasing the leftmost reports the next one, erasing others reports nullptr.
    EXPECT_EQ(rb_erase_cached(&t[1].node, &tree), &t[2].node);
    EXPECT_EQ(rb_first_cached(&tree), &t[2].node);
    EXPECT_EQ(rb_erase_cached(&t[3].node, &tree), nullptr);
    EXPECT_EQ(rb_first_cached(&tree), &t[2].node);
    EXPECT_EQ(rb_erase_cached(&t[2].node, &tree), &t[4].node);
    EXPECT_EQ(rb_erase_cached(&t[4].node, &tree), &t[0].node);
    EXPECT_EQ(rb_erase_cached(&t[0].node, &tree), nullptr);
    EXPECT_EQ(rb_first_cached(&tree), nullptr);
    EXPECT_TRUE(RB_EMPTY_ROOT(&tree.rb_root));
}

TEST(LibRbtree, FindAddRejectsDuplicates) {
    rb_root root = RB_ROOT;
    thing a{10, 0, {}}, b{20, 0, {}}, dup{10, 0, {}};
    auto cmp = [](const rb_node* x, const rb_node* y) { return cmp_key(of(x)->key, y); };
    EXPECT_EQ(rb_find_add(&a.node, &root, cmp), nullptr);
    EXPECT_EQ(rb_find_add(&b.node, &root, cmp), nullptr);
    EXPECT_EQ(rb_find_add(&dup.node, &root, cmp), &a.node);
    EXPECT_EQ(rb_find(20L, &root, cmp_key), &b.node);
    EXPECT_EQ(rb_find(15L, &root, cmp_key), nullptr);
    EXPECT_EQ(in_order(&root), (std::vector<long>{10, 20}));
}

TEST(LibRbtree, ReplaceNode) {
    rb_root root = RB_ROOT;
    thing t[7];
    for (int i = 0; i < 7; i++) {
        t[i].key = i * 10;
        rb_add(&t[i].node, &root, less);
    }
    thing repl{30, 99, {}};
    rb_replace_node(&t[3].node, &repl.node, &root);  // an inner node
    ASSERT_STREQ(rb_check(&root), nullptr);
    EXPECT_EQ(rb_find(30L, &root, cmp_key), &repl.node);
    thing repl_root{root.rb_node == &repl.node ? 30L : of(root.rb_node)->key, 98, {}};
    rb_node* old_root = root.rb_node;
    rb_replace_node(old_root, &repl_root.node, &root);
    EXPECT_EQ(root.rb_node, &repl_root.node);
    ASSERT_STREQ(rb_check(&root), nullptr);
    EXPECT_EQ(in_order(&root), (std::vector<long>{0, 10, 20, 30, 40, 50, 60}));
}

// 10k random operations on a small key range (so duplicates and erasing
// arbitrary equal-keyed nodes are common), everything checked after each step.
TEST(LibRbtree, RandomizedAgainstMultiset) {
    constexpr int kOps = 10000;
    constexpr int kPool = 600;
    std::mt19937 rng(12345);
    auto pool = std::make_unique<thing[]>(kPool);
    std::vector<thing*> free_list, in_tree;
    for (int i = 0; i < kPool; i++) free_list.push_back(&pool[i]);

    rb_root_cached tree = RB_ROOT_CACHED;
    std::multiset<long> ref;
    int inserts = 0, erases = 0;
    for (int op = 0; op < kOps; op++) {
        // Bias towards insertion early, towards erasure once the pool runs low,
        // so the tree both grows large and drains to empty.
        bool insert = !free_list.empty() &&
                      (in_tree.empty() || rng() % kPool < free_list.size() + (op < kOps / 2 ? 100 : 0));
        if (insert) {
            size_t i = rng() % free_list.size();
            thing* t = free_list[i];
            free_list[i] = free_list.back();
            free_list.pop_back();
            t->key = long(rng() % 500) - 250;
            t->id = op;
            rb_node* leftmost_before = rb_first_cached(&tree);
            rb_node* ret = rb_add_cached(&t->node, &tree, less);
            bool is_min = !leftmost_before || t->key < of(leftmost_before)->key;
            ASSERT_EQ(ret, is_min ? &t->node : nullptr) << "op " << op;
            ref.insert(t->key);
            in_tree.push_back(t);
            inserts++;
        } else {
            size_t i = rng() % in_tree.size();
            thing* t = in_tree[i];
            in_tree[i] = in_tree.back();
            in_tree.pop_back();
            bool was_leftmost = rb_first_cached(&tree) == &t->node;
            rb_node* next = rb_next(&t->node);
            rb_node* ret = rb_erase_cached(&t->node, &tree);
            ASSERT_EQ(ret, was_leftmost ? next : nullptr) << "op " << op;
            ref.erase(ref.find(t->key));
            free_list.push_back(t);
            erases++;
        }
        ASSERT_NO_FATAL_FAILURE(expect_matches(&tree, ref)) << "after op " << op;
        if (op % 97 == 0) {
            long probe = long(rng() % 520) - 260;
            rb_node* f = rb_find(probe, &tree.rb_root, cmp_key);
            ASSERT_EQ(f != nullptr, ref.count(probe) > 0);
            if (f) ASSERT_EQ(of(f)->key, probe);
        }
    }
    EXPECT_GT(inserts, 3000);
    EXPECT_GT(erases, 3000);
    // Drain what is left, smallest first, as the scheduler does.
    while (rb_node* n = rb_first_cached(&tree)) {
        ASSERT_EQ(of(n)->key, *ref.begin());
        rb_erase_cached(n, &tree);
        ref.erase(ref.begin());
        ASSERT_NO_FATAL_FAILURE(expect_matches(&tree, ref));
    }
    EXPECT_TRUE(ref.empty());
}

// Unique keys against std::set, using rb_find_add/rb_find/rb_erase on a plain root.
TEST(LibRbtree, RandomizedUniqueAgainstSet) {
    constexpr int kOps = 10000;
    constexpr long kKeys = 2000;
    std::mt19937 rng(777);
    auto pool = std::make_unique<thing[]>(kKeys);
    for (long k = 0; k < kKeys; k++) pool[k].key = k;
    std::vector<bool> present(kKeys, false);
    std::set<long> ref;
    rb_root root = RB_ROOT;
    auto cmp = [](const rb_node* x, const rb_node* y) { return cmp_key(of(x)->key, y); };
    for (int op = 0; op < kOps; op++) {
        long k = long(rng() % kKeys);
        if (!present[k]) {
            ASSERT_EQ(rb_find_add(&pool[k].node, &root, cmp), nullptr);
            ref.insert(k);
        } else {
            ASSERT_EQ(rb_find(k, &root, cmp_key), &pool[k].node);
            rb_erase(&pool[k].node, &root);
            ref.erase(k);
        }
        present[k] = !present[k];
        const char* err = rb_check(&root);
        ASSERT_STREQ(err, nullptr) << "op " << op << ": " << err;
        if (op % 50 == 0 || op == kOps - 1)
            ASSERT_EQ(in_order(&root), std::vector<long>(ref.begin(), ref.end())) << "op " << op;
    }
}

}  // namespace
