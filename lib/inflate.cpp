// DEFLATE (RFC 1951) and gzip (RFC 1952) decompression; see lib/inflate.h.
//
// A DEFLATE stream is a series of blocks: stored (raw bytes), or compressed
// with fixed or with transmitted ("dynamic") Huffman codes over two
// alphabets — literal bytes/lengths (0-285, 256 ends the block) and
// distances (0-29). Codes are canonical, so a code is fully described by the
// number of codes of each bit length; decode() walks those counts.
#include <lib/crc32.h>
#include <lib/inflate.h>
#include <initializer_list>

namespace {

constexpr int MAXBITS = 15;
constexpr int MAXLCODES = 286, MAXDCODES = 30, FIXLCODES = 288;

struct state {
    const uint8_t* in;
    size_t in_len, in_pos = 0;
    uint32_t bitbuf = 0;
    int bitcnt = 0;
    uint8_t* out;
    size_t out_cap, out_pos = 0;
    inflate_status error = inflate_status::ok;
};

// n bits, least significant first; on running out, sets `truncated`.
int bits(state& s, int n) {
    uint32_t val = s.bitbuf;
    while (s.bitcnt < n) {
        if (s.in_pos == s.in_len) {
            s.error = inflate_status::truncated;
            return 0;
        }
        val |= uint32_t(s.in[s.in_pos++]) << s.bitcnt;
        s.bitcnt += 8;
    }
    s.bitbuf = val >> n;
    s.bitcnt -= n;
    return int(val & ((1u << n) - 1));
}

struct huffman {
    uint16_t count[MAXBITS + 1];  // codes of each length
    uint16_t symbol[FIXLCODES];   // symbols in canonical order
};

// Builds the decoding table from code lengths. Returns 0 for a complete code,
// > 0 for an incomplete one, < 0 for an over-subscribed (invalid) one.
int construct(huffman& h, const uint16_t* length, int n) {
    for (int len = 0; len <= MAXBITS; len++) h.count[len] = 0;
    for (int sym = 0; sym < n; sym++) h.count[length[sym]]++;
    if (h.count[0] == n) return 0;  // no codes at all: complete, but decode() will fail
    int left = 1;
    for (int len = 1; len <= MAXBITS; len++) {
        left <<= 1;
        left -= h.count[len];
        if (left < 0) return left;
    }
    uint16_t offs[MAXBITS + 1];
    offs[1] = 0;
    for (int len = 1; len < MAXBITS; len++) offs[len + 1] = uint16_t(offs[len] + h.count[len]);
    for (int sym = 0; sym < n; sym++)
        if (length[sym]) h.symbol[offs[length[sym]]++] = uint16_t(sym);
    return left;
}

// The next symbol: codes of length len are the values first .. first+count-1
// once len bits are read (most significant first, as Huffman codes are packed).
int decode(state& s, const huffman& h) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= MAXBITS; len++) {
        code |= bits(s, 1);
        if (s.error != inflate_status::ok) return -1;
        int count = h.count[len];
        if (code - count < first) return h.symbol[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    s.error = inflate_status::corrupt;  // ran past the longest code
    return -1;
}

bool put(state& s, uint8_t byte) {
    if (s.out_pos == s.out_cap) {
        s.error = inflate_status::no_space;
        return false;
    }
    s.out[s.out_pos++] = byte;
    return true;
}

void stored(state& s) {
    s.bitbuf = 0;  // the rest of the current byte is padding
    s.bitcnt = 0;
    if (s.in_len - s.in_pos < 4) {
        s.error = inflate_status::truncated;
        return;
    }
    unsigned len = s.in[s.in_pos] | (s.in[s.in_pos + 1] << 8);
    unsigned nlen = s.in[s.in_pos + 2] | (s.in[s.in_pos + 3] << 8);
    s.in_pos += 4;
    if (len != (~nlen & 0xffff)) {
        s.error = inflate_status::corrupt;
        return;
    }
    if (s.in_len - s.in_pos < len) {
        s.error = inflate_status::truncated;
        return;
    }
    if (s.out_cap - s.out_pos < len) {
        s.error = inflate_status::no_space;
        return;
    }
    for (unsigned i = 0; i < len; i++) s.out[s.out_pos++] = s.in[s.in_pos++];
}

constexpr uint16_t LEN_BASE[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                   31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t LEN_EXTRA[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                   2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t DIST_BASE[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t DIST_EXTRA[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// The symbols of one compressed block, until end-of-block (256).
void codes(state& s, const huffman& lencode, const huffman& distcode) {
    for (;;) {
        int sym = decode(s, lencode);
        if (sym < 0) return;
        if (sym < 256) {
            if (!put(s, uint8_t(sym))) return;
            continue;
        }
        if (sym == 256) return;
        sym -= 257;
        if (sym >= 29) {
            s.error = inflate_status::corrupt;
            return;
        }
        unsigned len = LEN_BASE[sym] + unsigned(bits(s, LEN_EXTRA[sym]));
        int dsym = decode(s, distcode);
        if (dsym < 0) return;
        if (dsym >= 30) {
            s.error = inflate_status::corrupt;
            return;
        }
        size_t dist = DIST_BASE[dsym] + unsigned(bits(s, DIST_EXTRA[dsym]));
        if (s.error != inflate_status::ok) return;
        if (dist > s.out_pos) {  // before the start of the output
            s.error = inflate_status::corrupt;
            return;
        }
        if (s.out_cap - s.out_pos < len) {
            s.error = inflate_status::no_space;
            return;
        }
        for (unsigned i = 0; i < len; i++, s.out_pos++) s.out[s.out_pos] = s.out[s.out_pos - dist];
    }
}

// The fixed codes of RFC 1951 3.2.6, built per block (a few hundred steps:
// cheaper to redo than to keep shared state).
void fixed(state& s) {
    uint16_t lengths[FIXLCODES];
    int sym = 0;
    for (; sym < 144; sym++) lengths[sym] = 8;
    for (; sym < 256; sym++) lengths[sym] = 9;
    for (; sym < 280; sym++) lengths[sym] = 7;
    for (; sym < FIXLCODES; sym++) lengths[sym] = 8;
    huffman lencode, distcode;
    construct(lencode, lengths, FIXLCODES);
    for (sym = 0; sym < MAXDCODES; sym++) lengths[sym] = 5;
    construct(distcode, lengths, MAXDCODES);
    codes(s, lencode, distcode);
}

void dynamic(state& s) {
    static constexpr uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    int nlen = bits(s, 5) + 257, ndist = bits(s, 5) + 1, ncode = bits(s, 4) + 4;
    if (s.error != inflate_status::ok) return;
    if (nlen > MAXLCODES || ndist > MAXDCODES) {
        s.error = inflate_status::corrupt;
        return;
    }
    uint16_t lengths[MAXLCODES + MAXDCODES];
    int index = 0;
    for (; index < ncode; index++) lengths[order[index]] = uint16_t(bits(s, 3));
    for (; index < 19; index++) lengths[order[index]] = 0;
    huffman lencode, distcode;
    if (s.error != inflate_status::ok) return;
    if (construct(lencode, lengths, 19) != 0) {  // the code-length code must be complete
        s.error = inflate_status::corrupt;
        return;
    }
    for (index = 0; index < nlen + ndist;) {
        int sym = decode(s, lencode);
        if (sym < 0) return;
        if (sym < 16) {
            lengths[index++] = uint16_t(sym);
            continue;
        }
        uint16_t len = 0;  // what to repeat
        int times;
        if (sym == 16) {
            if (index == 0) {
                s.error = inflate_status::corrupt;  // nothing to repeat
                return;
            }
            len = lengths[index - 1];
            times = 3 + bits(s, 2);
        } else if (sym == 17) {
            times = 3 + bits(s, 3);
        } else {
            times = 11 + bits(s, 7);
        }
        if (s.error != inflate_status::ok) return;
        if (index + times > nlen + ndist) {
            s.error = inflate_status::corrupt;
            return;
        }
        while (times--) lengths[index++] = len;
    }
    if (lengths[256] == 0) {  // no end-of-block code: the block could never end
        s.error = inflate_status::corrupt;
        return;
    }
    // Incomplete codes are allowed only when there is a single code.
    int err = construct(lencode, lengths, nlen);
    if (err < 0 || (err > 0 && nlen - lencode.count[0] != 1)) {
        s.error = inflate_status::corrupt;
        return;
    }
    err = construct(distcode, lengths + nlen, ndist);
    if (err < 0 || (err > 0 && ndist - distcode.count[0] != 1)) {
        s.error = inflate_status::corrupt;
        return;
    }
    codes(s, lencode, distcode);
}

}  // namespace

inflate_result inflate_raw(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap) {
    state s{in, in_len};
    s.out = out;
    s.out_cap = out_cap;
    int last;
    do {
        last = bits(s, 1);
        int type = bits(s, 2);
        if (s.error != inflate_status::ok) break;
        if (type == 0) stored(s);
        else if (type == 1) fixed(s);
        else if (type == 2) dynamic(s);
        else s.error = inflate_status::corrupt;
    } while (!last && s.error == inflate_status::ok);
    return {s.error, s.in_pos, s.out_pos};
}

namespace {
uint32_t le32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24); }
}  // namespace

uint32_t gzip_isize(const uint8_t* in, size_t len) { return len < 18 ? 0 : le32(in + len - 4); }

inflate_result gunzip(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap) {
    enum : uint8_t { FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16 };
    if (in_len < 10) return {inflate_status::truncated, 0, 0};
    if (in[0] != 0x1f || in[1] != 0x8b || in[2] != 8 || (in[3] & 0xe0)) return {inflate_status::bad_header, 0, 0};
    uint8_t flags = in[3];
    size_t pos = 10;
    if (flags & FEXTRA) {
        if (in_len - pos < 2) return {inflate_status::truncated, pos, 0};
        size_t xlen = in[pos] | (in[pos + 1] << 8);
        if (in_len - pos - 2 < xlen) return {inflate_status::truncated, pos, 0};
        pos += 2 + xlen;
    }
    for (uint8_t f : {FNAME, FCOMMENT}) {
        if (!(flags & f)) continue;
        while (pos < in_len && in[pos]) pos++;
        if (pos == in_len) return {inflate_status::truncated, pos, 0};
        pos++;  // the terminating zero
    }
    if (flags & FHCRC) pos += 2;
    if (pos > in_len) return {inflate_status::truncated, in_len, 0};
    inflate_result r = inflate_raw(in + pos, in_len - pos, out, out_cap);
    r.in_used += pos;
    if (r.status != inflate_status::ok) return r;
    if (in_len - r.in_used < 8) return {inflate_status::truncated, in_len, r.out_len};
    uint32_t crc = le32(in + r.in_used), isize = le32(in + r.in_used + 4);
    r.in_used += 8;
    if (crc != crc32_le(0, out, r.out_len) || isize != uint32_t(r.out_len)) r.status = inflate_status::bad_crc;
    return r;
}

const char* inflate_status_name(inflate_status s) {
    switch (s) {
    case inflate_status::ok: return "ok";
    case inflate_status::truncated: return "truncated";
    case inflate_status::corrupt: return "corrupt";
    case inflate_status::no_space: return "out of space";
    case inflate_status::bad_header: return "not gzip (or not deflate)";
    case inflate_status::bad_crc: return "CRC or size mismatch";
    }
    return "?";
}
