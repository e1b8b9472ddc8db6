// The memory devices of major 1 (Linux's drivers/char/mem.c): /dev/null,
// /dev/zero, /dev/full, /dev/random, /dev/urandom and /dev/kmsg. One
// character-device region covers the major; opening a node picks the minor's
// operations, as Linux's memory_open does. /dev/mem, /dev/kmem and /dev/port
// (minors 1, 2, 4) are not provided: nothing in Keel needs raw physical access.
#include <keel/fs.h>
#include <keel/init.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/random.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <uapi/asm/stat.h>

namespace {

constexpr unsigned MEM_MAJOR = 1;

// null, zero and full have no position: every seek lands at 0 (Linux's null_lseek).
loff_t null_lseek(file* f, loff_t, int) { return f->f_pos = 0; }

ssize_t read_iter_null(kiocb*, iov_iter*) { return 0; }

ssize_t write_iter_null(kiocb*, iov_iter* from) {
    size_t count = iov_iter_count(from);
    iov_iter_advance(from, count);
    return ssize_t(count);
}

// Zeros a page at a time, so a huge read can be interrupted and lets others run.
ssize_t read_iter_zero(kiocb*, iov_iter* to) {
    size_t written = 0;
    while (iov_iter_count(to)) {
        size_t chunk = iov_iter_count(to) < PAGE_SIZE ? iov_iter_count(to) : PAGE_SIZE;
        size_t n = iov_iter_zero(chunk, to);
        if (!n) return written ? ssize_t(written) : -EFAULT;
        written += n;
        if (signal_pending(current)) return ssize_t(written);
        if (need_resched()) schedule();
    }
    return ssize_t(written);
}

ssize_t write_iter_full(kiocb*, iov_iter*) { return -ENOSPC; }

// A private mapping of /dev/zero is anonymous memory; a shared one is shared
// anonymous memory (Linux's mmap_zero).
int mmap_zero(file*, vm_area_struct* vma) {
    if (vma->vm_flags & VM_SHARED) return shmem_zero_setup(vma);
    vma_set_anonymous(vma);
    return 0;
}

const file_operations null_fops = {
    .llseek = null_lseek,
    .read_iter = read_iter_null,
    .write_iter = write_iter_null,
};

const file_operations zero_fops = {
    .llseek = null_lseek,
    .read_iter = read_iter_zero,
    .write_iter = write_iter_null,
    .mmap = mmap_zero,
};

const file_operations full_fops = {
    .llseek = null_lseek,
    .read_iter = read_iter_zero,
    .write_iter = write_iter_full,
};

struct memdev {
    const char* name;
    umode_t mode;
    const file_operations* fops;
};
// Indexed by minor (Linux's devlist); empty slots are minors Keel leaves out.
const memdev devlist[] = {
    {}, {}, {},                          // 0, mem, kmem
    {"null", 0666, &null_fops},          // 3
    {},                                  // port
    {"zero", 0666, &zero_fops},          // 5
    {},                                  // core (unused in Linux too)
    {"full", 0666, &full_fops},          // 7
    {"random", 0666, &random_fops},      // 8
    {"urandom", 0666, &random_fops},     // 9
    {},                                  // aio (unused)
    {"kmsg", 0644, &kmsg_fops},          // 11
};
constexpr unsigned NR_MEMDEVS = sizeof(devlist) / sizeof(devlist[0]);

int memory_open(inode* i, file* f) {
    unsigned minor = iminor(i);
    if (minor >= NR_MEMDEVS || !devlist[minor].fops) return -ENXIO;
    f->f_op = devlist[minor].fops;
    return f->f_op->open ? f->f_op->open(i, f) : 0;
}

const file_operations memory_fops = {.open = memory_open};

int chr_dev_init() {
    int err = register_chrdev_region_fops(MEM_MAJOR, 0, 256, "mem", &memory_fops);
    if (err) return err;
    for (unsigned minor = 0; minor < NR_MEMDEVS; minor++) {
        const memdev& dev = devlist[minor];
        if (!dev.name) continue;
        err = devtmpfs_create_node(dev.name, S_IFCHR | dev.mode, MKDEV(MEM_MAJOR, minor));
        if (err) pr_err("mem: /dev/%s: error %d\n", dev.name, err);
    }
    return 0;
}
device_initcall(chr_dev_init);

}  // namespace
