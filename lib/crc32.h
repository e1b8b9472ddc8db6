// CRC-32 as gzip, zip and Ethernet use it (Linux's lib/crc32.c, crc32_le):
// the reflected polynomial 0xEDB88320, initial value and final xor ~0.
#pragma once
#include <stddef.h>
#include <stdint.h>

// Continues a CRC over more data: crc32_le(crc32_le(0, a, n), b, m) is the CRC of a then b.
uint32_t crc32_le(uint32_t crc, const void* data, size_t len);
