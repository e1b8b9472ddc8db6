// Shrinking a file's page cache (the mapping half of Linux's mm/truncate.c):
// pages past the new end are taken out of every mapping before they leave the
// cache, so a later access faults, finds the page beyond EOF and gets SIGBUS,
// as in Linux; private copies of those pages go too (Linux's even_cows).
#include <keel/fs.h>
#include <keel/mm.h>
#include <mm/internal.h>

void unmap_mapping_range(address_space* mapping, loff_t holebegin, loff_t holelen) {
    unsigned long first = (unsigned long)(holebegin >> PAGE_SHIFT);
    unsigned long last = holelen ? (unsigned long)((holebegin + holelen - 1) >> PAGE_SHIFT) : ~0ul;
    Guard<NoIrqSave> guard(mapping->i_mmap_lock);
    vm_area_struct* vma;
    list_for_each_entry(vma, &mapping->i_mmap, shared) {
        unsigned long vfirst = vma->vm_pgoff, vlast = vma->vm_pgoff + vma_pages(vma) - 1;
        if (vlast < first || vfirst > last) continue;
        unsigned long from = first > vfirst ? first : vfirst;
        unsigned long to = last < vlast ? last : vlast;
        zap_page_range(vma, vma->vm_start + ((from - vfirst) << PAGE_SHIFT),
                       vma->vm_start + ((to - vfirst + 1) << PAGE_SHIFT));
    }
}

void truncate_pagecache(inode* i, loff_t newsize) {
    address_space* mapping = i->i_mapping;
    // Whole pages past the end leave the mappings first; a fault racing with
    // the truncation may map one again, so the mappings are swept once more
    // after the cache dropped them (Linux does the same).
    loff_t holebegin = (newsize + loff_t(PAGE_SIZE) - 1) & ~loff_t(PAGE_SIZE - 1);
    unmap_mapping_range(mapping, holebegin, 0);
    truncate_inode_pages(mapping, newsize);
    unmap_mapping_range(mapping, holebegin, 0);
}
