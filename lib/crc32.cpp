// CRC-32, one table lookup per byte; the table is computed at compile time.
#include <lib/crc32.h>

namespace {

struct crc_table {
    uint32_t entry[256];
    constexpr crc_table() : entry() {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            entry[i] = c;
        }
    }
};
constexpr crc_table table;

}  // namespace

uint32_t crc32_le(uint32_t crc, const void* data, size_t len) {
    auto* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    while (len--) crc = table.entry[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
