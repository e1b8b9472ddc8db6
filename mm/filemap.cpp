// The page cache (Linux's mm/filemap.c, without writeback: Keel's file
// systems keep their data only in memory). An inode's address_space holds its
// pages by index in a radix tree; read and write copy through them, and
// MAP_SHARED maps them (mm/filemap_fault). A page in the cache holds one
// reference for the cache itself.
#include <keel/fs.h>
#include <keel/vmstat.h>
#include <mm/gfp.h>
#include <mm/page.h>
#include <uapi/asm/stat.h>

namespace {

// Page-cache pages of tmpfs (and memfd, rootfs) are shmem in /proc/meminfo;
// ramfs's are plain cache, as in Linux.
constexpr unsigned long RAMFS_MAGIC = 0x858458f6;

void account_page_cache(address_space* mapping, long delta) {
    mod_node_page_state(NR_FILE_PAGES, delta);
    if (mapping->host && mapping->host->i_sb && mapping->host->i_sb->s_magic != RAMFS_MAGIC)
        mod_node_page_state(NR_SHMEM, delta);
}

}  // namespace

page* find_get_page(address_space* mapping, unsigned long index) {
    Guard<NoIrqSave> guard(mapping->i_pages_lock);
    page* p = static_cast<page*>(xa_load(&mapping->i_pages, index));
    if (p) get_page(p);
    return p;
}

page* find_or_create_page(address_space* mapping, unsigned long index) {
    if (page* p = find_get_page(mapping, index)) return p;
    page* fresh = alloc_page(GFP_KERNEL | __GFP_ZERO);
    if (!fresh) return nullptr;
    Guard<NoIrqSave> guard(mapping->i_pages_lock);
    // Another task may have added the page while we allocated: theirs wins.
    if (page* p = static_cast<page*>(xa_load(&mapping->i_pages, index))) {
        get_page(p);
        put_page(fresh);
        return p;
    }
    super_block* sb = mapping->host->i_sb;
    if (sb->s_max_pages && sb->s_nr_pages.load(memory_order::relaxed) >= long(sb->s_max_pages)) {
        put_page(fresh);  // the file system is full (tmpfs size=)
        return nullptr;
    }
    if (!xa_store(&mapping->i_pages, index, fresh)) {
        put_page(fresh);
        return nullptr;
    }
    sb->s_nr_pages.fetch_add(1, memory_order::relaxed);
    mapping->nrpages++;
    account_page_cache(mapping, 1);
    get_page(fresh);  // the caller's reference; the cache keeps the first
    return fresh;
}

bool page_cache_full(const address_space* mapping) {
    const super_block* sb = mapping->host->i_sb;
    return sb->s_max_pages && sb->s_nr_pages.load(memory_order::relaxed) >= long(sb->s_max_pages);
}

void truncate_inode_pages(address_space* mapping, loff_t lstart) {
    unsigned long index = (unsigned long)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
    for (;;) {
        page* p;
        {
            Guard<NoIrqSave> guard(mapping->i_pages_lock);
            p = static_cast<page*>(xa_find(&mapping->i_pages, &index));
            if (!p) break;
            xa_erase(&mapping->i_pages, index);
            mapping->host->i_sb->s_nr_pages.fetch_sub(1, memory_order::relaxed);
            mapping->nrpages--;
            account_page_cache(mapping, -1);
        }
        put_page(p);  // a mapping that still has it keeps its own reference
        index++;
    }
    // The partial page at the new end keeps its head; its tail must read as zeros.
    if (lstart & (PAGE_SIZE - 1)) {
        if (page* p = find_get_page(mapping, (unsigned long)(lstart >> PAGE_SHIFT))) {
            size_t off = size_t(lstart & (PAGE_SIZE - 1));
            __builtin_memset(static_cast<char*>(page_address(p)) + off, 0, PAGE_SIZE - off);
            put_page(p);
        }
    }
    if (lstart == 0) {
        Guard<NoIrqSave> guard(mapping->i_pages_lock);
        xa_destroy(&mapping->i_pages);
    }
}

ssize_t generic_file_read_iter(kiocb* iocb, iov_iter* to) {
    file* f = iocb->ki_filp;
    inode* i = file_inode(f);
    if (iocb->ki_pos < 0) return -EINVAL;
    size_t done = 0;
    while (iov_iter_count(to)) {
        loff_t size = i_size_read(i);
        if (iocb->ki_pos >= size) break;
        unsigned long index = (unsigned long)(iocb->ki_pos >> PAGE_SHIFT);
        size_t offset = size_t(iocb->ki_pos & (PAGE_SIZE - 1));
        size_t n = PAGE_SIZE - offset;
        if (loff_t(n) > size - iocb->ki_pos) n = size_t(size - iocb->ki_pos);
        if (n > iov_iter_count(to)) n = iov_iter_count(to);
        page* p = find_get_page(f->f_mapping, index);
        size_t copied = p ? copy_page_to_iter(p, offset, n, to) : iov_iter_zero(n, to);  // a hole reads as zeros
        if (p) put_page(p);
        iocb->ki_pos += loff_t(copied);
        done += copied;
        if (copied < n) {
            if (!done) return -EFAULT;
            break;
        }
    }
    file_accessed(f);
    return ssize_t(done);
}

ssize_t generic_file_write_iter(kiocb* iocb, iov_iter* from) {
    file* f = iocb->ki_filp;
    inode* i = file_inode(f);
    inode_lock(i);
    if (iocb->ki_flags & IOCB_APPEND) iocb->ki_pos = i_size_read(i);
    loff_t limit = i->i_sb->s_maxbytes;
    if (iocb->ki_pos >= limit && iov_iter_count(from)) {
        inode_unlock(i);
        return -EFBIG;
    }
    // Writing clears the set-user-ID bit (and set-group-ID with group execute), as Linux's file_remove_privs.
    if (!capable_of(current_cred()) && (i->i_mode & (S_ISUID | S_ISGID))) {
        i->i_mode &= umode_t(~S_ISUID);
        if (i->i_mode & 010) i->i_mode &= umode_t(~S_ISGID);
    }
    size_t done = 0;
    ssize_t err = 0;
    while (iov_iter_count(from)) {
        unsigned long index = (unsigned long)(iocb->ki_pos >> PAGE_SHIFT);
        size_t offset = size_t(iocb->ki_pos & (PAGE_SIZE - 1));
        size_t n = PAGE_SIZE - offset;
        if (n > iov_iter_count(from)) n = iov_iter_count(from);
        if (limit - iocb->ki_pos < loff_t(n)) n = size_t(limit - iocb->ki_pos);
        if (!n) break;
        page* p = find_or_create_page(f->f_mapping, index);
        if (!p) {
            err = -ENOSPC;
            break;
        }
        size_t copied = copy_page_from_iter(p, offset, n, from);
        put_page(p);
        iocb->ki_pos += loff_t(copied);
        done += copied;
        if (iocb->ki_pos > i_size_read(i)) i_size_write(i, iocb->ki_pos);
        if (copied < n) {
            if (!done) err = -EFAULT;
            break;
        }
    }
    if (done) file_update_time(f);
    inode_unlock(i);
    return done ? ssize_t(done) : err;
}
