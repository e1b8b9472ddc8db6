// newc cpio parsing (Documentation/driver-api/early-userspace/buffer-format.rst):
// each member is a 110-byte ASCII header — "070701" (or "070702" with checksums)
// and 13 eight-digit hex fields — then the NUL-terminated name, padded to 4
// bytes, then the data, padded to 4. "TRAILER!!!" ends an archive; archives may
// be concatenated with zero padding between them. Every length is checked
// against what is left, so a truncated or corrupt image gets a precise message.
#include <init/initramfs.h>
#include <keel/compiler.h>
#include <keel/types.h>
#include <lib/string.h>
#include <uapi/asm/errno.h>

namespace {

constexpr size_t NEWC_HEADER_LEN = 110;
enum newc_field { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_MAJ, F_MIN,
                  F_RMAJ, F_RMIN, F_NAMESIZE, F_CHKSUM, NR_FIELDS };

bool parse_hex8(const unsigned char* p, u32* out) {
    u32 v = 0;
    for (int i = 0; i < 8; i++) {
        unsigned char c = p[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}


// Parses the member at `off`; on failure sets info.error and returns false.
bool parse_member(initramfs_info& info, size_t off, cpio_entry* m, size_t* next) {
    const unsigned char* p = info.data + off;
    size_t left = info.size - off;
    info.error_offset = off;
    size_t magic_len = left < 6 ? left : 6;
    if (memcmp(p, "070701", magic_len) != 0 && memcmp(p, "070702", magic_len) != 0)
        return info.error = "no cpio magic", false;
    if (left < NEWC_HEADER_LEN) return info.error = "truncated cpio header", false;
    u32 f[NR_FIELDS];
    for (int i = 0; i < NR_FIELDS; i++)
        if (!parse_hex8(p + 6 + 8 * i, &f[i])) return info.error = "malformed cpio header", false;
    size_t name_end = NEWC_HEADER_LEN + f[F_NAMESIZE];
    if (f[F_NAMESIZE] == 0 || name_end > left) return info.error = "truncated file name", false;
    if (p[name_end - 1] != '\0') return info.error = "file name not terminated", false;
    size_t data_start = align_up(name_end, size_t(4));
    size_t data_end = data_start + f[F_FILESIZE];
    if (data_start > left || data_end > left) return info.error = "truncated file data", false;
    m->name = reinterpret_cast<const char*>(p + NEWC_HEADER_LEN);
    m->name_len = f[F_NAMESIZE] - 1;
    *next = off + align_up(data_end, size_t(4));
    m->ino = f[F_INO];
    m->mode = f[F_MODE];
    m->uid = f[F_UID];
    m->gid = f[F_GID];
    m->nlink = f[F_NLINK];
    m->mtime = f[F_MTIME];
    m->rdev_major = f[F_RMAJ];
    m->rdev_minor = f[F_RMIN];
    m->data = p + data_start;
    m->size = f[F_FILESIZE];
    return true;
}

// Calls fn(member) for each member; returns false if the walk hit an error.
template <typename F> bool for_each_member(initramfs_info& info, F fn) {
    size_t off = 0;
    bool in_archive = false;
    while (off < info.size) {
        if (!in_archive) {
            // Between archives only zero padding may appear, in 4-byte steps.
            if (info.data[off] == 0) {
                off++;
                continue;
            }
            in_archive = true;
        }
        cpio_entry m;
        size_t next;
        if (!parse_member(info, off, &m, &next)) return false;
        if (m.name_len == 10 && memcmp(m.name, "TRAILER!!!", 10) == 0) in_archive = false;
        else if (!fn(m)) return true;
        off = next;
    }
    if (in_archive) {
        info.error_offset = info.size;
        info.error = "archive ends without TRAILER!!! (truncated)";
        return false;
    }
    return true;
}

}  // namespace

const char* initramfs_strip_root(const char* name) {
    while (*name == '/' || (name[0] == '.' && name[1] == '/')) name += (*name == '/') ? 1 : 2;
    if (name[0] == '.' && name[1] == '\0') name++;  // "." is the root
    return name;
}

initramfs_info initramfs_check(const void* data, size_t size) {
    initramfs_info info;
    info.data = static_cast<const unsigned char*>(data);
    info.size = size;
    if (!data || size == 0) {
        info.error = "no initramfs";
        return info;
    }
    if (size >= 2 && info.data[0] == 0x1f && info.data[1] == 0x8b) {
        info.compressed = true;
        return info;
    }
    info.valid = for_each_member(info, [&](const cpio_entry&) {
        info.entries++;
        return true;
    });
    if (info.valid) info.error = nullptr;
    return info;
}

bool initramfs_for_each(initramfs_info* info, bool (*fn)(const cpio_entry& e, void* arg), void* arg) {
    info->error = nullptr;
    return for_each_member(*info, [&](const cpio_entry& e) { return fn(e, arg); });
}
