// memblock: sorted region arrays with merge-on-insert and split-on-remove, and a
// top-down first-fit allocator over "memory minus reserved".
#include <keel/panic.h>
#include <keel/printk.h>
#include <lib/string.h>
#include <mm/memblock.h>
#include <asm/page_types.h>

namespace {
constexpr phys_addr_t SMP_CACHE_BYTES = 64;

memblock_region memory_regions[INIT_MEMBLOCK_REGIONS];
memblock_region reserved_regions[INIT_MEMBLOCK_REGIONS];
bool handed_over;

phys_addr_t region_end(const memblock_region& r) { return r.base + r.size; }

// Clamps [base, base+size) so the end does not wrap around the address space.
phys_addr_t cap_size(phys_addr_t base, phys_addr_t size) {
    return size < PHYS_ADDR_MAX - base ? size : PHYS_ADDR_MAX - base;
}

void recount(memblock_type* type) {
    type->total_size = 0;
    for (unsigned long i = 0; i < type->cnt; i++) type->total_size += type->regions[i].size;
}

void insert_slot(memblock_type* type, unsigned long i) {
    if (type->cnt >= type->max)
        panic("memblock: %s array is full (%lu regions); raise INIT_MEMBLOCK_REGIONS", type->name,
              type->max);
    memmove(&type->regions[i + 1], &type->regions[i], (type->cnt - i) * sizeof(memblock_region));
    type->cnt++;
}

void remove_slots(memblock_type* type, unsigned long i, unsigned long n) {
    memmove(&type->regions[i], &type->regions[i + n],
            (type->cnt - i - n) * sizeof(memblock_region));
    type->cnt -= n;
}

// Adds [base, base+size), merging with every region it overlaps or touches, so
// the array stays sorted, disjoint and minimal.
void add_range(memblock_type* type, phys_addr_t base, phys_addr_t size) {
    size = cap_size(base, size);
    if (!size) return;
    phys_addr_t end = base + size;
    unsigned long i = 0;
    while (i < type->cnt && region_end(type->regions[i]) < base) i++;
    unsigned long j = i;
    while (j < type->cnt && type->regions[j].base <= end) {
        if (type->regions[j].base < base) base = type->regions[j].base;
        if (region_end(type->regions[j]) > end) end = region_end(type->regions[j]);
        j++;
    }
    if (j == i)
        insert_slot(type, i);
    else
        remove_slots(type, i + 1, j - i - 1);
    type->regions[i] = {base, end - base};
    recount(type);
}

// Removes [base, base+size), trimming regions at its edges and splitting one
// that contains it.
void remove_range(memblock_type* type, phys_addr_t base, phys_addr_t size) {
    size = cap_size(base, size);
    phys_addr_t end = base + size;
    unsigned long i = 0;
    while (i < type->cnt) {
        memblock_region& r = type->regions[i];
        phys_addr_t rb = r.base, re = region_end(r);
        if (re <= base) {
            i++;
            continue;
        }
        if (rb >= end) break;
        if (rb < base && re > end) {  // the hole is strictly inside: split
            r.size = base - rb;
            insert_slot(type, i + 1);
            type->regions[i + 1] = {end, re - end};
            break;
        }
        if (rb < base) {
            r.size = base - rb;
            i++;
        } else if (re > end) {
            r = {end, re - end};
            i++;
        } else {
            remove_slots(type, i, 1);
        }
    }
    recount(type);
}

bool type_contains(const memblock_type* type, phys_addr_t addr) {
    for (unsigned long i = 0; i < type->cnt; i++)
        if (addr >= type->regions[i].base && addr < region_end(type->regions[i])) return true;
    return false;
}

void dump_type(const memblock_type* type) {
    pr_info(" %s.cnt  = 0x%lx\n", type->name, type->cnt);
    for (unsigned long i = 0; i < type->cnt; i++) {
        const memblock_region& r = type->regions[i];
        pr_info(" %s[%#lx]\t[0x%016llx-0x%016llx], 0x%016llx bytes on node 0 flags: 0x0\n",
                type->name, i, (unsigned long long)r.base,
                (unsigned long long)(region_end(r) - 1), (unsigned long long)r.size);
    }
}

void debug_range(const char* fn, phys_addr_t base, phys_addr_t size, void* caller) {
    if (memblock_debug)
        pr_info("%s: [0x%016llx-0x%016llx] %pS\n", fn, (unsigned long long)base,
                (unsigned long long)(base + size - 1), caller);
}
}  // namespace

memblock_state memblock = {
    PHYS_ADDR_MAX,
    {0, INIT_MEMBLOCK_REGIONS, 0, memory_regions, "memory"},
    {0, INIT_MEMBLOCK_REGIONS, 0, reserved_regions, "reserved"},
};
bool memblock_debug;

void memblock_add(phys_addr_t base, phys_addr_t size) {
    debug_range("memblock_add", base, size, __builtin_return_address(0));
    add_range(&memblock.memory, base, size);
}

