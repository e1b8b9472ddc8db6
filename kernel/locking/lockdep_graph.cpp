// The lock-dependency graph: classes, edges, and the cycle search that turns a
// new edge into a deadlock report. Pure data structure code, also built into
// the host tests (tests/host/locking_lockdep_test.cpp).
#include <keel/spinlock.h>
#include <kernel/locking/lockdep_internals.h>
#include <lib/string.h>
#include <lib/vsprintf.h>

namespace {

lock_class classes[MAX_LOCKDEP_KEYS];
Atomic<unsigned> nr_classes{1};  // id 0 means "empty" in the hash
lock_list edges[MAX_LOCKDEP_ENTRIES];
Atomic<int> nr_edges{0};

// Open-addressed hash tables, twice the size of what they index. Slots are
// written once (under the graph lock) and read without it.
constexpr unsigned CLASSHASH_SIZE = 2 * MAX_LOCKDEP_KEYS;
constexpr unsigned EDGEHASH_SIZE = 2 * MAX_LOCKDEP_ENTRIES;
Atomic<u16> classhash[CLASSHASH_SIZE];
Atomic<u32> edgehash[EDGEHASH_SIZE];

// Class registration can happen on any CPU at any lock's first use, so it has
// its own bare lock (the caller of the edge functions holds another).
arch_spinlock_t class_lock;

unsigned long hash_str(const char* s, unsigned long h) {
    while (*s) h = (h ^ u8(*s++)) * 0x100000001b3ul;  // FNV-1a
    return h;
}

unsigned long class_hash(const lockdep_map* map, unsigned subclass) {
    unsigned long h = 0xcbf29ce484222325ul;
    h = map->name ? hash_str(map->name, h) : hash_str(map->file, h) ^ map->line;
    return (h ^ subclass) * 0x9e3779b97f4a7c15ul;
}

bool class_matches(const lock_class* c, const lockdep_map* map, unsigned subclass) {
    if (c->subclass != subclass) return false;
    if (map->name) return c->name && strcmp(c->name, map->name) == 0;
    return !c->name && c->line == map->line && strcmp(c->file, map->file) == 0;
}

lock_class* find_class(const lockdep_map* map, unsigned subclass, unsigned* free_slot) {
    for (unsigned i = unsigned(class_hash(map, subclass) % CLASSHASH_SIZE);; i = (i + 1) % CLASSHASH_SIZE) {
        u16 id = classhash[i].load(memory_order::acquire);
        if (!id) {
            if (free_slot) *free_slot = i;
            return nullptr;
        }
        if (class_matches(&classes[id], map, subclass)) return &classes[id];
    }
}

unsigned edge_slot(u32 key) { return unsigned((u64(key) * 0x9e3779b97f4a7c15ul) >> 40) % EDGEHASH_SIZE; }

// Breadth-first search from `start` for `target`; on success `chain` gets the
// edges of the path in order. Serialised by the graph lock, so the work arrays
// can be static (a lock can be taken deep in a 16 KiB kernel stack).
bool find_path(u16 start, u16 target, int* chain, unsigned* chain_len) {
    static u32 seen_gen[MAX_LOCKDEP_KEYS];
    static u32 gen;
    static int via_edge[MAX_LOCKDEP_KEYS];
    static u16 queue[MAX_LOCKDEP_KEYS];
    gen++;
    unsigned head = 0, tail = 0;
    queue[tail++] = start;
    seen_gen[start] = gen;
    via_edge[start] = -1;
    while (head < tail) {
        u16 c = queue[head++];
        if (c == target) {
            unsigned n = 0;
            for (int e = via_edge[c]; e >= 0; e = via_edge[edges[e].from]) n++;
            unsigned keep = n < MAX_LOCKDEP_CHAIN ? n : MAX_LOCKDEP_CHAIN;
            // Fill from the end: the walk goes target -> start.
            unsigned i = n;
            for (int e = via_edge[c]; e >= 0; e = via_edge[edges[e].from]) {
                i--;
                if (i < keep) chain[i] = e;
            }
            *chain_len = keep;
            return true;
        }
        for (int e = classes[c].first_after.load(memory_order::acquire); e >= 0; e = edges[e].next_after) {
            u16 next = edges[e].to;
            if (seen_gen[next] == gen) continue;
            seen_gen[next] = gen;
            via_edge[next] = e;
            queue[tail++] = next;
        }
    }
    return false;
}

}  // namespace

lock_class* lockdep_class_lookup(const lockdep_map* map, unsigned subclass) {
    if (lock_class* c = find_class(map, subclass, nullptr)) return c;
    class_lock.lock();
    unsigned slot;
    lock_class* c = find_class(map, subclass, &slot);  // someone may have won the race
    if (!c && nr_classes.load(memory_order::relaxed) < MAX_LOCKDEP_KEYS) {
        u16 id = u16(nr_classes.fetch_add(1, memory_order::relaxed));
        c = &classes[id];
        c->name = map->name;
        c->file = map->file;
        c->line = map->line;
        c->subclass = subclass;
        c->id = id;
        c->first_after.store(-1, memory_order::relaxed);
        classhash[slot].store(id, memory_order::release);
    }
    class_lock.unlock();
    return c;
}

lock_class* lockdep_class(u16 id) { return &classes[id]; }
const lock_list* lockdep_edge(int index) { return &edges[index]; }

bool lockdep_edge_exists(const lock_class* from, const lock_class* to) {
    u32 key = u32(from->id) << 16 | to->id;
    for (unsigned i = edge_slot(key);; i = (i + 1) % EDGEHASH_SIZE) {
        u32 k = edgehash[i].load(memory_order::acquire);
        if (k == key) return true;
        if (!k) return false;
    }
}

add_result lockdep_add_edge(lock_class* from, lock_class* to, const unsigned long* trace, unsigned nr_entries,
                            int* chain, unsigned* chain_len) {
    if (lockdep_edge_exists(from, to)) return add_result::exists;
    int n = nr_edges.load(memory_order::relaxed);
    if (n >= int(MAX_LOCKDEP_ENTRIES)) return add_result::full;
    bool cycle = find_path(to->id, from->id, chain, chain_len);

    lock_list* e = &edges[n];
    e->from = from->id;
    e->to = to->id;
    e->nr_entries = nr_entries < LOCKDEP_TRACE_DEPTH ? nr_entries : LOCKDEP_TRACE_DEPTH;
    memcpy(e->trace, trace, e->nr_entries * sizeof(trace[0]));
    e->next_after = from->first_after.load(memory_order::relaxed);
    nr_edges.store(n + 1, memory_order::relaxed);
    from->first_after.store(n, memory_order::release);
    u32 key = u32(from->id) << 16 | to->id;
    unsigned i = edge_slot(key);
    while (edgehash[i].load(memory_order::relaxed)) i = (i + 1) % EDGEHASH_SIZE;
    edgehash[i].store(key, memory_order::release);
    return cycle ? add_result::cycle : add_result::added;
}

void lockdep_class_name(const lock_class* c, char* buf, size_t size) {
    int len = c->name ? snprintf(buf, size, "%s", c->name) : snprintf(buf, size, "%s:%u", c->file, c->line);
    if (c->subclass && len >= 0 && size_t(len) < size) snprintf(buf + len, size - size_t(len), "/%u", c->subclass);
}
