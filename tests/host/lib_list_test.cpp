// lib/list.h: the Linux list API and the typed IntrusiveList, checked against
// the expected order after each operation and walked in both directions so a
// broken prev link cannot hide behind a correct next link.
#include <gtest/gtest.h>
#include <vector>

// Keel headers after the C library: keel/compiler.h defines short names
// (__init, __always_inline) that glibc uses as identifiers.
#include <lib/list.h>

namespace {

struct item {
    int value;
    list_head node;
    list_head other;  // a second link: one object on two lists at once
};

// Values in forward order; also checks that walking backwards gives the reverse
// and that every prev/next pair agrees.
std::vector<int> values(list_head* head) {
    std::vector<int> fwd, back;
    for (list_head* p = head->next; p != head; p = p->next) {
        EXPECT_EQ(p->next->prev, p);
        fwd.push_back(list_entry(p, item, node)->value);
    }
    for (list_head* p = head->prev; p != head; p = p->prev)
        back.insert(back.begin(), list_entry(p, item, node)->value);
    EXPECT_EQ(fwd, back);
    return fwd;
}

using V = std::vector<int>;

TEST(LibList, InitAndEmpty) {
    LIST_HEAD(head);
    EXPECT_TRUE(list_empty(&head));
    EXPECT_EQ(head.next, &head);
    list_head dyn;  // default member initialisers: starts empty too
    EXPECT_TRUE(list_empty(&dyn));
    dyn.next = nullptr;
    INIT_LIST_HEAD(&dyn);
    EXPECT_TRUE(list_empty(&dyn));
    EXPECT_EQ(dyn.prev, &dyn);
}

TEST(LibList, AddIsStackAddTailIsQueue) {
    LIST_HEAD(head);
    item a{1, {}, {}}, b{2, {}, {}}, c{3, {}, {}};
    list_add(&a.node, &head);
    list_add(&b.node, &head);
    list_add_tail(&c.node, &head);
    EXPECT_EQ(values(&head), (V{2, 1, 3}));
    EXPECT_EQ(list_first_entry(&head, item, node), &b);
    EXPECT_EQ(list_last_entry(&head, item, node), &c);
    EXPECT_TRUE(list_is_first(&b.node, &head));
    EXPECT_TRUE(list_is_last(&c.node, &head));
    EXPECT_FALSE(list_is_last(&a.node, &head));
    EXPECT_FALSE(list_is_singular(&head));
}

TEST(LibList, DelPoisonsDelInitReinitialises) {
    LIST_HEAD(head);
    item a{1, {}, {}}, b{2, {}, {}}, c{3, {}, {}};
    list_add_tail(&a.node, &head);
    list_add_tail(&b.node, &head);
    list_add_tail(&c.node, &head);
    list_del(&b.node);
    EXPECT_EQ(values(&head), (V{1, 3}));
    EXPECT_EQ(b.node.next, LIST_POISON1);
    EXPECT_EQ(b.node.prev, LIST_POISON2);
    list_del_init(&a.node);
    EXPECT_TRUE(list_empty(&a.node));
    list_del_init(&a.node);  // twice is harmless
    EXPECT_EQ(values(&head), (V{3}));
    EXPECT_TRUE(list_is_singular(&head));
    list_del(&c.node);
    EXPECT_TRUE(list_empty(&head));
    EXPECT_EQ(list_first_entry_or_null(&head, item, node), nullptr);
}

TEST(LibList, MoveBetweenLists) {
    LIST_HEAD(x);
    LIST_HEAD(y);
    item a{1, {}, {}}, b{2, {}, {}}, c{3, {}, {}};
    list_add_tail(&a.node, &x);
    list_add_tail(&b.node, &x);
    list_add_tail(&c.node, &y);
    list_move(&b.node, &y);
    EXPECT_EQ(values(&x), (V{1}));
    EXPECT_EQ(values(&y), (V{2, 3}));
    list_move_tail(&a.node, &y);
    EXPECT_TRUE(list_empty(&x));
    EXPECT_EQ(values(&y), (V{2, 3, 1}));
    list_move_tail(&b.node, &y);  // within the same list: rotate to the end
    EXPECT_EQ(values(&y), (V{3, 1, 2}));
}

TEST(LibList, SpliceInit) {
    LIST_HEAD(x);
    LIST_HEAD(y);
    item it[6];
    for (int i = 0; i < 6; i++) {
        it[i].value = i;
        list_add_tail(&it[i].node, i < 3 ? &x : &y);
    }
    list_splice_init(&x, &y);
    EXPECT_TRUE(list_empty(&x));
    EXPECT_EQ(values(&y), (V{0, 1, 2, 3, 4, 5}));
    list_splice_init(&x, &y);  // splicing an empty list changes nothing
    EXPECT_EQ(values(&y), (V{0, 1, 2, 3, 4, 5}));
    list_splice_tail_init(&y, &x);
    EXPECT_TRUE(list_empty(&y));
    EXPECT_EQ(values(&x), (V{0, 1, 2, 3, 4, 5}));
    LIST_HEAD(z);
    item last{9, {}, {}};
    list_add(&last.node, &z);
    list_splice_tail_init(&x, &z);
    EXPECT_EQ(values(&z), (V{9, 0, 1, 2, 3, 4, 5}));
}

TEST(LibList, Replace) {
    LIST_HEAD(head);
    item a{1, {}, {}}, b{2, {}, {}}, c{3, {}, {}};
    list_add_tail(&a.node, &head);
    list_add_tail(&b.node, &head);
    list_replace(&a.node, &c.node);
    EXPECT_EQ(values(&head), (V{3, 2}));
}

TEST(LibList, ForEachEntryAndSafeRemoval) {
    LIST_HEAD(head);
    item it[5];
    for (int i = 0; i < 5; i++) {
        it[i].value = i;
        list_add_tail(&it[i].node, &head);
    }
    int sum = 0;
    item* pos;
    list_for_each_entry(pos, &head, node) sum += pos->value;
    EXPECT_EQ(sum, 10);

    item* n;
    list_for_each_entry_safe(pos, n, &head, node) {
        if (pos->value % 2) list_del(&pos->node);
    }
    EXPECT_EQ(values(&head), (V{0, 2, 4}));

    list_head *p, *tmp;
    int count = 0;
    list_for_each_safe(p, tmp, &head) {
        list_del_init(p);
        count++;
    }
    EXPECT_EQ(count, 3);
    EXPECT_TRUE(list_empty(&head));
    count = 0;
    list_for_each(p, &head) count++;
    EXPECT_EQ(count, 0);
}

TEST(LibList, ObjectOnTwoLists) {
    LIST_HEAD(by_node);
    LIST_HEAD(by_other);
    item a{1, {}, {}}, b{2, {}, {}};
    list_add_tail(&a.node, &by_node);
    list_add_tail(&b.node, &by_node);
    list_add_tail(&b.other, &by_other);
    list_add_tail(&a.other, &by_other);
    EXPECT_EQ(list_first_entry(&by_other, item, other), &b);
    EXPECT_EQ(list_first_entry(&by_node, item, node), &a);
}

// ---- IntrusiveList ----------------------------------------------------------

struct task {
    int pid;
    list_head run;
    list_head wait;
};

using RunQueue = IntrusiveList<task, &task::run>;
using WaitQueue = IntrusiveList<task, &task::wait>;

std::vector<int> pids(RunQueue& q) {
    std::vector<int> out;
    for (task& t : q) out.push_back(t.pid);
    return out;
}

TEST(LibIntrusiveList, PushPopFront) {
    RunQueue q;
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.front(), nullptr);
    EXPECT_EQ(q.back(), nullptr);
    EXPECT_EQ(q.pop_front(), nullptr);
    task a{1, {}, {}}, b{2, {}, {}}, c{3, {}, {}};
    q.push_back(a);
    q.push_back(b);
    q.push_front(c);
    EXPECT_FALSE(q.empty());
    EXPECT_EQ(pids(q), (V{3, 1, 2}));
    EXPECT_EQ(q.front(), &c);
    EXPECT_EQ(q.back(), &b);
    EXPECT_EQ(q.pop_front(), &c);
    EXPECT_FALSE(RunQueue::is_linked(c));
    EXPECT_EQ(pids(q), (V{1, 2}));
    EXPECT_EQ(q.pop_front(), &a);
    EXPECT_EQ(q.pop_front(), &b);
    EXPECT_TRUE(q.empty());
}

