// Super blocks (Linux's fs/super.c): one per mounted file-system instance.
// A super block lives while a mount uses it (s_active); the last
// deactivate_super calls the type's kill_sb, which drops the tree and frees
// the super block. File systems with no device get an anonymous device number
// (major 0) so st_dev tells their files apart.
#include <keel/dcache.h>
#include <lib/bitmap.h>
#include <lib/vsprintf.h>
#include <mm/slab.h>
#include <new>

namespace {

LIST_HEAD(super_blocks);
spinlock_t sb_lock{"sb_lock"};  // super_blocks, the anonymous device bitmap
constexpr unsigned NR_ANON_DEVS = 1024;
unsigned long anon_dev_bitmap[NR_ANON_DEVS / 64];

int get_anon_bdev(dev_t* out) {
    for (unsigned i = 1; i < NR_ANON_DEVS; i++)  // minor 0 is reserved, as in Linux
        if (!test_bit(i, anon_dev_bitmap)) {
            __set_bit(i, anon_dev_bitmap);
            *out = MKDEV(0, i);
            return 0;
        }
    return -EMFILE;
}

super_block* alloc_super(file_system_type* type, int flags) {
    void* mem = kzalloc(sizeof(super_block), GFP_KERNEL);
    if (!mem) return nullptr;
    super_block* sb = new (mem) super_block;
    INIT_LIST_HEAD(&sb->s_inodes);
    sb->s_type = type;
    sb->s_flags = unsigned(flags);
    Guard<NoIrqSave> guard(sb_lock);
    if (get_anon_bdev(&sb->s_dev)) {
        sb->~super_block();
        kfree(sb);
        return nullptr;
    }
    snprintf(sb->s_id, sizeof(sb->s_id), "%s", type->name);
    list_add_tail(&sb->s_list, &super_blocks);
    return sb;
}

void destroy_super(super_block* sb) {
    {
        Guard<NoIrqSave> guard(sb_lock);
        list_del(&sb->s_list);
        __clear_bit(MINOR(sb->s_dev), anon_dev_bitmap);
    }
    sb->~super_block();
    kfree(sb);
}

Result<dentry*> fill_new_super(super_block* sb, int flags, void* data,
                               int (*fill_super)(super_block* sb, void* data, int silent)) {
    int err = fill_super(sb, data, flags & SB_SILENT);
    if (err) {
        if (sb->s_root) dput(sb->s_root);
        destroy_super(sb);
        return Error{-err};
    }
    return dget(sb->s_root);
}

}  // namespace

Result<dentry*> mount_nodev(file_system_type* fs_type, int flags, void* data,
                            int (*fill_super)(super_block* sb, void* data, int silent)) {
    super_block* sb = alloc_super(fs_type, flags);
    if (!sb) return Error{ENOMEM};
    return fill_new_super(sb, flags, data, fill_super);
}

Result<dentry*> mount_single(file_system_type* fs_type, int flags, void* data,
                             int (*fill_super)(super_block* sb, void* data, int silent)) {
    {
        Guard<NoIrqSave> guard(sb_lock);
        list_head* pos;
        for (pos = super_blocks.next; pos != &super_blocks; pos = pos->next) {
            super_block* sb = container_of(pos, super_block, s_list);
            if (sb->s_type == fs_type && sb->s_root) {
                sb->s_active.fetch_add(1, memory_order::relaxed);
                return dget(sb->s_root);
            }
        }
    }
    return mount_nodev(fs_type, flags, data, fill_super);
}

void kill_anon_super(super_block* sb) {
    dentry* root = sb->s_root;
    sb->s_root = nullptr;
    shrink_dcache_sb(sb);
    if (root) dput(root);
    if (sb->s_op && sb->s_op->put_super) sb->s_op->put_super(sb);
    destroy_super(sb);
}

void kill_litter_super(super_block* sb) {
    // Unpin every dentry the file system kept alive, then drop the tree.
    while (sb->s_root) {
        dentry* pinned;
        {
            Guard<NoIrqSave> guard(dcache_lock);
            pinned = d_walk_find(sb->s_root, [](dentry* c) { return bool(c->d_flags & DCACHE_PERSISTENT); });
            if (pinned) pinned->d_flags &= ~DCACHE_PERSISTENT;
        }
        if (!pinned) break;
        dput(pinned);
    }
    kill_anon_super(sb);
}

void deactivate_super(super_block* sb) {
    if (sb->s_active.fetch_sub(1, memory_order::acq_rel) != 1) return;
    sb->s_type->kill_sb(sb);
}
