// The newc walker must accept what cpio(1) writes, find names, and pin down
// every kind of damage with a message and an offset.
#include <gtest/gtest.h>
#include <init/initramfs.h>
#include <string>

namespace {

std::string hex8(unsigned v) {
    char buf[9];
    snprintf(buf, sizeof(buf), "%08X", v);
    return buf;
}

std::string member(const std::string& name, const std::string& data, unsigned mode = 0100644) {
    std::string h = "070701" + hex8(1) + hex8(mode) + hex8(0) + hex8(0) + hex8(1) + hex8(0) +
                    hex8(unsigned(data.size())) + hex8(0) + hex8(0) + hex8(0) + hex8(0) +
                    hex8(unsigned(name.size() + 1)) + hex8(0);
    h += name;
    h.push_back('\0');
    while (h.size() % 4) h.push_back('\0');
    h += data;
    while (h.size() % 4) h.push_back('\0');
    return h;
}

std::string archive(std::initializer_list<std::pair<std::string, std::string>> files) {
    std::string a;
    for (auto& [name, data] : files) a += member(name, data);
    return a + member("TRAILER!!!", "");
}

}  // namespace

TEST(Initramfs, WellFormedArchiveIsValidAndSearchable) {
    std::string a = archive({{".", ""}, {"init", "#!/bin/sh\n"}, {"bin/sh", "ELF"}});
    auto info = initramfs_check(a.data(), a.size());
    ASSERT_TRUE(info.valid) << info.error;
    EXPECT_EQ(info.entries, 3u);
    EXPECT_TRUE(initramfs_has(info, "/init"));
    EXPECT_TRUE(initramfs_has(info, "/bin/sh"));
    EXPECT_TRUE(initramfs_has(info, "./bin/sh"));
    EXPECT_FALSE(initramfs_has(info, "/sbin/init"));
    EXPECT_FALSE(initramfs_has(info, "/bin"));
}

TEST(Initramfs, ConcatenatedArchivesWithZeroPadding) {
    std::string a = archive({{"init", "x"}}) + std::string(512, '\0') + archive({{"etc/passwd", "root"}});
    auto info = initramfs_check(a.data(), a.size());
    ASSERT_TRUE(info.valid) << info.error;
    EXPECT_EQ(info.entries, 2u);
    EXPECT_TRUE(initramfs_has(info, "/etc/passwd"));
}

TEST(Initramfs, EveryTruncationIsReported) {
    std::string a = archive({{"init", std::string(100, 'x')}, {"bin/busybox", std::string(300, 'y')}});
    for (size_t len = 1; len < a.size(); len++) {
        auto info = initramfs_check(a.data(), len);
        ASSERT_FALSE(info.valid) << "length " << len;
        ASSERT_NE(info.error, nullptr);
        ASSERT_LE(info.error_offset, len);
    }
}

TEST(Initramfs, DamageMessages) {
    std::string a = archive({{"init", "abc"}});
    std::string bad = a;
    bad[0] = 'X';
    EXPECT_STREQ(initramfs_check(bad.data(), bad.size()).error, "no cpio magic");
    bad = a;
    bad[6 + 8 * 6] = 'g';  // filesize field
    EXPECT_STREQ(initramfs_check(bad.data(), bad.size()).error, "malformed cpio header");
    bad = a;
    bad.replace(6 + 8 * 6, 8, "FFFFFFFF");  // file larger than the archive
    EXPECT_STREQ(initramfs_check(bad.data(), bad.size()).error, "truncated file data");
    std::string no_trailer = member("init", "abc");
    EXPECT_STREQ(initramfs_check(no_trailer.data(), no_trailer.size()).error,
                 "archive ends without TRAILER!!! (truncated)");
    EXPECT_STREQ(initramfs_check(nullptr, 0).error, "no initramfs");
    std::string gz = "\x1f\x8b\x08";
    auto info = initramfs_check(gz.data(), gz.size());
    EXPECT_TRUE(info.compressed);
    EXPECT_FALSE(info.valid);
}

namespace {
std::string symlink_member(const std::string& name, const std::string& target) {
    return member(name, target, 0120777);
}
}  // namespace

TEST(Initramfs, LookupFollowsSymlinks) {
    std::string a = member(".", "", 040755) + member("bin", "", 040755) + member("bin/busybox", "BB", 0100755) +
                    symlink_member("bin/sh", "busybox") + symlink_member("sbin", "bin") +
                    symlink_member("loop", "loop") + member("init", "#!/bin/sh\n", 0100755) +
                    member("TRAILER!!!", "");
    auto info = initramfs_check(a.data(), a.size());
    ASSERT_TRUE(info.valid) << info.error;
    initramfs_entry e;
    ASSERT_EQ(initramfs_lookup(info, "/bin/sh", true, &e), 0);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(e.data), e.size), "BB");
    EXPECT_EQ(e.mode, 0100755u);
    ASSERT_EQ(initramfs_lookup(info, "/bin/sh", false, &e), 0);
    EXPECT_EQ(e.mode, 0120777u);
    ASSERT_EQ(initramfs_lookup(info, "/sbin/./sh", true, &e), 0);  // a symlinked directory
    EXPECT_EQ(e.size, 2u);
    ASSERT_EQ(initramfs_lookup(info, "//bin/../init", true, &e), 0);
    EXPECT_EQ(e.size, 10u);
    EXPECT_EQ(initramfs_lookup(info, "/nope", true, &e), -ENOENT);
    EXPECT_EQ(initramfs_lookup(info, "/init/x", true, &e), -ENOTDIR);
    EXPECT_EQ(initramfs_lookup(info, "/loop", true, &e), -ELOOP);
    ASSERT_EQ(initramfs_lookup(info, "/", true, &e), 0);
    EXPECT_EQ(e.mode & 0170000u, 040000u);
}
