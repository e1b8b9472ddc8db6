// File mappings on the real MMU: a memfd (whose pages live in its page cache)
// is mapped shared and private into a fresh mm. Stores through a shared
// mapping reach the file, a private mapping sees the file until it writes and
// then has a copy of its own, a page wholly past the end of the file is
// SIGBUS (also once truncation took it away), and every VMA holds (and gives
// back) a reference on the file.
#include <keel/fs.h>
#include <keel/memfd.h>
#include <keel/mm.h>
#include <lib/string.h>
#include <mm/internal.h>
#include <tests/kernel/ktest.h>
#include <tests/kernel/ktest_mm.h>
#include <uapi/asm/mman.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/memfd.h>

namespace {

constexpr unsigned long RW = PROT_READ | PROT_WRITE;

long file_refs(file* f) { return f->f_count.load(memory_order::relaxed); }

// A memfd holding two pages: "page0..." then "page1...".
file* two_page_file(ktest* t) {
    Result<file*> f = memfd_file_create("memfd:ktest", MFD_ALLOW_SEALING);
    if (f.is_error()) return nullptr;
    static char data[2 * PAGE_SIZE];
    memset(data, '.', sizeof(data));
    memcpy(data, "page0", 5);
    memcpy(data + PAGE_SIZE, "page1", 5);
    loff_t pos = 0;
    KTEST_EXPECT_EQ(t, kernel_write(f.value(), data, sizeof(data), &pos), ssize_t(sizeof(data)));
    return f.value();
}

char file_byte(file* f, loff_t offset) {
    char c = 0;
    kernel_read(f, &c, 1, &offset);
    return c;
}

void shared_write_reaches_file_body(ktest* t, mm_struct* mm) {
    file* f = two_page_file(t);
    KTEST_ASSERT_TRUE(t, f != nullptr);
    long a = vm_mmap_pgoff(f, 0, 2 * PAGE_SIZE, RW, MAP_SHARED, 0);
    KTEST_ASSERT_TRUE(t, a > 0);
    KTEST_EXPECT_EQ(t, file_refs(f), 2);  // ours and the VMA's
    char c = 0;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a + PAGE_SIZE + 4, &c), 0);
    KTEST_EXPECT_EQ(t, c, '1');
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(a + 1, 'X'), 0);
    KTEST_EXPECT_EQ(t, file_byte(f, 1), 'X');  // read(2) sees the store
    // The PTE maps the page cache's own page.
    page* cached = find_get_page(f->f_mapping, 0);
    KTEST_EXPECT_TRUE(t, cached != nullptr && cached == ktest_page_at(mm, a));
    if (cached) put_page(cached);
    // And a write(2) shows through the mapping.
    loff_t pos = 2;
    KTEST_EXPECT_EQ(t, kernel_write(f, "Y", 1, &pos), 1);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a + 2, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'Y');
    KTEST_EXPECT_EQ(t, do_msync(a, PAGE_SIZE, MS_SYNC), 0);
    KTEST_EXPECT_EQ(t, vm_munmap(a, 2 * PAGE_SIZE), 0);
    KTEST_EXPECT_EQ(t, file_refs(f), 1);
    fput(f);
}
void shared_write_reaches_file(ktest* t) { ktest_run_in_mm(t, shared_write_reaches_file_body, "ktest-filemap"); }

void private_write_copies_body(ktest* t, mm_struct* mm) {
    file* f = two_page_file(t);
    KTEST_ASSERT_TRUE(t, f != nullptr);
    long a = vm_mmap_pgoff(f, 0, 2 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
    KTEST_ASSERT_TRUE(t, a > 0);
    char c = 0;
    // A read maps the file's page, read-only.
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'p');
    page* cached = find_get_page(f->f_mapping, 0);
    KTEST_EXPECT_TRUE(t, cached != nullptr && cached == ktest_page_at(mm, a));
    // The write copies: the file keeps its byte, the mapping has its own.
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(a, 'Z'), 0);
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, a) != cached);
    KTEST_EXPECT_EQ(t, file_byte(f, 0), 'p');
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'Z');
    if (cached) put_page(cached);
    // A write fault on a page never read copies at once.
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(a + PAGE_SIZE, 'W'), 0);
    KTEST_EXPECT_EQ(t, file_byte(f, PAGE_SIZE), 'p');
    // fork: the child's VMA holds its own reference; its copy is its own.
    mm_struct* child = dup_mm(mm);
    KTEST_ASSERT_TRUE(t, child != nullptr);
    KTEST_EXPECT_EQ(t, file_refs(f), 3);
    char x = 'C';
    KTEST_EXPECT_EQ(t, access_remote_vm(child, a, &x, 1, true), 1);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'Z');
    mmput(child);
    KTEST_EXPECT_EQ(t, file_refs(f), 2);
    KTEST_EXPECT_EQ(t, vm_munmap(a, 2 * PAGE_SIZE), 0);
    KTEST_EXPECT_EQ(t, file_refs(f), 1);
    fput(f);
}
void private_write_copies(ktest* t) { ktest_run_in_mm(t, private_write_copies_body, "ktest-filemap"); }

