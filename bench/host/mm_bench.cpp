// Allocator fast paths on the host: order-0 pages through the per-CPU lists,
// and 64-byte kmalloc through the slab lists.
#include <benchmark/benchmark.h>
#include <sys/mman.h>
// Kernel headers last: their Linux-style macros (__init) would clash with libc's.
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>

namespace {
// 64 MiB of fake physical memory, booted the way start_kernel does it.
void boot_once() {
    static bool booted;
    if (booted) return;
    booted = true;
    constexpr phys_addr_t RAM = 64ul << 20;
    void* ram = mmap(nullptr, RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    page_offset_base = reinterpret_cast<unsigned long>(ram);
    memblock_add(0x100000, RAM - 0x100000);
    unsigned long max_zone_pfn[MAX_NR_ZONES] = {PFN_DOWN(16ul << 20), PFN_DOWN(RAM),
                                                PFN_DOWN(RAM)};
    free_area_init(max_zone_pfn);
    memblock_free_all();
    kmem_cache_init();
}

void BM_page_alloc_free_order0(benchmark::State& state) {
    boot_once();
    for (auto _ : state) {
        page* p = alloc_page(GFP_KERNEL);
        benchmark::DoNotOptimize(p);
        __free_page(p);
    }
}
BENCHMARK(BM_page_alloc_free_order0);

// Holds 256 pages so every batch refill and drain of the pcp list is exercised;
// time per iteration covers 256 alloc+free pairs.
void BM_page_alloc_free_order0_batch256(benchmark::State& state) {
    boot_once();
    page* pages[256];
    for (auto _ : state) {
        for (page*& p : pages) p = alloc_page(GFP_KERNEL);
        for (page* p : pages) __free_page(p);
    }
}
BENCHMARK(BM_page_alloc_free_order0_batch256);

void BM_page_alloc_free_order3(benchmark::State& state) {
    boot_once();
    for (auto _ : state) {
        page* p = alloc_pages(GFP_KERNEL, 3);
        benchmark::DoNotOptimize(p);
        __free_pages(p, 3);
    }
}
BENCHMARK(BM_page_alloc_free_order3);

void BM_kmalloc_kfree_64(benchmark::State& state) {
    boot_once();
    for (auto _ : state) {
        void* p = kmalloc(64, GFP_KERNEL);
        benchmark::DoNotOptimize(p);
        kfree(p);
    }
}
BENCHMARK(BM_kmalloc_kfree_64);

// 1000 live objects span many slabs; time per iteration covers 1000 pairs.
void BM_kmalloc_kfree_64_batch1000(benchmark::State& state) {
    boot_once();
    void* objs[1000];
    for (auto _ : state) {
        for (void*& p : objs) p = kmalloc(64, GFP_KERNEL);
        for (void* p : objs) kfree(p);
    }
}
BENCHMARK(BM_kmalloc_kfree_64_batch1000);
}  // namespace
