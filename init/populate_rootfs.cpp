// Unpacking the initramfs into the root tmpfs (Linux's populate_rootfs in
// init/initramfs.c). The image is inflated first if it is gzip; then every
// member becomes a directory, file, symlink or device node with its owner,
// mode and modification time. Hard links (newc members sharing an inode
// number) become links to the first name. Damage stops the unpacking with
// the offending offset reported; what was unpacked before it stays, and the
// boot goes on.
#include <asm/page_types.h>
#include <asm/setup.h>
#include <init/initramfs.h>
#include <keel/fs_struct.h>
#include <keel/namei.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <lib/inflate.h>
#include <lib/string.h>
#include <mm/gfp.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <uapi/asm/stat.h>
#include <uapi/linux/fcntl.h>

namespace {

// Names of regular files with more than one link, by inode number, so a
// later member with the same number becomes a link (Linux's find_link).
struct link_record {
    u32 ino;
    char* name;
};

// Directories whose mtime must be set last: adding their entries changes it.
struct dir_record {
    char* name;
    u32 mtime;
};

struct unpack_state {
    link_record* links = nullptr;
    unsigned nr_links = 0, cap_links = 0;
    dir_record* dirs = nullptr;
    unsigned nr_dirs = 0, cap_dirs = 0;
    unsigned entries = 0;
    int first_error = 0;
    const char* first_error_name = nullptr;
};

template <typename T> bool push(T** array, unsigned* n, unsigned* cap, const T& v) {
    if (*n == *cap) {
        unsigned ncap = *cap ? *cap * 2 : 64;
        T* bigger = static_cast<T*>(kmalloc_array(ncap, sizeof(T), GFP_KERNEL));
        if (!bigger) return false;
        if (*n) memcpy(bigger, *array, *n * sizeof(T));
        kfree(*array);
        *array = bigger;
        *cap = ncap;
    }
    (*array)[(*n)++] = v;
    return true;
}

char* dup_name(const char* s) {
    size_t len = strlen(s) + 1;
    char* d = static_cast<char*>(kmalloc(len, GFP_KERNEL));
    if (d) memcpy(d, s, len);
    return d;
}

// Owner, mode and times of the unpacked name, as cpio recorded them.
int set_attrs(const char* name, const cpio_entry& e) {
    path p;
    int err = kern_path(name, 0, &p);
    if (err) return err;
    iattr attr{};
    attr.ia_valid = ATTR_MTIME | ATTR_ATIME | ATTR_MTIME_SET | ATTR_ATIME_SET;
    attr.ia_mtime = attr.ia_atime = {(long long)e.mtime, 0};
    attr.ia_valid |= ATTR_UID | ATTR_GID;
    attr.ia_uid = e.uid;
    attr.ia_gid = e.gid;
    if (!S_ISLNK(e.mode)) {  // a symlink's mode is always 0777
        attr.ia_valid |= ATTR_MODE;
        attr.ia_mode = umode_t(e.mode);  // type bits too: setattr_copy stores the whole mode
    }
    inode* i = p.dentry->d_inode;
    inode_lock(i);
    err = notify_change(p.dentry, &attr);
    inode_unlock(i);
    path_put(&p);
    return err;
}

int make_dir(const char* name, umode_t mode) {
    path parent;
    Result<dentry*> d = kern_path_create(AT_FDCWD, name, &parent, LOOKUP_DIRECTORY);
    if (d.is_error()) return d.error() == EEXIST ? 0 : -d.error();  // listed twice: fine
    int err = vfs_mkdir(parent.dentry->d_inode, d.value(), mode);
    done_path_create(&parent, d.value());
    return err;
}

int make_node(const char* name, umode_t mode, dev_t dev) {
    path parent;
    Result<dentry*> d = kern_path_create(AT_FDCWD, name, &parent, 0);
    if (d.is_error()) return -d.error();
    int err = vfs_mknod(parent.dentry->d_inode, d.value(), mode, dev);
    done_path_create(&parent, d.value());
    return err;
}

int make_symlink(const char* name, const cpio_entry& e) {
    if (e.size >= PATH_MAX) return -ENAMETOOLONG;
    char* target = static_cast<char*>(kmalloc(e.size + 1, GFP_KERNEL));
    if (!target) return -ENOMEM;
    memcpy(target, e.data, e.size);
    target[e.size] = '\0';
    path parent;
    Result<dentry*> d = kern_path_create(AT_FDCWD, name, &parent, 0);
    int err = d.is_error() ? -d.error() : 0;
    if (!err) {
        err = vfs_symlink(parent.dentry->d_inode, d.value(), target);
        done_path_create(&parent, d.value());
    }
    kfree(target);
    return err;
}

int make_link(const char* existing, const char* name) {
    path old;
    int err = kern_path(existing, 0, &old);
    if (err) return err;
    path parent;
    Result<dentry*> d = kern_path_create(AT_FDCWD, name, &parent, 0);
    if (d.is_error()) {
        err = -d.error();
    } else {
        err = vfs_link(old.dentry, parent.dentry->d_inode, d.value());
        done_path_create(&parent, d.value());
    }
    path_put(&old);
    return err;
}

int write_file(const char* name, const cpio_entry& e, bool linked) {
    // A linked name already exists (it is the same inode): write without truncating.
    Result<file*> f = filp_open(name, int(O_WRONLY | O_CREAT | (linked ? 0u : unsigned(O_TRUNC))), umode_t(e.mode & S_IALLUGO));
    if (f.is_error()) return -f.error();
    loff_t pos = 0;
    size_t done = 0;
    int err = 0;
    while (done < e.size) {
        ssize_t n = kernel_write(f.value(), e.data + done, e.size - done, &pos);
        if (n <= 0) {
            err = n ? int(n) : -EIO;
            break;
        }
        done += size_t(n);
    }
    fput(f.value());
    return err;
}

bool unpack_member(const cpio_entry& e, void* arg) {
    auto* st = static_cast<unpack_state*>(arg);
    st->entries++;
    const char* rel = initramfs_strip_root(e.name);
    if (!*rel) return true;  // "." is the root, which exists
    // Absolute names for kern_path: the walk starts at our root.
    size_t len = strlen(rel);
    if (len + 2 > PATH_MAX) return true;
    char* name = static_cast<char*>(kmalloc(len + 2, GFP_KERNEL));
    if (!name) return false;
    name[0] = '/';
    memcpy(name + 1, rel, len + 1);
    umode_t mode = umode_t(e.mode);
    int err = 0;
    switch (mode & S_IFMT) {
    case S_IFDIR:
        err = make_dir(name, umode_t(mode & S_IALLUGO));
        if (!err) push(&st->dirs, &st->nr_dirs, &st->cap_dirs, dir_record{dup_name(name), e.mtime});
        break;
    case S_IFREG: {
        bool linked = false;
        if (e.nlink >= 2) {
            for (unsigned i = 0; i < st->nr_links; i++)
                if (st->links[i].ino == e.ino) {
                    err = make_link(st->links[i].name, name);
                    linked = !err;
                    break;
                }
            if (!linked) push(&st->links, &st->nr_links, &st->cap_links, link_record{e.ino, dup_name(name)});
        }
        if (!err) err = write_file(name, e, linked);
        break;
    }
    case S_IFLNK:
        err = make_symlink(name, e);
        break;
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
    case S_IFSOCK:
        err = make_node(name, mode, MKDEV(e.rdev_major, e.rdev_minor));
        break;
    default:
        err = -EINVAL;
    }
    if (!err) err = set_attrs(name, e);
    if (err && !st->first_error) {
        st->first_error = err;
        st->first_error_name = dup_name(name);
    }
    kfree(name);
    return true;
}

void finish(unpack_state* st) {
    // Directory times last, deepest first (the reverse of creation order).
    for (unsigned i = st->nr_dirs; i-- > 0;) {
        if (!st->dirs[i].name) continue;
        path p;
        if (!kern_path(st->dirs[i].name, 0, &p)) {
            iattr attr{};
            attr.ia_valid = ATTR_MTIME | ATTR_ATIME | ATTR_MTIME_SET | ATTR_ATIME_SET;
            attr.ia_mtime = attr.ia_atime = {(long long)st->dirs[i].mtime, 0};
            inode_lock(p.dentry->d_inode);
            notify_change(p.dentry, &attr);
            inode_unlock(p.dentry->d_inode);
            path_put(&p);
        }
        kfree(st->dirs[i].name);
    }
    for (unsigned i = 0; i < st->nr_links; i++) kfree(st->links[i].name);
    kfree(st->dirs);
    kfree(st->links);
}

// Unpacks one uncompressed image; false if it was damaged.
bool unpack(initramfs_info* info, unpack_state* st) {
    bool ok = initramfs_for_each(info, unpack_member, st);
    if (!ok)
        printk(KERN_ERR "Initramfs unpacking failed: %s at offset %zu of %zu\n", info->error, info->error_offset,
               info->size);
    return ok;
}

}  // namespace

