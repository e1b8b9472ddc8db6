// The fake machine the mm host tests run on: 64 MiB of "physical" memory backed
// by a host mapping (only __va() addresses are ever dereferenced, so physical
// addresses are just numbers). Zones: DMA below 16 MiB as on real hardware; the
// DMA32/Normal boundary is moved down to 40 MiB so all three zones exist.
#include <gtest/gtest.h>
#include <sys/mman.h>
// Kernel headers last: their Linux-style macros would clash with libc's.
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <tests/host/mm_test_env.h>

void mm_test_boot(bool no_watermarks) {
    static void* ram = mmap(nullptr, FAKE_RAM, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ASSERT_NE(ram, MAP_FAILED);
    page_offset_base = reinterpret_cast<unsigned long>(ram);
    memblock_reset();
    memblock_add(0x1000, 0x9e000);              // low memory below the VGA hole
    memblock_add(1 * MiB, FAKE_RAM - 1 * MiB);
    memblock_reserve(1 * MiB, 2 * MiB);         // "the kernel image"
    unsigned long max_zone_pfn[MAX_NR_ZONES] = {PFN_DOWN(16 * MiB), PFN_DOWN(40 * MiB),
                                                PFN_DOWN(FAKE_RAM)};
    free_area_init(max_zone_pfn);
    memblock_free_all();
    int ratios[MAX_NR_ZONES] = {256, 256, 32};  // Linux's defaults
    for (unsigned i = 0; i < MAX_NR_ZONES; i++)
        sysctl_lowmem_reserve_ratio[i] = no_watermarks ? 0 : ratios[i];
    if (no_watermarks) min_free_kbytes = 0;
    setup_per_zone_wmarks();
}