void sigbus_past_eof_body(ktest* t, mm_struct* mm) {
    file* f = two_page_file(t);
    KTEST_ASSERT_TRUE(t, f != nullptr);
    long a = vm_mmap_pgoff(f, 0, 4 * PAGE_SIZE, RW, MAP_SHARED, 0);
    KTEST_ASSERT_TRUE(t, a > 0);
    int si_code;
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, a + PAGE_SIZE, 0, &si_code), VM_FAULT_OK);
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, a + 2 * PAGE_SIZE, 0, &si_code), VM_FAULT_SIGBUS);
    char c;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a + 3 * PAGE_SIZE, &c), -EFAULT);  // the kernel's fixup
    // Private mappings too, for reads and writes.
    long p = vm_mmap_pgoff(f, 0, 3 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
    KTEST_ASSERT_TRUE(t, p > 0);
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, p + 2 * PAGE_SIZE, FAULT_FLAG_WRITE, &si_code), VM_FAULT_SIGBUS);
    // A mapping starting past the end is allowed; its faults are not.
    long q = vm_mmap_pgoff(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 8);
    KTEST_ASSERT_TRUE(t, q > 0);
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, q, 0, &si_code), VM_FAULT_SIGBUS);
    // Growing the file makes the page reachable.
    loff_t pos = 2 * PAGE_SIZE;
    KTEST_EXPECT_EQ(t, kernel_write(f, "g", 1, &pos), 1);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a + 2 * PAGE_SIZE, &c), 0);
    KTEST_EXPECT_EQ(t, c, 'g');
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(a + 2 * PAGE_SIZE + 1, &c), 0);
    KTEST_EXPECT_EQ(t, c, 0);  // the rest of the last page reads as zeros
    vm_munmap(a, 4 * PAGE_SIZE);
    vm_munmap(p, 3 * PAGE_SIZE);
    vm_munmap(q, PAGE_SIZE);
    KTEST_EXPECT_EQ(t, file_refs(f), 1);
    fput(f);
}
void sigbus_past_eof(ktest* t) { ktest_run_in_mm(t, sigbus_past_eof_body, "ktest-filemap"); }

// Shrinking the file takes the pages past the new end out of every mapping,
// private copies included: they fault again and get SIGBUS.
void truncate_unmaps_body(ktest* t, mm_struct* mm) {
    file* f = two_page_file(t);
    KTEST_ASSERT_TRUE(t, f != nullptr);
    long s = vm_mmap_pgoff(f, 0, 2 * PAGE_SIZE, RW, MAP_SHARED, 0);
    long p = vm_mmap_pgoff(f, 0, 2 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
    KTEST_ASSERT_TRUE(t, s > 0 && p > 0);
    char c;
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(s + PAGE_SIZE, &c), 0);
    KTEST_EXPECT_EQ(t, ktest_put_user_byte(p + PAGE_SIZE, 'c'), 0);  // a private copy
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, s + PAGE_SIZE) != nullptr);
    iattr attr{};
    attr.ia_valid = ATTR_SIZE;
    attr.ia_size = 100;
    inode* i = file_inode(f);
    inode_lock(i);
    KTEST_EXPECT_EQ(t, i->i_op->setattr(f->f_path.dentry, &attr), 0);
    inode_unlock(i);
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, s + PAGE_SIZE) == nullptr);
    KTEST_EXPECT_TRUE(t, ktest_page_at(mm, p + PAGE_SIZE) == nullptr);
    int si_code;
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, s + PAGE_SIZE, 0, &si_code), VM_FAULT_SIGBUS);
    KTEST_EXPECT_EQ(t, ktest_user_fault(mm, p + PAGE_SIZE, FAULT_FLAG_WRITE, &si_code), VM_FAULT_SIGBUS);
    // The first page stays, its tail past the end now zeros.
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(s + 100, &c), 0);
    KTEST_EXPECT_EQ(t, c, 0);
    KTEST_EXPECT_EQ(t, ktest_get_user_byte(s + 4, &c), 0);
    KTEST_EXPECT_EQ(t, c, '0');
    vm_munmap(s, 2 * PAGE_SIZE);
    vm_munmap(p, 2 * PAGE_SIZE);
    KTEST_EXPECT_TRUE(t, list_empty(&f->f_mapping->i_mmap));
    fput(f);
}
void truncate_unmaps(ktest* t) { ktest_run_in_mm(t, truncate_unmaps_body, "ktest-filemap"); }

