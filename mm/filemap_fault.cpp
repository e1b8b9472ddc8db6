// Mapping a file's page cache into an address space (the fault half of Linux's
// mm/filemap.c; the page cache itself, find_or_create_page and friends, is in
// mm/filemap.cpp). A file system whose data lives in its address_space (tmpfs,
// memfd) sets f_op->mmap = generic_file_mmap; faults then map the cached page
// at the file offset (mm/memory.cpp decides between sharing and copying it).
#include <keel/fs.h>
#include <keel/mm.h>
#include <mm/internal.h>

namespace {

unsigned long size_in_pages(const inode* i) {
    return (unsigned long)((i_size_read(i) + loff_t(PAGE_SIZE) - 1) >> PAGE_SHIFT);
}

}  // namespace

vm_fault_t filemap_fault(vm_fault* vmf) {
    address_space* mapping = vmf->vma->vm_file->f_mapping;
    inode* host = mapping->host;
    // A page wholly past the end of the file has nothing to show: SIGBUS, as
    // in Linux (the rest of the last page reads as zeros).
    if (vmf->pgoff >= size_in_pages(host)) return VM_FAULT_SIGBUS;
    page* p = find_or_create_page(mapping, vmf->pgoff);
    if (!p) return page_cache_full(mapping) ? VM_FAULT_SIGBUS : VM_FAULT_OOM;  // a full tmpfs: SIGBUS, as Linux
    // A truncate may have run meanwhile (it holds no lock the fault takes).
    if (vmf->pgoff >= size_in_pages(host)) {
        put_page(p);
        return VM_FAULT_SIGBUS;
    }
    vmf->page = p;
    return VM_FAULT_OK;
}

const vm_operations_struct generic_file_vm_ops = {.fault = filemap_fault};

int generic_file_mmap(file* f, vm_area_struct* vma) {
    if (!f->f_mapping) return -ENOEXEC;  // nothing to map the pages from (Linux: no read_folio)
    file_accessed(f);
    vma->vm_ops = &generic_file_vm_ops;
    return 0;
}
