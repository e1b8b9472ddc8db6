// sysctl tables and their handlers (Linux's kernel/sysctl.c): the registry
// /proc/sys shows, the generic string and number handlers with Linux's
// parsing rules, and the kernel.* and vm.* entries Keel has values for.
#include <keel/init.h>
#include <keel/mutex.h>
#include <keel/sysctl.h>
#include <keel/printk.h>
#include <kernel/printk/printk.h>
#include <kernel/sched/sched.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <limits>
#include <new>

const int sysctl_vals[] = {0, 1, __INT_MAX__};

mutex sysctl_lock{"sysctl_lock"};
ctl_dir sysctl_root = {"sys", &sysctl_root, {&sysctl_root.subdirs, &sysctl_root.subdirs}, {},
                       {&sysctl_root.tables, &sysctl_root.tables}};

namespace {

// The child of dir named name[0..len), created if absent.
ctl_dir* get_subdir(ctl_dir* dir, const char* name, size_t len) {
    ctl_dir* d;
    list_for_each_entry(d, &dir->subdirs, sibling)
        if (strlen(d->name) == len && memcmp(d->name, name, len) == 0) return d;
    void* mem = kzalloc(sizeof(ctl_dir) + len + 1, GFP_KERNEL);
    if (!mem) return nullptr;
    d = new (mem) ctl_dir;
    char* copy = static_cast<char*>(mem) + sizeof(ctl_dir);
    memcpy(copy, name, len);
    d->name = copy;
    d->parent = dir;
    INIT_LIST_HEAD(&d->subdirs);
    INIT_LIST_HEAD(&d->tables);
    list_add_tail(&d->sibling, &dir->subdirs);
    return d;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Linux's proc_get_long: an optional '-', digits, then the end of the
// buffer or whitespace. Advances *p past the number.
int proc_get_long(const char** p, size_t* left, unsigned long* val, bool* neg) {
    const char* s = *p;
    size_t n = *left;
    *neg = false;
    if (n && *s == '-') {
        *neg = true;
        s++;
        n--;
    }
    if (!n || *s < '0' || *s > '9') return -EINVAL;
    unsigned long v = 0;
    for (; n && *s >= '0' && *s <= '9'; s++, n--) {
        unsigned long next = v * 10 + unsigned(*s - '0');
        if (next / 10 != v) return -EINVAL;  // overflows an unsigned long
        v = next;
    }
    if (n && !is_space(*s)) return -EINVAL;
    *val = v;
    *p = s;
    *left = n;
    return 0;
}

void skip_spaces(const char** p, size_t* left) {
    while (*left && is_space(**p)) {
        ++*p;
        --*left;
    }
}

// Appends text to the read buffer, as much as fits in *left.
void put_text(char** buf, size_t* left, const char* text) {
    size_t len = strlen(text);
    if (len > *left) len = *left;
    memcpy(*buf, text, len);
    *buf += len;
    *left -= len;
}

// Linux's __do_proc_dointvec & co. for an array of T: tab-separated on read,
// whitespace-separated on write, each value checked against [min, max].
template <typename T>
int do_proc_vec(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos, const T* min, const T* max) {
    T* data = static_cast<T*>(table->data);
    if (!data || !table->maxlen || !*lenp || (*ppos && !write)) {
        *lenp = 0;
        return 0;
    }
    if (write && *ppos) {  // sysctl_writes_strict: a write must start at 0
        *ppos += loff_t(*lenp);
        return 0;
    }
    size_t vleft = size_t(table->maxlen) / sizeof(T);
    size_t left = *lenp;
    int err = 0;
    bool first = true;
    if (write) {
        const char* p = static_cast<const char*>(buffer);
        for (; left && vleft; vleft--, data++, first = false) {
            skip_spaces(&p, &left);
            if (!left) break;
            unsigned long lval;
            bool neg;
            if ((err = proc_get_long(&p, &left, &lval, &neg))) break;
            long long v = neg ? -(long long)lval : (long long)lval;
            bool fits = std::numeric_limits<T>::is_signed
                            ? (neg ? lval <= (unsigned long)std::numeric_limits<T>::max() + 1
                                   : lval <= (unsigned long)std::numeric_limits<T>::max())
                            : !neg && lval <= (unsigned long)std::numeric_limits<T>::max();
            if (!fits || (min && T(v) < *min) || (max && T(v) > *max)) {
                err = -EINVAL;
                break;
            }
            *data = T(v);
        }
        if (!err && left) skip_spaces(&p, &left);
        if (first) return err ? err : -EINVAL;
    } else {
        char* out = static_cast<char*>(buffer);
        for (; left && vleft; vleft--, data++, first = false) {
            char num[32];
            if (std::numeric_limits<T>::is_signed) snprintf(num, sizeof(num), "%lld", (long long)*data);
            else snprintf(num, sizeof(num), "%llu", (unsigned long long)*data);
            if (!first) put_text(&out, &left, "\t");
            put_text(&out, &left, num);
        }
        if (!first && left) put_text(&out, &left, "\n");
    }
    *lenp -= left;
    *ppos += loff_t(*lenp);
    return err;
}

// The scheduler's tunables live in kernel/sched (sched_sysctl_read/write,
// which check Linux's ranges); this handler moves one value in or out.
int proc_dosched(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    long value = 0;
    if (!write && sched_sysctl_read(table->procname, &value)) return -ENOENT;
    ctl_table tmp = *table;
    tmp.data = &value;
    tmp.maxlen = sizeof(value);
    int err = do_proc_vec<long>(&tmp, write, buffer, lenp, ppos, nullptr, nullptr);
    if (err || !write || !*lenp) return err;
    return sched_sysctl_write(table->procname, value);
}

// kernel.printk: Linux's four console levels (current, default message level,
// minimum, default console level). Only the first can change in Keel; the
// others are its fixed values (LOGLEVEL_DEFAULT, CONSOLE_LOGLEVEL_MIN and
// CONSOLE_LOGLEVEL_DEFAULT in kernel/printk), so a write must keep them.
int proc_doprintk(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    int levels[4] = {console_loglevel, LOGLEVEL_DEFAULT, 1, 7};
    ctl_table tmp = *table;
    tmp.data = levels;
    tmp.maxlen = sizeof(levels);
    int err = do_proc_vec<int>(&tmp, write, buffer, lenp, ppos, nullptr, nullptr);
    if (err || !write) return err;
    if (levels[1] != LOGLEVEL_DEFAULT || levels[2] != 1 || levels[3] != 7) return -EINVAL;
    console_loglevel = levels[0];
    return 0;
}

// vm.min_free_kbytes: the watermarks follow a new value (Linux's
// min_free_kbytes_sysctl_handler).
int min_free_kbytes_sysctl_handler(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    int err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);
    if (!err && write) setup_per_zone_wmarks();
    return err;
}

ctl_table kern_table[] = {
    {.procname = "sched_latency_ns", .mode = 0644, .proc_handler = proc_dosched},
    {.procname = "sched_min_granularity_ns", .mode = 0644, .proc_handler = proc_dosched},
    {.procname = "sched_wakeup_granularity_ns", .mode = 0644, .proc_handler = proc_dosched},
    {.procname = "sched_migration_cost_ns", .mode = 0644, .proc_handler = proc_dosched},
    {.procname = "sched_tunable_scaling", .mode = 0644, .proc_handler = proc_dosched},
    {.procname = "sched_rr_timeslice_ms", .mode = 0644, .proc_handler = proc_dosched},
    {.procname = "printk", .mode = 0644, .proc_handler = proc_doprintk},
    {},
};

ctl_table vm_table[] = {
    {.procname = "min_free_kbytes", .data = &min_free_kbytes, .maxlen = sizeof(int), .mode = 0644,
     .proc_handler = min_free_kbytes_sysctl_handler, .extra1 = SYSCTL_ZERO},
    {},
};

int sysctl_init() {
    register_sysctl("kernel", kern_table);
    register_sysctl("vm", vm_table);
    return 0;
}
core_initcall(sysctl_init);

}  // namespace