// The descriptor's open mode bounds the mapping, and seals bound both.
void mapping_rights_body(ktest* t, mm_struct* mm) {
    file* f = two_page_file(t);
    KTEST_ASSERT_TRUE(t, f != nullptr);
    fmode_t mode = f->f_mode;
    f->f_mode = mode & ~FMODE_WRITE;  // as if opened O_RDONLY
    KTEST_EXPECT_EQ(t, vm_mmap_pgoff(f, 0, PAGE_SIZE, RW, MAP_SHARED, 0), -EACCES);
    long ro = vm_mmap_pgoff(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
    KTEST_ASSERT_TRUE(t, ro > 0);
    KTEST_EXPECT_EQ(t, do_mprotect(ro, PAGE_SIZE, RW), -EACCES);  // no VM_MAYWRITE
    long priv = vm_mmap_pgoff(f, 0, PAGE_SIZE, RW, MAP_PRIVATE, 0);
    KTEST_EXPECT_GT(t, priv, 0);
    f->f_mode = mode & ~FMODE_READ;  // O_WRONLY
    KTEST_EXPECT_EQ(t, vm_mmap_pgoff(f, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 0), -EACCES);
    f->f_mode = mode;
    KTEST_EXPECT_EQ(t, vm_munmap(ro, PAGE_SIZE), 0);
    KTEST_EXPECT_EQ(t, vm_munmap(priv, PAGE_SIZE), 0);
    // F_SEAL_WRITE: refused while a shared mapping could write (even one
    // read-only for now), then no writable shared mappings.
    long s = vm_mmap_pgoff(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
    KTEST_ASSERT_TRUE(t, s > 0);
    KTEST_EXPECT_EQ(t, memfd_fcntl(f, F_ADD_SEALS, F_SEAL_WRITE), -EBUSY);
    KTEST_EXPECT_EQ(t, vm_munmap(s, PAGE_SIZE), 0);
    KTEST_EXPECT_EQ(t, memfd_fcntl(f, F_ADD_SEALS, F_SEAL_WRITE), 0);
    KTEST_EXPECT_EQ(t, vm_mmap_pgoff(f, 0, PAGE_SIZE, RW, MAP_SHARED, 0), -EPERM);
    long r = vm_mmap_pgoff(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
    KTEST_ASSERT_TRUE(t, r > 0);
    KTEST_EXPECT_EQ(t, do_mprotect(r, PAGE_SIZE, RW), -EACCES);  // it lost VM_MAYWRITE
    long p2 = vm_mmap_pgoff(f, 0, PAGE_SIZE, RW, MAP_PRIVATE, 0);
    KTEST_EXPECT_GT(t, p2, 0);  // private copies stay allowed
    KTEST_EXPECT_EQ(t, memfd_fcntl(f, F_GET_SEALS, 0), long(F_SEAL_WRITE));
    // Without MFD_ALLOW_SEALING the only seal is F_SEAL_SEAL.
    Result<file*> unsealable = memfd_file_create("memfd:ktest", 0);
    KTEST_ASSERT_TRUE(t, !unsealable.is_error());
    KTEST_EXPECT_EQ(t, memfd_fcntl(unsealable.value(), F_GET_SEALS, 0), long(F_SEAL_SEAL));
    KTEST_EXPECT_EQ(t, memfd_fcntl(unsealable.value(), F_ADD_SEALS, F_SEAL_WRITE), -EPERM);
    fput(unsealable.value());
    vm_munmap(r, PAGE_SIZE);
    vm_munmap(p2, PAGE_SIZE);
    fput(f);
}
void mapping_rights(ktest* t) { ktest_run_in_mm(t, mapping_rights_body, "ktest-filemap"); }

const ktest_case filemap_cases[] = {
    KTEST_CASE(shared_write_reaches_file), KTEST_CASE(private_write_copies), KTEST_CASE(sigbus_past_eof),
    KTEST_CASE(truncate_unmaps), KTEST_CASE(mapping_rights), {},
};

}  // namespace

KTEST_SUITE(filemap, filemap_cases);
