// The dentry cache (Linux's fs/dcache.c). A dentry holds a reference on its
// parent and on its inode; a dentry nobody holds any more stays cached on an
// LRU list (positive or negative) until the list outgrows its limit, so the
// next lookup of the same name, or of a name known not to exist, never asks
// the file system. File systems whose tree lives only in the dcache (tmpfs)
// pin their dentries with an extra reference.
#include <keel/dcache.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>

spinlock_t dcache_lock{"dcache_lock"};

namespace {

constexpr unsigned D_HASH_BITS = 12;
list_head dentry_hashtable[1u << D_HASH_BITS];  // each bucket starts empty (list_head links to itself)
// Unused dentries, oldest first; pruned beyond this many (Linux shrinks under
// memory pressure; a fixed bound keeps negative entries from growing forever).
constexpr long MAX_UNUSED = 8192;
list_head dentry_lru{&dentry_lru, &dentry_lru};
long nr_unused;
Atomic<long> dentry_count{0};

// The name's hash already mixes in the parent (full_name_hash's salt); one
// multiplication spreads all its bits into the top ones the bucket is taken
// from. (Adding a parent-only term instead sent every child of a directory
// to the same few buckets: 10,000 files made lookups 7x slower than Linux's.)
list_head* d_hash_bucket(const dentry* parent, unsigned hash) {
    u64 h = (u64(hash) ^ (reinterpret_cast<unsigned long>(parent) >> 4)) * 0x9e3779b97f4a7c15ull;
    return &dentry_hashtable[h >> (64 - D_HASH_BITS)];
}

bool set_name(dentry* d, const char* name, unsigned len, unsigned hash) {
    char* buf = d->d_iname;
    if (len >= DNAME_INLINE_LEN) {
        buf = static_cast<char*>(kmalloc(len + 1, GFP_KERNEL));
        if (!buf) return false;
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    if (d->d_name.name && d->d_name.name != d->d_iname) kfree(d->d_name.name);
    d->d_name = {buf, len, hash};
    return true;
}

// Called with dcache_lock held.
void lru_del(dentry* d) {
    if (!(d->d_flags & DCACHE_LRU)) return;
    list_del_init(&d->d_lru);
    d->d_flags &= ~DCACHE_LRU;
    nr_unused--;
}

void __d_drop(dentry* d) {
    if (d_unhashed(d)) return;
    list_del_init(&d->d_hash);
    d->d_flags |= DCACHE_UNHASHED;
}

void __d_rehash(dentry* d) {
    list_add(&d->d_hash, d_hash_bucket(d->d_parent, d->d_name.hash));
    d->d_flags &= ~DCACHE_UNHASHED;
}

// Frees a dentry whose count reached zero and which dcache_lock no longer
// reaches; returns its parent, whose reference the caller must drop.
dentry* d_free(dentry* d) {
    dentry* parent = IS_ROOT(d) ? nullptr : d->d_parent;
    if (d->d_op && d->d_op->d_release) d->d_op->d_release(d);
    if (d->d_inode) iput(d->d_inode);
    if (d->d_name.name != d->d_iname) kfree(d->d_name.name);
    d->~dentry();
    kfree(d);
    dentry_count.fetch_sub(1, memory_order::relaxed);
    return parent;
}

// Takes the oldest unused dentries off the cache while there are too many.
void prune_lru() {
    for (;;) {
        dentry* victim;
        {
            Guard<NoIrqSave> guard(dcache_lock);
            if (nr_unused <= MAX_UNUSED) return;
            victim = container_of(dentry_lru.next, dentry, d_lru);
            lru_del(victim);
            __d_drop(victim);
            list_del_init(&victim->d_child);
        }
        dput(d_free(victim));
    }
}

}  // namespace

unsigned full_name_hash(const void* salt, const char* name, unsigned len) {
    u64 h = 0xcbf29ce484222325ull ^ reinterpret_cast<unsigned long>(salt);
    for (unsigned i = 0; i < len; i++) h = (h ^ u8(name[i])) * 0x100000001b3ull;  // FNV-1a
    return unsigned(h ^ (h >> 32));
}

long nr_dentries() { return dentry_count.load(memory_order::relaxed); }

namespace {

// Drops a reference that is not the last without taking dcache_lock (the
// common case on every path walk): only the last one changes the cache.
bool dput_fast(dentry* d) {
    int c = d->d_count.load(memory_order::relaxed);
    while (c > 1)
        if (d->d_count.compare_exchange(c, c - 1, memory_order::acq_rel, memory_order::relaxed)) return true;
    return false;
}

}  // namespace

void dput(dentry* d) {
    bool cached = false;
    while (d && !dput_fast(d)) {
        {
            Guard<NoIrqSave> guard(dcache_lock);
            if (d->d_count.fetch_sub(1, memory_order::acq_rel) != 1) return;
            bool keep = !d_unhashed(d) && !(d->d_op && d->d_op->d_delete && d->d_op->d_delete(d));
            if (keep) {
                if (!(d->d_flags & DCACHE_LRU)) {
                    list_add_tail(&d->d_lru, &dentry_lru);
                    d->d_flags |= DCACHE_LRU;
                    cached = ++nr_unused > MAX_UNUSED;
                }
                d = nullptr;
            } else {
                __d_drop(d);
                list_del_init(&d->d_child);
            }
        }
        if (!d) break;
        d = d_free(d);
    }
    if (cached) prune_lru();  // the cache outgrew its bound
}

dentry* dget_parent(dentry* d) {
    Guard<NoIrqSave> guard(dcache_lock);  // d_move may change d_parent
    return dget(d->d_parent);
}

namespace {

dentry* __d_alloc(super_block* sb, const qstr* name) {
    void* mem = kmalloc(sizeof(dentry), GFP_KERNEL);
    if (!mem) return nullptr;
    dentry* d = new (mem) dentry;
    INIT_LIST_HEAD(&d->d_child);
    INIT_LIST_HEAD(&d->d_subdirs);
    INIT_LIST_HEAD(&d->d_hash);
    INIT_LIST_HEAD(&d->d_lru);
    d->d_flags = DCACHE_UNHASHED;
    if (!set_name(d, name->name, name->len, name->hash)) {
        kfree(d);
        return nullptr;
    }
    d->d_parent = d;
    d->d_sb = sb;
    d->d_op = sb ? sb->s_d_op : nullptr;
    dentry_count.fetch_add(1, memory_order::relaxed);
    return d;
}

}  // namespace

dentry* d_alloc(dentry* parent, const qstr* name) {
    qstr q = *name;
    q.hash = full_name_hash(parent, name->name, name->len);
    dentry* d = __d_alloc(parent->d_sb, &q);
    if (!d) return nullptr;
    d->d_parent = dget(parent);
    Guard<NoIrqSave> guard(dcache_lock);
    // At the head, as Linux: a tmpfs directory lists its newest entries
    // first, and a name created during a readdir is not returned by it.
    list_add(&d->d_child, &parent->d_subdirs);
    return d;
}

dentry* d_alloc_pseudo(super_block* sb, const qstr* name) { return __d_alloc(sb, name); }

dentry* d_make_root(inode* root_inode) {
    if (!root_inode) return nullptr;
    qstr name = {"/", 1, 0};
    dentry* d = __d_alloc(root_inode->i_sb, &name);
    if (!d) {
        iput(root_inode);
        return nullptr;
    }
    d->d_inode = root_inode;
    return d;
}

void d_instantiate(dentry* d, inode* i) {
    Guard<NoIrqSave> guard(dcache_lock);
    d->d_inode = i;
}

void d_add(dentry* d, inode* i) {
    Guard<NoIrqSave> guard(dcache_lock);
    d->d_inode = i;
    if (d_unhashed(d)) __d_rehash(d);
}

void d_rehash(dentry* d) {
    Guard<NoIrqSave> guard(dcache_lock);
    if (d_unhashed(d)) __d_rehash(d);
}

dentry* d_lookup(const dentry* parent, const qstr* name) {
    unsigned hash = full_name_hash(parent, name->name, name->len);
    Guard<NoIrqSave> guard(dcache_lock);
    list_head* bucket = d_hash_bucket(parent, hash);
    for (list_head* pos = bucket->next; pos != bucket; pos = pos->next) {
        dentry* d = container_of(pos, dentry, d_hash);
        if (d->d_parent != parent || d->d_name.hash != hash || d->d_name.len != name->len) continue;
        if (memcmp(d->d_name.name, name->name, name->len) != 0) continue;
        lru_del(d);
        return dget(d);
    }
    return nullptr;
}

dentry* d_hash_and_lookup(dentry* parent, qstr* name) {
    name->hash = full_name_hash(parent, name->name, name->len);
    return d_lookup(parent, name);
}

void d_drop(dentry* d) {
    Guard<NoIrqSave> guard(dcache_lock);
    __d_drop(d);
}

void d_delete(dentry* d) {
    inode* i = nullptr;
    {
        Guard<NoIrqSave> guard(dcache_lock);
        if (d->d_count.load(memory_order::relaxed) == 1) {
            // Only the caller uses it: keep the name as a negative entry.
            i = d->d_inode;
            d->d_inode = nullptr;
        } else {
            __d_drop(d);
        }
    }
    if (i) iput(i);
}

namespace {

// Swaps two dentries' names and places in the tree (called with dcache_lock
// held, both unhashed). Inline names are copied, external ones swapped by
// pointer, so nothing is allocated and nothing can fail.
void swap_names_and_parents(dentry* a, dentry* b) {
    char buf[DNAME_INLINE_LEN];
    memcpy(buf, a->d_iname, DNAME_INLINE_LEN);
    memcpy(a->d_iname, b->d_iname, DNAME_INLINE_LEN);
    memcpy(b->d_iname, buf, DNAME_INLINE_LEN);
    qstr an = a->d_name, bn = b->d_name;
    a->d_name = bn.name == b->d_iname ? qstr{a->d_iname, bn.len, 0} : bn;
    b->d_name = an.name == a->d_iname ? qstr{b->d_iname, an.len, 0} : an;
    dentry* ap = a->d_parent;
    dentry* bp = b->d_parent;
    list_del(&a->d_child);
    list_del(&b->d_child);
    list_add(&a->d_child, &bp->d_subdirs);  // at the head, as a new name would be
    list_add(&b->d_child, &ap->d_subdirs);
    a->d_parent = bp;  // each parent keeps one child, so its reference count stays right
    b->d_parent = ap;
    a->d_name.hash = full_name_hash(bp, a->d_name.name, a->d_name.len);
    b->d_name.hash = full_name_hash(ap, b->d_name.name, b->d_name.len);
}

}  // namespace

void d_move(dentry* d, dentry* target) {
    Guard<NoIrqSave> guard(dcache_lock);
    __d_drop(target);
    __d_drop(d);
    swap_names_and_parents(d, target);  // the target ends with d's old name, unhashed
    __d_rehash(d);
}

void d_exchange(dentry* a, dentry* b) {
    Guard<NoIrqSave> guard(dcache_lock);
    __d_drop(a);
    __d_drop(b);
    swap_names_and_parents(a, b);
    __d_rehash(a);
    __d_rehash(b);
}

dentry* d_walk_find(dentry* root, bool (*match)(dentry* d)) {
    dentry* d = root;
    list_head* pos = d->d_subdirs.next;
    while (pos != &d->d_subdirs || d != root) {
        if (pos == &d->d_subdirs) {  // finished d's children: back up to its next sibling
            pos = d->d_child.next;
            d = d->d_parent;
            continue;
        }
        dentry* c = container_of(pos, dentry, d_child);
        if (match(c)) return c;
        if (!list_empty(&c->d_subdirs)) {
            d = c;
            pos = c->d_subdirs.next;
            continue;
        }
        pos = pos->next;
    }
    return nullptr;
}

namespace {

// Frees one unused leaf below parent; false when there is none left.
bool shrink_one(dentry* parent) {
    dentry* victim;
    {
        Guard<NoIrqSave> guard(dcache_lock);
        victim = d_walk_find(parent, [](dentry* c) {
            return c->d_count.load(memory_order::relaxed) == 0 && list_empty(&c->d_subdirs);
        });
        if (!victim) return false;
        lru_del(victim);
        __d_drop(victim);
        list_del_init(&victim->d_child);
    }
    dput(d_free(victim));
    return true;
}

}  // namespace

void shrink_dcache_parent(dentry* parent) {
    while (shrink_one(parent)) {
    }
}

void shrink_dcache_sb(super_block* sb) {
    if (sb->s_root) shrink_dcache_parent(sb->s_root);
}

bool is_subdir(dentry* d, dentry* ancestor) {
    Guard<NoIrqSave> guard(dcache_lock);
    for (;;) {
        if (d == ancestor) return true;
        if (IS_ROOT(d)) return false;
        d = d->d_parent;
    }
}
