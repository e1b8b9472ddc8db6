// Credentials (Linux's include/linux/cred.h): who a task acts as. A cred is
// never changed once a task uses it: a change prepares a copy, edits it and
// commits it in place of the old one, so a reader holding a pointer sees one
// consistent identity. Forked tasks share their parent's cred (a reference).
#pragma once
#include <keel/atomic.h>
#include <keel/sched.h>
#include <keel/types.h>

using kuid_t = unsigned;
using kgid_t = unsigned;

constexpr int NGROUPS_MAX = 65536;

struct cred {
    Atomic<int> usage{1};
    kuid_t uid = 0, euid = 0, suid = 0, fsuid = 0;
    kgid_t gid = 0, egid = 0, sgid = 0, fsgid = 0;
    int ngroups = 0;
    kgid_t* groups = nullptr;  // sorted supplementary groups, owned by this cred
};

extern cred init_cred;  // root, no supplementary groups: kernel threads and init

static inline const cred* get_cred(const cred* c) {
    const_cast<cred*>(c)->usage.fetch_add(1, memory_order::relaxed);
    return c;
}
void put_cred(const cred* c);
// A private copy of current's cred to edit, nullptr without memory.
cred* prepare_creds();
static inline const cred* current_cred() { return current->cred ? current->cred : &init_cred; }
// Makes `new_cred` current's identity and drops the old one.
void commit_creds(cred* new_cred);
// A prepared cred that is not committed after all.
void abort_creds(cred* new_cred);
// Credentials checks stand in for capabilities: root (euid 0) holds them all,
// which is what Linux's capability rules amount to without file capabilities.
static inline bool capable_of(const cred* c) { return c->euid == 0; }
// Whether gid is among c's supplementary groups (kernel/groups.cpp).
bool groups_search(const cred* c, kgid_t gid);
// File-access group membership: fsgid or a supplementary group (in_egroup_p: egid).
bool in_group_p(kgid_t gid);
bool in_egroup_p(kgid_t gid);
