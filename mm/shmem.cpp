// Shared anonymous memory (the part of Linux's mm/shmem.c that MAP_SHARED |
// MAP_ANONYMOUS needs): one object per mapping holding its pages by offset, so
// every VMA and every forked copy that maps offset n finds the same page.
#include <keel/fs.h>
#include <keel/panic.h>
#include <mm/internal.h>
#include <mm/slab.h>
#include <new>

shmem_object* shmem_object_create(unsigned long nr_pages) {
    void* mem = kzalloc(sizeof(shmem_object), GFP_KERNEL);
    if (!mem) return nullptr;
    auto* obj = new (mem) shmem_object{};
    obj->nr_pages = nr_pages;
    obj->pages = static_cast<page**>(kcalloc(nr_pages, sizeof(page*), GFP_KERNEL));
    if (!obj->pages) {
        kfree(obj);
        return nullptr;
    }
    return obj;
}

void shmem_object_get(shmem_object* obj) { obj->refcount.fetch_add(1, memory_order::relaxed); }

void shmem_object_put(shmem_object* obj) {
    if (obj->refcount.fetch_sub(1, memory_order::acq_rel) != 1) return;
    for (unsigned long i = 0; i < obj->nr_pages; i++)
        if (obj->pages[i]) put_page(obj->pages[i]);
    kfree(obj->pages);
    kfree(obj);
}

page* shmem_get_page(shmem_object* obj, unsigned long pgoff, vm_fault_t* fault) {
    if (pgoff >= obj->nr_pages) {  // mremap grew the mapping past its object: SIGBUS, as Linux
        *fault = VM_FAULT_SIGBUS;
        return nullptr;
    }
    page* fresh = nullptr;
    for (;;) {
        {
            Guard<NoIrqSave> guard(obj->lock);
            if (!obj->pages[pgoff] && fresh) {
                obj->pages[pgoff] = fresh;
                fresh = nullptr;
            }
            if (page* p = obj->pages[pgoff]) {
                get_page(p);
                if (fresh) put_page(fresh);
                return p;
            }
        }
        // Allocate outside the lock; another sharer may have filled the slot meanwhile.
        fresh = alloc_page(GFP_KERNEL | __GFP_ZERO);
        if (!fresh) {
            *fault = VM_FAULT_OOM;
            return nullptr;
        }
    }
}

int shmem_zero_setup(vm_area_struct* vma) {
    shmem_object* obj = shmem_object_create(vma_pages(vma));
    if (!obj) return -ENOMEM;
    // Linux puts a tmpfs file "dev/zero" here; Keel's object needs no file,
    // so a /dev/zero mapping lets go of the device's.
    if (vma->vm_file) fput(vma->vm_file);
    vma->vm_file = nullptr;
    vma->vm_ops = nullptr;
    vma->vm_shared = obj;
    vma->vm_pgoff = 0;
    return 0;
}
