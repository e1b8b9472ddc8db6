// DEFLATE decompression (RFC 1951) and the gzip member format around it
// (RFC 1952), for a gzip-compressed initramfs. Keel's own implementation: a
// canonical-Huffman decoder that reads one bit at a time, small and easy to
// check rather than fast (Linux uses zlib's table-driven inflate_fast).
//
// Everything works on memory: the caller gives the whole input and an output
// buffer; nothing is allocated. Damaged input is reported, never read past.
#pragma once
#include <stddef.h>
#include <stdint.h>

enum class inflate_status {
    ok,
    truncated,  // the input ended inside the stream
    corrupt,    // an invalid block type, code, length or distance
    no_space,   // the output buffer is too small
    bad_header, // gunzip: not a gzip member, or a method other than deflate
    bad_crc,    // gunzip: the data does not match the trailer's CRC-32 or size
};

struct inflate_result {
    inflate_status status;
    size_t in_used;   // input bytes consumed (up to the error, if any)
    size_t out_len;   // output bytes written
};

// Decompresses one raw DEFLATE stream (up to its final block).
inflate_result inflate_raw(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap);

// Decompresses one gzip member: header, DEFLATE data, CRC-32 and size check.
// in_used lets the caller go on with a following member or archive.
inflate_result gunzip(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap);

// The uncompressed size a gzip member records in its last four bytes (modulo
// 2^32): how much room gunzip needs. 0 if the input is too short to say.
uint32_t gzip_isize(const uint8_t* member_end_in, size_t len);

const char* inflate_status_name(inflate_status s);