void populate_rootfs() {
    if (!initrd_start_phys) {
        printk(KERN_WARNING "initramfs: no initrd was loaded (boot with -initrd or GRUB's initrd)\n");
        return;
    }
    printk(KERN_INFO "Trying to unpack rootfs image as initramfs...\n");
    const auto* image = static_cast<const unsigned char*>(__va(initrd_start_phys));
    size_t size = initrd_size;
    initramfs_info info = initramfs_check(image, size);
    unsigned char* inflated = nullptr;
    bool gzip = info.compressed;
    if (gzip) {
        // A gzip member records its uncompressed size in its last 4 bytes;
        // a cut-off image has garbage there, so the room is bounded by what
        // DEFLATE could plausibly expand to and by half of free memory.
        size_t out_cap = gzip_isize(image, size);
        size_t plausible = size * 32;
        size_t half_free = nr_free_pages() * PAGE_SIZE / 2;
        if (out_cap > plausible) out_cap = plausible;
        if (out_cap > half_free) out_cap = half_free;
        inflated = out_cap ? static_cast<unsigned char*>(vmalloc(out_cap)) : nullptr;
        if (!inflated) {
            printk(KERN_ERR "Initramfs unpacking failed: cannot inflate %zu bytes\n", out_cap);
            return;
        }
        inflate_result r = gunzip(image, size, inflated, out_cap);
        if (r.status != inflate_status::ok)
            printk(KERN_ERR "Initramfs unpacking failed: gzip data %s at offset %zu of %zu; unpacking the %zu bytes inflated\n",
                   inflate_status_name(r.status), r.in_used, size, r.out_len);
        info = initramfs_check(inflated, r.out_len);
        info.data = inflated;
        info.size = r.out_len;
    }
    unpack_state st;
    unpack(&info, &st);
    finish(&st);
    if (st.first_error) {
        printk(KERN_ERR "initramfs: could not unpack %s (error %d); continuing\n", st.first_error_name,
               st.first_error);
        kfree(st.first_error_name);
    }
    printk(KERN_INFO "initramfs: newc archive, %u entries, %zu bytes%s\n", st.entries, info.size,
           gzip ? " (inflated from gzip)" : "");
    if (inflated) vfree(inflated);
}
