// lib/inflate against zlib, the reference: whatever zlib compresses — stored,
// fixed-code and dynamic-code blocks, every level, long and short matches,
// empty input — Keel's gunzip gives back byte for byte, with the CRC-32 and
// size checked. Damaged input (truncated anywhere, flipped bits, a wrong
// header, a full output buffer) is reported, never read or written past.
#include <gtest/gtest.h>
#include <lib/crc32.h>
#include <lib/inflate.h>
#include <random>
#include <string>
#include <vector>
#include <zlib.h>

namespace {

std::vector<uint8_t> gzip_with_zlib(const std::vector<uint8_t>& data, int level, int strategy) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, strategy), Z_OK);  // +16: gzip wrapper
    std::vector<uint8_t> out(deflateBound(&zs, data.size()) + 64);
    zs.next_in = const_cast<Bytef*>(data.data());
    zs.avail_in = uInt(data.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

std::vector<uint8_t> sample(size_t n, unsigned seed, bool text) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(n);
    const std::string words[] = {"kernel ", "inode ", "dentry ", "\n", "busybox ", "cpio ", "0000", "init "};
    for (size_t i = 0; i < n;) {
        if (text) {
            for (char c : words[rng() % 8])
                if (i < n) v[i++] = uint8_t(c);
        } else {
            v[i++] = uint8_t(rng() % (rng() % 2 ? 256 : 4));  // runs of few values and noise
        }
    }
    return v;
}

TEST(LibCrc32, KnownValues) {
    EXPECT_EQ(crc32_le(0, "", 0), 0u);
    EXPECT_EQ(crc32_le(0, "123456789", 9), 0xCBF43926u);  // the standard check value
    EXPECT_EQ(crc32_le(crc32_le(0, "12345", 5), "6789", 4), 0xCBF43926u);
}

TEST(LibInflate, RoundTripsEverythingZlibMakes) {
    const size_t sizes[] = {0, 1, 100, 4096, 70000, 300000};
    const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED};
    int cases = 0;
    for (size_t n : sizes)
        for (bool text : {true, false})
            for (int level : {0, 1, 6, 9})
                for (int strategy : strategies) {
                    std::vector<uint8_t> data = sample(n, unsigned(n + level), text);
                    std::vector<uint8_t> gz = gzip_with_zlib(data, level, strategy);
                    std::vector<uint8_t> out(n + 1);
                    inflate_result r = gunzip(gz.data(), gz.size(), out.data(), out.size());
                    ASSERT_EQ(r.status, inflate_status::ok)
                        << inflate_status_name(r.status) << ": n=" << n << " level=" << level << " strategy=" << strategy;
                    ASSERT_EQ(r.out_len, n);
                    ASSERT_EQ(r.in_used, gz.size());
                    ASSERT_TRUE(std::equal(data.begin(), data.end(), out.begin()));
                    EXPECT_EQ(gzip_isize(gz.data(), gz.size()), uint32_t(n));
                    cases++;
                }
    EXPECT_EQ(cases, 6 * 2 * 4 * 5);
}

TEST(LibInflate, TruncationAnywhereIsReported) {
    std::vector<uint8_t> data = sample(20000, 3, true);
    std::vector<uint8_t> gz = gzip_with_zlib(data, 6, Z_DEFAULT_STRATEGY);
    std::vector<uint8_t> out(data.size());
    for (size_t cut = 0; cut < gz.size(); cut++) {
        inflate_result r = gunzip(gz.data(), cut, out.data(), out.size());
        ASSERT_NE(r.status, inflate_status::ok) << "cut at " << cut;
        ASSERT_LE(r.in_used, cut);
        ASSERT_LE(r.out_len, out.size());
    }
}

TEST(LibInflate, DamageIsReportedNotObeyed) {
    std::vector<uint8_t> data = sample(50000, 4, false);
    std::vector<uint8_t> gz = gzip_with_zlib(data, 9, Z_DEFAULT_STRATEGY);
    std::mt19937 rng(5);
    std::vector<uint8_t> out(data.size());
    int caught = 0;
    for (int i = 0; i < 2000; i++) {
        std::vector<uint8_t> bad = gz;
        size_t at = 10 + rng() % (bad.size() - 10);
        bad[at] ^= uint8_t(1u << (rng() % 8));
        inflate_result r = gunzip(bad.data(), bad.size(), out.data(), out.size());
        ASSERT_LE(r.out_len, out.size());
        if (r.status != inflate_status::ok) caught++;
    }
    EXPECT_EQ(caught, 2000);  // a flipped bit is always caught, at the latest by the CRC
}

TEST(LibInflate, HeaderAndSpaceErrors) {
    std::vector<uint8_t> data = sample(5000, 6, true);
    std::vector<uint8_t> gz = gzip_with_zlib(data, 6, Z_DEFAULT_STRATEGY);
    std::vector<uint8_t> out(data.size());
    std::vector<uint8_t> bad = gz;
    bad[0] = 0x1e;
    EXPECT_EQ(gunzip(bad.data(), bad.size(), out.data(), out.size()).status, inflate_status::bad_header);
    bad = gz;
    bad[2] = 7;  // not deflate
    EXPECT_EQ(gunzip(bad.data(), bad.size(), out.data(), out.size()).status, inflate_status::bad_header);
    inflate_result r = gunzip(gz.data(), gz.size(), out.data(), out.size() - 1);
    EXPECT_EQ(r.status, inflate_status::no_space);
    EXPECT_LE(r.out_len, out.size() - 1);
    // A distance reaching before the start of the output: a fixed block with
    // the match length 3 (code 257) at distance 1 (code 0) as its first symbol.
    const uint8_t far_back[] = {0x03, 0x02, 0x00};  // BFINAL=1, BTYPE=01, then 0000001 00000 ...
    std::vector<uint8_t> small(64);
    EXPECT_EQ(inflate_raw(far_back, sizeof far_back, small.data(), small.size()).status, inflate_status::corrupt);
}

}  // namespace
