// Kernel side of the initramfs: look at what the boot loader loaded and say,
// in Linux's words where Linux has them, what is there.
#include <asm/page_types.h>
#include <asm/setup.h>
#include <init/initramfs.h>
#include <keel/printk.h>

namespace {
initramfs_info rootfs;  // what populate_rootfs_check found: exec and open read from it
}  // namespace

const initramfs_info& initramfs_rootfs() { return rootfs; }

initramfs_info populate_rootfs_check() {
    rootfs = populate_rootfs_report();
    return rootfs;
}

initramfs_info populate_rootfs_report() {
    if (!initrd_start_phys) {
        printk(KERN_WARNING "initramfs: no initrd was loaded (boot with -initrd or GRUB's initrd)\n");
        return initramfs_check(nullptr, 0);
    }
    printk(KERN_INFO "Trying to unpack rootfs image as initramfs...\n");
    initramfs_info info = initramfs_check(__va(initrd_start_phys), initrd_size);
    if (info.valid) {
        printk(KERN_INFO "initramfs: newc archive, %u entries, %zu bytes\n", info.entries, info.size);
    } else if (info.compressed) {
        printk(KERN_WARNING "initramfs: %zu bytes, %s (issue 5 adds inflate)\n", info.size, info.error);
    } else {
        printk(KERN_ERR "Initramfs unpacking failed: %s at offset %zu of %zu\n", info.error,
               info.error_offset, info.size);
    }
    return info;
}
