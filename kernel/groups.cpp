// Supplementary groups (Linux's kernel/groups.c), kept sorted in the cred.
#include <asm/uaccess.h>
#include <keel/cred.h>
#include <keel/syscalls.h>
#include <mm/slab.h>

long sys_getgroups(int gidsetsize, unsigned __user* grouplist) {
    if (gidsetsize < 0) return -EINVAL;
    const cred* c = current_cred();
    if (gidsetsize == 0) return c->ngroups;
    if (gidsetsize < c->ngroups) return -EINVAL;
    if (copy_to_user(grouplist, c->groups, c->ngroups * sizeof(kgid_t))) return -EFAULT;
    return c->ngroups;
}

long sys_setgroups(int gidsetsize, const unsigned __user* grouplist) {
    if (!capable_of(current_cred())) return -EPERM;
    if (gidsetsize < 0 || gidsetsize > NGROUPS_MAX) return -EINVAL;
    kgid_t* groups = nullptr;
    if (gidsetsize) {
        groups = static_cast<kgid_t*>(kmalloc(gidsetsize * sizeof(kgid_t), GFP_KERNEL));
        if (!groups) return -ENOMEM;
        if (copy_from_user(groups, grouplist, gidsetsize * sizeof(kgid_t))) {
            kfree(groups);
            return -EFAULT;
        }
        // Sorted, so membership tests could search; insertion sort is plenty
        // for the handful of groups a process has.
        for (int i = 1; i < gidsetsize; i++)
            for (int j = i; j > 0 && groups[j - 1] > groups[j]; j--) {
                kgid_t t = groups[j];
                groups[j] = groups[j - 1];
                groups[j - 1] = t;
            }
    }
    cred* c = prepare_creds();
    if (!c) {
        kfree(groups);
        return -ENOMEM;
    }
    kfree(c->groups);
    c->groups = groups;
    c->ngroups = gidsetsize;
    commit_creds(c);
    return 0;
}

bool groups_search(const cred* c, kgid_t gid) {
    int lo = 0, hi = c->ngroups;
    while (lo < hi) {  // binary search: the list is sorted
        int mid = (lo + hi) / 2;
        if (c->groups[mid] == gid) return true;
        if (c->groups[mid] < gid) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

bool in_group_p(kgid_t gid) {
    const cred* c = current_cred();
    return gid == c->fsgid || groups_search(c, gid);
}

bool in_egroup_p(kgid_t gid) {
    const cred* c = current_cred();
    return gid == c->egid || groups_search(c, gid);
}
