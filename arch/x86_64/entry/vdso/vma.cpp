// Mapping the vDSO into processes (Linux's arch/x86/entry/vdso/vma.c). The
// vDSO's pages are the kernel image's own (vdso-image.S) and the data page is
// kernel/time/vsyscall.cpp's: every process maps the same physical pages,
// the code read+execute and the data read-only, so one update_vsyscall reaches
// all of them. Layout in a process, from low to high addresses:
//   [vvar: 1 page, r--] [vdso: the image's pages, r-x]
// The data page comes first so that the vDSO can reach it at a fixed negative
// offset from its own code (vvar_page in vdso.lds).
#include <asm/page_types.h>
#include <asm/vdso.h>
#include <keel/init.h>
#include <keel/mm.h>
#include <keel/panic.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <lib/string.h>
#include <mm/page.h>
#include <uapi/linux/elf.h>
#include <vdso/vsyscall.h>

namespace {

constexpr unsigned long VDSO_MAX_PAGES = 4;  // the image is one page today; vdso-check.sh keeps it small

page* vdso_pages[VDSO_MAX_PAGES];
page* vvar_pages[1];
vm_special_mapping vdso_mapping{"[vdso]", vdso_pages, 0};
vm_special_mapping vvar_mapping{"[vvar]", vvar_pages, 1};

spinlock_t vdso_setup_lock{"vdso_setup_lock"};
bool vdso_ready;
bool vdso64_enabled = true;

// Linux's vdso= on x86_64: 0 maps no vDSO (the C libraries then make system calls).
int vdso_setup(const char* val) {
    if (!val || (strcmp(val, "0") != 0 && strcmp(val, "1") != 0)) return -EINVAL;
    vdso64_enabled = val[0] == '1';
    return 0;
}

// The pages' struct page entries, found once: the image and the data page are
// kernel image memory, reserved pages whose count never drops to zero, so the
// PTEs' get_page/put_page are harmless to them.
void vdso_setup_pages() {
    Guard<IrqSave> guard(vdso_setup_lock);
    if (vdso_ready) return;
    unsigned long size = vdso_image_end - vdso_image_start;
    BUG_ON(size < sizeof(Elf64_Ehdr) || memcmp(vdso_image_start, ELFMAG, sizeof(ELFMAG)) != 0);
    unsigned long nr = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    BUG_ON(nr > VDSO_MAX_PAGES);
    for (unsigned long i = 0; i < nr; i++) vdso_pages[i] = virt_to_page(vdso_image_start + i * PAGE_SIZE);
    vdso_mapping.nr_pages = nr;
    vvar_pages[0] = virt_to_page(vdso_k_data());
    vdso_ready = true;
}

}  // namespace

__setup("vdso=", vdso_setup);

long map_vdso(mm_struct* mm) {
    if (!vdso64_enabled) return 0;
    vdso_setup_pages();
    unsigned long text_len = vdso_mapping.nr_pages << PAGE_SHIFT;
    down_write(&mm->mmap_lock);
    long addr = get_unmapped_area(mm, 0, PAGE_SIZE + text_len, 0);
    if (addr >= 0) {
        unsigned long vvar = (unsigned long)addr, text = vvar + PAGE_SIZE;
        // Linux's vvar has no VM_MAYWRITE: mprotect cannot make the kernel's data writable.
        if (install_special_mapping(mm, vvar, PAGE_SIZE, VM_READ | VM_MAYREAD, &vvar_mapping).is_error()) {
            addr = -ENOMEM;
        } else if (install_special_mapping(mm, text, text_len,
                                           VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
                                           &vdso_mapping)
                       .is_error()) {
            do_munmap(mm, vvar, PAGE_SIZE);
            addr = -ENOMEM;
        } else {
            mm->vdso = reinterpret_cast<void*>(text);
            addr = long(text);
        }
    }
    up_write(&mm->mmap_lock);
    return addr;
}

int arch_setup_additional_pages(linux_binprm*, int) {
    long ret = map_vdso(current->mm);
    return ret < 0 ? int(ret) : 0;
}
