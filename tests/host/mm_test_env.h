// The fake machine shared by the mm host tests (mm_test_env.cpp).
#pragma once
#include <keel/types.h>

constexpr phys_addr_t MiB = 1 << 20;
constexpr phys_addr_t FAKE_RAM = 64 * MiB;

// Boots memblock, the zones and the buddy allocator over FAKE_RAM. With
// no_watermarks the allocator may hand out every free page, which makes
// exhaustion tests exact.
void mm_test_boot(bool no_watermarks);
