// Credentials (Linux's kernel/cred.c): prepare a copy, change it, commit it.
#include <keel/cred.h>
#include <keel/panic.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <new>

cred init_cred;

void put_cred(const cred* c) {
    auto* mc = const_cast<cred*>(c);
    if (mc->usage.fetch_sub(1, memory_order::acq_rel) != 1) return;
    BUG_ON(mc == &init_cred);
    kfree(mc->groups);
    mc->~cred();
    kfree(mc);
}

cred* prepare_creds() {
    const cred* old = current_cred();
    void* mem = kmalloc(sizeof(cred), GFP_KERNEL);
    if (!mem) return nullptr;
    auto* c = new (mem) cred;
    c->uid = old->uid, c->euid = old->euid, c->suid = old->suid, c->fsuid = old->fsuid;
    c->gid = old->gid, c->egid = old->egid, c->sgid = old->sgid, c->fsgid = old->fsgid;
    if (old->ngroups) {
        c->groups = static_cast<kgid_t*>(kmalloc(old->ngroups * sizeof(kgid_t), GFP_KERNEL));
        if (!c->groups) {
            kfree(c);
            return nullptr;
        }
        memcpy(c->groups, old->groups, old->ngroups * sizeof(kgid_t));
        c->ngroups = old->ngroups;
    }
    return c;
}

void commit_creds(cred* new_cred) {
    task_struct* tsk = current;
    const cred* old = tsk->cred;
    tsk->cred = new_cred;
    if (old) put_cred(old);
}

void abort_creds(cred* new_cred) { put_cred(new_cred); }
