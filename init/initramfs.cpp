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

struct cpio_member {
    const char* name;
    size_t name_len;  // without the NUL
    size_t next;      // offset of the following header
    u32 ino, mode;
    const unsigned char* data;  // file contents, or a symlink's target (not NUL-terminated)
    size_t size;
};

// Parses the member at `off`; on failure sets info.error and returns false.
bool parse_member(initramfs_info& info, size_t off, cpio_member* m) {
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
    m->next = off + align_up(data_end, size_t(4));
    m->ino = f[F_INO];
    m->mode = f[F_MODE];
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
        cpio_member m;
        if (!parse_member(info, off, &m)) return false;
        if (m.name_len == 10 && memcmp(m.name, "TRAILER!!!", 10) == 0) in_archive = false;
        else if (!fn(m)) return true;
        off = m.next;
    }
    if (in_archive) {
        info.error_offset = info.size;
        info.error = "archive ends without TRAILER!!! (truncated)";
        return false;
    }
    return true;
}

const char* strip_root(const char* name) {
    while (*name == '/' || (name[0] == '.' && name[1] == '/')) name += (*name == '/') ? 1 : 2;
    return name;
}

}  // namespace

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
        info.error = "gzip-compressed; Keel cannot inflate it yet";
        return info;
    }
    info.valid = for_each_member(info, [&](const cpio_member&) {
        info.entries++;
        return true;
    });
    if (info.valid) info.error = nullptr;
    return info;
}

bool initramfs_has(const initramfs_info& info, const char* path) {
    if (!info.valid) return false;
    initramfs_info walk = info;
    const char* want = strip_root(path);
    bool found = false;
    for_each_member(walk, [&](const cpio_member& m) {
        const char* name = strip_root(m.name);
        found = strcmp(name, want) == 0;
        return !found;
    });
    return found;
}

namespace {

constexpr unsigned CPIO_S_IFMT = 0170000, CPIO_S_IFDIR = 0040000, CPIO_S_IFLNK = 0120000;
constexpr int MAX_SYMLINKS = 40;  // Linux's limit before ELOOP

// Appends the components of `path` to the normalized path in buf (no leading
// slash, components separated by one '/'), resolving "." and "..".
bool append_path(char* buf, size_t* len, size_t cap, const char* path, size_t path_len) {
    size_t i = 0;
    while (i < path_len) {
        while (i < path_len && path[i] == '/') i++;
        size_t start = i;
        while (i < path_len && path[i] != '/') i++;
        size_t n = i - start;
        if (n == 0 || (n == 1 && path[start] == '.')) continue;
        if (n == 2 && path[start] == '.' && path[start + 1] == '.') {
            while (*len > 0 && buf[*len - 1] != '/') (*len)--;
            if (*len > 0) (*len)--;
            continue;
        }
        if (*len + 1 + n + 1 > cap) return false;
        if (*len) buf[(*len)++] = '/';
        memcpy(buf + *len, path + start, n);
        *len += n;
    }
    buf[*len] = '\0';
    return true;
}

bool find_member(initramfs_info info, const char* name, size_t name_len, cpio_member* out) {
    bool found = false;
    for_each_member(info, [&](const cpio_member& m) {
        const char* mn = strip_root(m.name);
        size_t mlen = m.name_len - size_t(mn - m.name);
        while (mlen && mn[mlen - 1] == '/') mlen--;
        if (mlen == name_len && memcmp(mn, name, name_len) == 0) {
            *out = m;
            found = true;
        }
        return !found;
    });
    return found;
}

}  // namespace

int initramfs_lookup(const initramfs_info& info, const char* path, bool follow, initramfs_entry* out) {
    if (!info.valid) return -ENOENT;
    char buf[512], next[512];
    size_t len = 0;
    if (!append_path(buf, &len, sizeof(buf), path, strlen(path))) return -ENAMETOOLONG;
    if (len == 0) {  // the root directory itself
        *out = {nullptr, 0, CPIO_S_IFDIR | 0755, 1};
        return 0;
    }
    for (int hops = 0;;) {
        // Walk the prefixes: a symlink or a non-directory in the middle matters.
        bool restarted = false;
        for (size_t end = 0; end <= len && !restarted; end++) {
            if (end < len && buf[end] != '/') continue;
            bool last = end == len;
            cpio_member m;
            if (!find_member(info, buf, end, &m)) {
                if (last) return -ENOENT;
                continue;  // a directory cpio did not list: implied by its contents
            }
            if ((m.mode & CPIO_S_IFMT) == CPIO_S_IFLNK && (!last || follow)) {
                if (++hops > MAX_SYMLINKS) return -ELOOP;
                // Relative targets start in the link's directory.
                size_t nlen = 0;
                if (m.size && m.data[0] != '/') {
                    size_t dir_end = end;
                    while (dir_end > 0 && buf[dir_end - 1] != '/') dir_end--;
                    if (!append_path(next, &nlen, sizeof(next), buf, dir_end)) return -ENAMETOOLONG;
                }
                if (!append_path(next, &nlen, sizeof(next), reinterpret_cast<const char*>(m.data), m.size))
                    return -ENAMETOOLONG;
                if (!last && !append_path(next, &nlen, sizeof(next), buf + end, len - end)) return -ENAMETOOLONG;
                memcpy(buf, next, nlen + 1);
                len = nlen;
                restarted = true;
            } else if (!last && (m.mode & CPIO_S_IFMT) != CPIO_S_IFDIR) {
                return -ENOTDIR;
            } else if (last) {
                *out = {m.data, m.size, m.mode, m.ino};
                return 0;
            }
        }
        if (!restarted) return -ENOENT;
    }
}