ctl_table_header* register_sysctl(const char* path, ctl_table* table) {
    auto* header = static_cast<ctl_table_header*>(kzalloc(sizeof(ctl_table_header), GFP_KERNEL));
    if (!header) return nullptr;
    MutexGuard guard(&sysctl_lock);
    ctl_dir* dir = &sysctl_root;
    for (const char* p = path; *p;) {
        const char* end = strchr(p, '/');
        size_t len = end ? size_t(end - p) : strlen(p);
        if (len && !(dir = get_subdir(dir, p, len))) {
            kfree(header);
            return nullptr;
        }
        p += len;
        if (*p == '/') p++;
    }
    header->table = table;
    header->dir = dir;
    list_add_tail(&header->node, &dir->tables);
    return header;
}

int proc_dostring(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    char* data = static_cast<char*>(table->data);
    size_t maxlen = size_t(table->maxlen);
    if (!data || !maxlen || !*lenp) {
        *lenp = 0;
        return 0;
    }
    size_t len = strnlen(data, maxlen);
    if (write) {
        // Strict mode: a write at the end of the current value appends to it.
        if (*ppos > loff_t(len)) return 0;
        len = size_t(*ppos);
        *ppos += loff_t(*lenp);
        const char* p = static_cast<const char*>(buffer);
        for (size_t i = 0; i < *lenp && len < maxlen - 1; i++) {
            char c = p[i];
            if (c == 0 || c == '\n') break;
            data[len++] = c;
        }
        data[len] = '\0';
        return 0;
    }
    if (*ppos > loff_t(len)) {
        *lenp = 0;
        return 0;
    }
    data += *ppos;
    len -= size_t(*ppos);
    if (len > *lenp) len = *lenp;
    memcpy(buffer, data, len);
    if (len < *lenp) static_cast<char*>(buffer)[len++] = '\n';
    *lenp = len;
    *ppos += loff_t(len);
    return 0;
}

int proc_dointvec(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    return do_proc_vec<int>(table, write, buffer, lenp, ppos, nullptr, nullptr);
}

int proc_dointvec_minmax(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    return do_proc_vec<int>(table, write, buffer, lenp, ppos, static_cast<const int*>(table->extra1),
                            static_cast<const int*>(table->extra2));
}

int proc_douintvec(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    return do_proc_vec<unsigned>(table, write, buffer, lenp, ppos, nullptr, nullptr);
}

int proc_douintvec_minmax(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    return do_proc_vec<unsigned>(table, write, buffer, lenp, ppos, static_cast<const unsigned*>(table->extra1),
                                 static_cast<const unsigned*>(table->extra2));
}

int proc_doulongvec_minmax(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    return do_proc_vec<unsigned long>(table, write, buffer, lenp, ppos,
                                      static_cast<const unsigned long*>(table->extra1),
                                      static_cast<const unsigned long*>(table->extra2));
}
