// The futex hash (Linux's kernel/futex/core.c): waiters queue on a bucket
// chosen by their key, and wakers find them there.
//
// A private futex's key is (address space, user address): threads and vfork
// children share the mm, so their futexes meet. A shared one (no
// FUTEX_PRIVATE_FLAG) in a MAP_SHARED mapping is keyed by the shared memory
// object and the offset in it, as Linux keys by inode and page offset; in
// private memory it is keyed as a private one.
//
// Each bucket has a mutex rather than Linux's spinlock: the waiter reads the
// user word with the bucket held, and that read may fault and sleep. The
// waiter queues itself and marks itself sleeping before it lets go of the
// bucket, so a waker that changes the word and then takes the bucket cannot
// miss it.
#include <asm/uaccess.h>
#include <keel/fs.h>
#include <keel/futex.h>
#include <keel/mm.h>
#include <kernel/futex/futex.h>

namespace {
constexpr unsigned FUTEX_HASH_BITS = 8;
futex_hash_bucket futex_queues[1u << FUTEX_HASH_BITS];
}  // namespace

bool get_futex_key(u32 __user* uaddr, bool shared, futex_key* key) {
    unsigned long address = reinterpret_cast<unsigned long>(uaddr);
    mm_struct* mm = current->mm;
    *key = futex_key{mm, address};
    if (address % sizeof(u32)) return false;
    if (shared && mm) {
        down_read(&mm->mmap_lock);
        vm_area_struct* vma = find_vma(mm, address);
        if (vma && vma->vm_start <= address && (vma->vm_flags & VM_SHARED)) {
            // The object behind the page, so every mapping of it finds the same key.
            unsigned long offset = (vma->vm_pgoff << PAGE_SHIFT) + (address - vma->vm_start);
            if (vma->vm_shared) *key = futex_key{vma->vm_shared, offset};
            else if (vma->vm_file) *key = futex_key{file_inode(vma->vm_file), offset};
        }
        up_read(&mm->mmap_lock);
    }
    return true;
}

futex_hash_bucket* futex_hash(const futex_key& key) {
    unsigned long h = reinterpret_cast<unsigned long>(key.object) ^ key.offset;
    h = (h ^ (h >> 17) ^ (h >> 31)) * 0x9e3779b97f4a7c15ul;
    return &futex_queues[h >> (64 - FUTEX_HASH_BITS)];
}

// Wakes one queued waiter: off the chain first, then the flag it checks.
void futex_wake_q(futex_q* q) {
    list_del_init(&q->list);
    task_struct* t = q->task;
    q->woken.store(true, memory_order::release);
    wake_up_process(t);
}

int futex_wake(const futex_key& key, int nr_wake, unsigned bitset) {
    futex_hash_bucket* hb = futex_hash(key);
    MutexGuard guard(&hb->lock);
    int woken = 0;
    for (list_head *pos = hb->chain.next, *n = pos->next; pos != &hb->chain && woken < nr_wake; pos = n, n = pos->next) {
        futex_q* q = list_entry(pos, futex_q, list);
        if (q->key != key || !(q->bitset & bitset)) continue;
        futex_wake_q(q);
        woken++;
    }
    return woken;
}

// Linux wakes these as shared futexes: the joiner may be in another process.
void futex_wake_tid(int* uaddr) {
    futex_key key;
    if (get_futex_key(reinterpret_cast<u32 __user*>(uaddr), true, &key)) futex_wake(key, 1, FUTEX_BITSET_MATCH_ANY);
}

namespace {

// A lock tsk still holds at its death: keep the waiters bit, mark the owner
// dead (the next locker gets EOWNERDEAD), wake one waiter. Like WAKE_OP, the
// update is not atomic against user space (see docs/syscalls.md).
void handle_futex_death(u32 __user* uaddr, task_struct* tsk) {
    u32 uval;
    if (get_user(uval, uaddr) || (uval & FUTEX_TID_MASK) != u32(tsk->pid)) return;
    u32 mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    if (put_user(mval, uaddr)) return;
    futex_key key;
    if ((uval & FUTEX_WAITERS) && get_futex_key(uaddr, true, &key)) futex_wake(key, 1, FUTEX_BITSET_MATCH_ANY);
}

// An entry's user pointer without the PI bit; false on a fault.
bool fetch_robust_entry(robust_list* __user const* from, robust_list** entry) {
    unsigned long v;
    if (get_user(v, reinterpret_cast<const unsigned long __user*>(from))) return false;
    *entry = reinterpret_cast<robust_list*>(v & ~1ul);
    return true;
}

}  // namespace

void futex_exit_release(task_struct* tsk) {
    auto* head = static_cast<robust_list_head __user*>(tsk->robust_list);
    if (!head || !tsk->mm) return;
    tsk->robust_list = nullptr;
    robust_list *entry, *pending;
    long offset;
    if (!fetch_robust_entry(&head->list.next, &entry) || get_user(offset, &head->futex_offset) ||
        !fetch_robust_entry(&head->list_op_pending, &pending))
        return;
    for (int limit = ROBUST_LIST_LIMIT; entry != &head->list && limit > 0; limit--) {
        robust_list* next;
        bool ok = fetch_robust_entry(&entry->next, &next);
        // The pending entry is handled last, once (it may or may not be on the list).
        if (entry != pending)
            handle_futex_death(reinterpret_cast<u32 __user*>(reinterpret_cast<char __user*>(entry) + offset), tsk);
        if (!ok) return;
        entry = next;
    }
    if (pending) handle_futex_death(reinterpret_cast<u32 __user*>(reinterpret_cast<char __user*>(pending) + offset), tsk);
}