void memblock_remove(phys_addr_t base, phys_addr_t size) {
    debug_range("memblock_remove", base, size, __builtin_return_address(0));
    remove_range(&memblock.memory, base, size);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size) {
    debug_range("memblock_reserve", base, size, __builtin_return_address(0));
    add_range(&memblock.reserved, base, size);
}

void memblock_phys_free(phys_addr_t base, phys_addr_t size) {
    debug_range("memblock_phys_free", base, size, __builtin_return_address(0));
    remove_range(&memblock.reserved, base, size);
}

// Free ranges are the gaps between reserved regions, intersected with each
// memory region. The index packs (memory region, reserved gap) so the walk can
// resume: gap k lies between reserved[k-1] and reserved[k].
bool __next_free_mem_range(u64* idx, phys_addr_t* out_start, phys_addr_t* out_end) {
    const memblock_type& mem = memblock.memory;
    const memblock_type& rsv = memblock.reserved;
    unsigned long ia = *idx & 0xffffffff, ib = *idx >> 32;
    for (; ia < mem.cnt; ia++) {
        phys_addr_t m_start = mem.regions[ia].base, m_end = region_end(mem.regions[ia]);
        for (; ib <= rsv.cnt; ib++) {
            phys_addr_t g_start = ib ? region_end(rsv.regions[ib - 1]) : 0;
            phys_addr_t g_end = ib < rsv.cnt ? rsv.regions[ib].base : PHYS_ADDR_MAX;
            if (g_start >= m_end) break;  // this gap belongs to later memory regions
            if (g_end <= m_start) continue;
            *out_start = m_start > g_start ? m_start : g_start;
            *out_end = m_end < g_end ? m_end : g_end;
            // Whichever of the two ends first is the one to advance past.
            if (m_end <= g_end)
                ia++;
            else
                ib++;
            *idx = u64(ia) | (u64(ib) << 32);
            return true;
        }
    }
    *idx = u64(ia) | (u64(ib) << 32);
    return false;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end) {
    if (handed_over) panic("memblock: allocation of %llu bytes after memblock_free_all()",
                           (unsigned long long)size);
    if (!align) align = SMP_CACHE_BYTES;
    if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end > memblock.current_limit)
        end = memblock.current_limit;
    // Physical address 0 doubles as the failure value, so it is never handed out.
    if (start < PAGE_SIZE) start = PAGE_SIZE;
    phys_addr_t found = 0;
    phys_addr_t fs, fe;
    // Ranges come in ascending order, so the last fit is the highest one.
    for_each_free_mem_range(i, &fs, &fe) {
        if (fs < start) fs = start;
        if (fe > end) fe = end;
        if (fe <= fs || fe - fs < size) continue;
        phys_addr_t cand = align_down(fe - size, align);
        if (cand >= fs) found = cand;
    }
    if (memblock_debug)
        pr_info("memblock_phys_alloc_range: %llu bytes align=0x%llx from=0x%016llx "
                "max_addr=0x%016llx %pS\n",
                (unsigned long long)size, (unsigned long long)align, (unsigned long long)start,
                (unsigned long long)end, __builtin_return_address(0));
    if (found) add_range(&memblock.reserved, found, size);
    return found;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align) {
    return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

void* memblock_alloc(phys_addr_t size, phys_addr_t align) {
    phys_addr_t pa = memblock_phys_alloc(size, align);
    if (!pa) return nullptr;
    void* va = __va(pa);
    memset(va, 0, size);
    return va;
}

void memblock_set_current_limit(phys_addr_t limit) { memblock.current_limit = limit; }
phys_addr_t memblock_phys_mem_size() { return memblock.memory.total_size; }
phys_addr_t memblock_reserved_size() { return memblock.reserved.total_size; }

phys_addr_t memblock_start_of_DRAM() {
    return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM() {
    const memblock_type& m = memblock.memory;
    return m.cnt ? region_end(m.regions[m.cnt - 1]) : 0;
}

bool memblock_is_reserved(phys_addr_t addr) { return type_contains(&memblock.reserved, addr); }
bool memblock_is_memory(phys_addr_t addr) { return type_contains(&memblock.memory, addr); }

void memblock_dump_all() {
    pr_info("MEMBLOCK configuration:\n");
    pr_info(" memory size = 0x%016llx reserved size = 0x%016llx\n",
            (unsigned long long)memblock.memory.total_size,
            (unsigned long long)memblock.reserved.total_size);
    dump_type(&memblock.memory);
    dump_type(&memblock.reserved);
}

void memblock_mark_handed_over() { handed_over = true; }

void memblock_reset() {
    memblock.memory.cnt = memblock.reserved.cnt = 0;
    memblock.memory.total_size = memblock.reserved.total_size = 0;
    memblock.current_limit = PHYS_ADDR_MAX;
    handed_over = false;
}