TEST(LibIntrusiveList, OwnerUndoesNode) {
    task t{7, {}, {}};
    EXPECT_EQ(RunQueue::owner(RunQueue::node(t)), &t);
    EXPECT_EQ(WaitQueue::owner(WaitQueue::node(t)), &t);
    EXPECT_EQ(WaitQueue::node(t), &t.wait);
}

TEST(LibIntrusiveList, RemoveWhileIterating) {
    RunQueue q;
    task t[6];
    for (int i = 0; i < 6; i++) {
        t[i].pid = i;
        q.push_back(t[i]);
    }
    for (task& x : q)
        if (x.pid % 3 == 0) q.remove(x);
    EXPECT_EQ(pids(q), (V{1, 2, 4, 5}));
    EXPECT_FALSE(RunQueue::is_linked(t[0]));
    EXPECT_TRUE(RunQueue::is_linked(t[1]));
    q.remove(t[0]);  // already unlinked: no effect
    EXPECT_EQ(pids(q), (V{1, 2, 4, 5}));
    for (task& x : q) q.remove(x);  // empty it entirely from inside the loop
    EXPECT_TRUE(q.empty());
}

TEST(LibIntrusiveList, TwoTypedListsAndLinuxApiInterop) {
    RunQueue run;
    WaitQueue wait;
    task a{1, {}, {}}, b{2, {}, {}};
    run.push_back(a);
    run.push_back(b);
    wait.push_back(b);
    EXPECT_EQ(wait.front(), &b);
    EXPECT_EQ(pids(run), (V{1, 2}));
    // The head is an ordinary list_head.
    EXPECT_EQ(list_first_entry(run.head(), task, run), &a);
    task* pos;
    int n = 0;
    list_for_each_entry(pos, wait.head(), wait) n += pos->pid;
    EXPECT_EQ(n, 2);
    // Moving between lists with the Linux API keeps the typed view consistent.
    list_move_tail(&a.run, &run.head()[0]);
    EXPECT_EQ(pids(run), (V{2, 1}));
}

}  // namespace
