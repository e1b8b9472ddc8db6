// Character device numbers (Linux's fs/char_dev.c): which driver answers for a
// range of minors of a major. A device inode gets def_chr_fops from
// init_special_inode; opening it finds the range holding i_rdev and hands the
// file to that driver's file_operations.
#include <keel/fs.h>
#include <keel/mutex.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <new>

namespace {

constexpr unsigned CHRDEV_MAJOR_MAX = 512;
// Where a dynamic major is sought (Linux's CHRDEV_MAJOR_DYN_END..DYN_EXT_*): 254 down to 234, then 511 down to 384.
constexpr unsigned CHRDEV_MAJOR_DYN_END = 234, CHRDEV_MAJOR_DYN_EXT_START = 511, CHRDEV_MAJOR_DYN_EXT_END = 384;

struct char_device_region {
    char_device_region* next;  // sorted by (major, baseminor)
    unsigned major, baseminor, minorct;
    const char* name;
    const file_operations* fops;
};

// Regions are only added, never removed, so a found region stays valid.
mutex chrdevs_lock{"chrdevs_lock"};
char_device_region* chrdevs;

bool major_in_use(unsigned major) {
    for (char_device_region* r = chrdevs; r; r = r->next)
        if (r->major == major) return true;
    return false;
}

unsigned find_dynamic_major() {
    for (unsigned m = 254; m >= CHRDEV_MAJOR_DYN_END; m--)
        if (!major_in_use(m)) return m;
    for (unsigned m = CHRDEV_MAJOR_DYN_EXT_START; m >= CHRDEV_MAJOR_DYN_EXT_END; m--)
        if (!major_in_use(m)) return m;
    return 0;
}

const char_device_region* find_region(dev_t dev) {
    MutexGuard guard(&chrdevs_lock);
    for (char_device_region* r = chrdevs; r; r = r->next)
        if (r->major == MAJOR(dev) && MINOR(dev) - r->baseminor < r->minorct) return r;
    return nullptr;
}

// Replaces the file's operations with the driver's and lets the driver open it.
int chrdev_open(inode* i, file* f) {
    const char_device_region* r = find_region(i->i_rdev);
    if (!r) return -ENXIO;
    f->f_op = r->fops;
    return f->f_op->open ? f->f_op->open(i, f) : 0;
}

}  // namespace

const file_operations def_chr_fops = {.llseek = noop_llseek, .open = chrdev_open};

// major 0 asks for a free dynamic major, which is returned; otherwise 0.
int register_chrdev_region_fops(unsigned major, unsigned baseminor, unsigned count, const char* name,
                                const file_operations* fops) {
    if (major >= CHRDEV_MAJOR_MAX || count == 0 || baseminor > (1u << MINORBITS) - 1 ||
        count > (1u << MINORBITS) - baseminor)
        return -EINVAL;
    void* mem = kmalloc(sizeof(char_device_region), GFP_KERNEL);
    if (!mem) return -ENOMEM;
    MutexGuard guard(&chrdevs_lock);
    bool dynamic = major == 0;
    if (dynamic && !(major = find_dynamic_major())) {
        kfree(mem);
        return -EBUSY;
    }
    char_device_region** link = &chrdevs;
    for (; *link; link = &(*link)->next) {
        char_device_region* r = *link;
        if (r->major < major || (r->major == major && r->baseminor + r->minorct <= baseminor)) continue;
        if (r->major == major && r->baseminor < baseminor + count) {  // the ranges overlap
            kfree(mem);
            return -EBUSY;
        }
        break;
    }
    *link = new (mem) char_device_region{*link, major, baseminor, count, name, fops};
    return dynamic ? int(major) : 0;
}

size_t show_chrdevs(char* buf, size_t size) {
    MutexGuard guard(&chrdevs_lock);
    size_t len = 0;
    for (char_device_region* r = chrdevs; r && len < size; r = r->next)
        len += size_t(scnprintf(buf + len, size - len, "%3u %s\n", r->major, r->name));
    return len;
}
