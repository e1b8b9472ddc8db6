// sysfs (Linux's fs/sysfs and the kernfs tree beneath it, reduced to what Keel
// needs): directories and attribute files kept as kernfs_nodes, which never
// go away; one super block that every mount of "sysfs" shares. A read calls
// the attribute's show() into a page and serves it from the file position; a
// write hands the bytes to store().
#include <keel/dcache.h>
#include <keel/init.h>
#include <keel/sysfs.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>
#include <uapi/asm/stat.h>

struct kernfs_node {
    const char* name;
    umode_t mode;
    kernfs_node* parent;
    list_head children;  // kernfs_node::sibling, in creation order
    list_head sibling;
    kobject* kobj;          // directories: the kobject; files: their directory's
    kobj_attribute* attr;   // files only
    unsigned long ino;
};

extern const inode_operations sysfs_dir_inode_operations;
extern const file_operations sysfs_dir_operations;

namespace {

mutex kernfs_mutex{"kernfs_mutex"};  // every node's children
unsigned long kernfs_next_ino = 2;

kernfs_node sysfs_root_node = {"", S_IFDIR | 0755, &sysfs_root_node,
                               {&sysfs_root_node.children, &sysfs_root_node.children}, {}, nullptr, nullptr, 1};
kobject sysfs_root_kobj = {"", nullptr, &sysfs_root_node};

kernfs_node* kernfs_new_node(kernfs_node* parent, const char* name, umode_t mode) {
    auto* kn = new (kzalloc(sizeof(kernfs_node), GFP_KERNEL)) kernfs_node;
    if (!kn) return nullptr;
    kn->name = name;
    kn->mode = mode;
    kn->parent = parent;
    INIT_LIST_HEAD(&kn->children);
    MutexGuard guard(&kernfs_mutex);
    kn->ino = kernfs_next_ino++;
    list_add_tail(&kn->sibling, &parent->children);
    return kn;
}

kernfs_node* kernfs_node_of(const inode* i) { return static_cast<kernfs_node*>(i->i_private); }

// ---- attribute files ----

ssize_t sysfs_kf_read(kiocb* iocb, iov_iter* to) {
    kernfs_node* kn = kernfs_node_of(file_inode(iocb->ki_filp));
    char* buf = static_cast<char*>(kzalloc(PAGE_SIZE, GFP_KERNEL));
    if (!buf) return -ENOMEM;
    ssize_t len = kn->attr->show(kn->kobj, kn->attr, buf);
    ssize_t ret = len;
    if (len >= 0) {
        if (len > ssize_t(PAGE_SIZE)) len = PAGE_SIZE;
        ret = 0;
        if (iocb->ki_pos < len) {
            size_t n = size_t(len - iocb->ki_pos);
            if (n > iov_iter_count(to)) n = iov_iter_count(to);
            ret = ssize_t(copy_to_iter(buf + iocb->ki_pos, n, to));
            if (!ret && n) ret = -EFAULT;
            if (ret > 0) iocb->ki_pos += ret;
        }
    }
    kfree(buf);
    return ret;
}

ssize_t sysfs_kf_write(kiocb* iocb, iov_iter* from) {
    kernfs_node* kn = kernfs_node_of(file_inode(iocb->ki_filp));
    size_t count = iov_iter_count(from);
    if (count >= PAGE_SIZE) count = PAGE_SIZE - 1;
    char* buf = static_cast<char*>(kzalloc(PAGE_SIZE, GFP_KERNEL));
    if (!buf) return -ENOMEM;
    ssize_t ret = copy_from_iter(buf, count, from) == count ? kn->attr->store(kn->kobj, kn->attr, buf, count) : -EFAULT;
    kfree(buf);
    if (ret > 0) iocb->ki_pos += ret;
    return ret;
}

// As kernfs_fop_open: opening for a direction the attribute lacks is EACCES,
// whatever the caller's rights.
int sysfs_kf_open(inode* i, file* f) {
    kernfs_node* kn = kernfs_node_of(i);
    if ((f->f_mode & FMODE_WRITE) && !kn->attr->store) return -EACCES;
    if ((f->f_mode & FMODE_READ) && !kn->attr->show) return -EACCES;
    return 0;
}

const file_operations sysfs_file_operations = {
    .llseek = generic_file_llseek,
    .read_iter = sysfs_kf_read,
    .write_iter = sysfs_kf_write,
    .open = sysfs_kf_open,
};

// ---- directories ----

inode* sysfs_get_inode(super_block* sb, kernfs_node* kn) {
    inode* i = new_inode(sb);
    if (!i) return nullptr;
    i->i_ino = kn->ino;
    i->i_mode = kn->mode;
    i->i_private = kn;
    i->i_mtime = i->i_atime = i->i_ctime = current_time(i);
    if (S_ISDIR(kn->mode)) {
        unsigned subdirs = 0;
        kernfs_node* c;
        list_for_each_entry(c, &kn->children, sibling) if (S_ISDIR(c->mode)) subdirs++;
        set_nlink(i, 2 + subdirs);
        i->i_op = &sysfs_dir_inode_operations;
        i->i_fop = &sysfs_dir_operations;
    } else {
        static const inode_operations sysfs_file_inode_operations = {};
        set_nlink(i, 1);
        i->i_op = &sysfs_file_inode_operations;
        i->i_size = PAGE_SIZE;  // what Linux reports for every attribute
        i->i_fop = &sysfs_file_operations;
    }
    return i;
}

Result<dentry*> sysfs_lookup(inode* dir, dentry* d, unsigned) {
    kernfs_node* parent = kernfs_node_of(dir);
    kernfs_node* found = nullptr;
    {
        MutexGuard guard(&kernfs_mutex);
        kernfs_node* c;
        list_for_each_entry(c, &parent->children, sibling)
            if (strlen(c->name) == d->d_name.len && memcmp(c->name, d->d_name.name, d->d_name.len) == 0) found = c;
    }
    if (!found) return Error{ENOENT};
    inode* i = sysfs_get_inode(dir->i_sb, found);
    if (!i) return Error{ENOMEM};
    d_add(d, i);
    return static_cast<dentry*>(nullptr);
}

int sysfs_readdir(file* f, dir_context* ctx) {
    kernfs_node* dir = kernfs_node_of(file_inode(f));
    if (!dir_emit_dots(f, ctx)) return 0;
    for (;;) {
        kernfs_node* pick = nullptr;
        {
            MutexGuard guard(&kernfs_mutex);
            loff_t n = 2;
            kernfs_node* c;
            list_for_each_entry(c, &dir->children, sibling) if (n++ == ctx->pos) {
                pick = c;
                break;
            }
        }
        if (!pick) return 0;
        if (!dir_emit(ctx, pick->name, int(strlen(pick->name)), pick->ino, fs_umode_to_dtype(pick->mode))) return 0;
        ctx->pos++;
    }
}

int sysfs_fill_super(super_block* sb, void*, int) {
    sb->s_magic = SYSFS_MAGIC;
    sb->s_op = nullptr;
    inode* root = sysfs_get_inode(sb, &sysfs_root_node);
    if (!root) return -ENOMEM;
    sb->s_root = d_make_root(root);
    return sb->s_root ? 0 : -ENOMEM;
}

Result<dentry*> sysfs_mount(file_system_type* fs_type, int flags, const char*, void* data) {
    return mount_single(fs_type, flags, data, sysfs_fill_super);
}

file_system_type sysfs_fs_type = {
    .name = "sysfs",
    .fs_flags = 0,
    .mount = sysfs_mount,
    .kill_sb = kill_anon_super,
    .next = nullptr,
};

int sysfs_init() {
    kernel_kobj = kobject_create_and_add("kernel", nullptr);
    devices_kobj = kobject_create_and_add("devices", nullptr);
    return register_filesystem(&sysfs_fs_type);
}
core_initcall(sysfs_init);

}  // namespace

const inode_operations sysfs_dir_inode_operations = {.lookup = sysfs_lookup};
const file_operations sysfs_dir_operations = {
    .llseek = generic_file_llseek, .read = generic_read_dir, .iterate_shared = sysfs_readdir};

kobject* kernel_kobj;
kobject* devices_kobj;

kobject* kobject_create_and_add(const char* name, kobject* parent) {
    if (!parent) parent = &sysfs_root_kobj;
    auto* kobj = static_cast<kobject*>(kzalloc(sizeof(kobject), GFP_KERNEL));
    if (!kobj) return nullptr;
    kobj->name = name;
    kobj->parent = parent;
    kobj->sd = kernfs_new_node(parent->sd, name, S_IFDIR | 0755);
    if (!kobj->sd) {
        kfree(kobj);
        return nullptr;
    }
    kobj->sd->kobj = kobj;
    return kobj;
}

int sysfs_create_file(kobject* kobj, kobj_attribute* attr) {
    kernfs_node* kn = kernfs_new_node(kobj->sd, attr->attr.name, umode_t(S_IFREG | attr->attr.mode));
    if (!kn) return -ENOMEM;
    kn->kobj = kobj;
    kn->attr = attr;
    return 0;
}
