// The newc walker must accept what cpio(1) writes, report every member, and pin down
// every kind of damage with a message and an offset.
#include <gtest/gtest.h>
#include <init/initramfs.h>
#include <algorithm>
#include <string>
#include <vector>

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

namespace {
std::vector<std::string> names_of(initramfs_info info) {
    std::vector<std::string> names;
    initramfs_for_each(&info, [](const cpio_entry& e, void* arg) {
        static_cast<std::vector<std::string>*>(arg)->push_back(initramfs_strip_root(e.name));
        return true;
    }, &names);
    return names;
}
}  // namespace

TEST(Initramfs, WellFormedArchiveIsValidAndSearchable) {
    std::string a = archive({{".", ""}, {"init", "#!/bin/sh\n"}, {"bin/sh", "ELF"}});
    auto info = initramfs_check(a.data(), a.size());
    ASSERT_TRUE(info.valid) << info.error;
    EXPECT_EQ(info.entries, 3u);
    std::vector<std::string> names = names_of(info);
    ASSERT_EQ(names.size(), info.entries);
    EXPECT_NE(std::find(names.begin(), names.end(), "init"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "bin/sh"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "sbin/init"), names.end());
}

TEST(Initramfs, ConcatenatedArchivesWithZeroPadding) {
    std::string a = archive({{"init", "x"}}) + std::string(512, '\0') + archive({{"etc/passwd", "root"}});
    auto info = initramfs_check(a.data(), a.size());
    ASSERT_TRUE(info.valid) << info.error;
    EXPECT_EQ(info.entries, 2u);
    std::vector<std::string> names = names_of(info);
    EXPECT_NE(std::find(names.begin(), names.end(), "etc/passwd"), names.end());
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

TEST(Initramfs, MembersCarryTheirHeaderFields) {
    std::string a = member("./bin/sh", "target", 0120777) + member("dev", "", 040755) + member("TRAILER!!!", "");
    initramfs_info info = initramfs_check(a.data(), a.size());
    ASSERT_TRUE(info.valid);
    std::vector<cpio_entry> seen;
    initramfs_for_each(&info, [](const cpio_entry& e, void* arg) {
        static_cast<std::vector<cpio_entry>*>(arg)->push_back(e);
        return true;
    }, &seen);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].mode, 0120777u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(seen[0].data), seen[0].size), "target");
    EXPECT_STREQ(initramfs_strip_root(seen[0].name), "bin/sh");
    EXPECT_EQ(seen[1].mode, 040755u);
    EXPECT_EQ(seen[1].nlink, 1u);
    EXPECT_STREQ(initramfs_strip_root("."), "");
    EXPECT_STREQ(initramfs_strip_root("//./x"), "x");
}

TEST(Initramfs, MembersBeforeDamageAreStillPassedOn) {
    std::string a = member("a", "1") + member("b", "22") + member("TRAILER!!!", "");
    std::string cut = a.substr(0, a.size() - 150);  // inside b's header or data
    initramfs_info info = initramfs_check(cut.data(), cut.size());
    EXPECT_FALSE(info.valid);
    std::vector<std::string> names = names_of(info);
    ASSERT_GE(names.size(), 1u);
    EXPECT_EQ(names[0], "a");
    initramfs_info walk = info;
    EXPECT_FALSE(initramfs_for_each(&walk, [](const cpio_entry&, void*) { return true; }, nullptr));
    EXPECT_NE(walk.error, nullptr);
    EXPECT_GT(walk.error_offset, 0u);
}
