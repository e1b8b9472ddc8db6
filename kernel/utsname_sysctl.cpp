// kernel.ostype, osrelease, version, hostname and domainname in /proc/sys
// (Linux's kernel/utsname_sysctl.c): the uname strings, the last two
// writable. A value is copied out under uts_lock and handled as a string, so
// a reader never sees a half-written name.
#include <keel/init.h>
#include <keel/sysctl.h>
#include <keel/utsname.h>
#include <lib/string.h>

namespace {

char uts_sysname[] = UTS_SYSNAME;
char uts_release[] = UTS_RELEASE;
char uts_version[] = UTS_VERSION;

int proc_do_uts_string(ctl_table* table, int write, void* buffer, size_t* lenp, loff_t* ppos) {
    char tmp_data[__NEW_UTS_LEN + 1];
    ctl_table tmp = *table;
    tmp.data = tmp_data;
    {
        Guard<IrqSave> guard(uts_lock);
        memcpy(tmp_data, table->data, sizeof(tmp_data));
    }
    int err = proc_dostring(&tmp, write, buffer, lenp, ppos);
    if (write && !err) {
        Guard<IrqSave> guard(uts_lock);
        memcpy(table->data, tmp_data, sizeof(tmp_data));
    }
    return err;
}

ctl_table uts_kern_table[] = {
    {.procname = "ostype", .data = uts_sysname, .maxlen = sizeof(uts_sysname), .mode = 0444,
     .proc_handler = proc_do_uts_string},
    {.procname = "osrelease", .data = uts_release, .maxlen = sizeof(uts_release), .mode = 0444,
     .proc_handler = proc_do_uts_string},
    {.procname = "version", .data = uts_version, .maxlen = sizeof(uts_version), .mode = 0444,
     .proc_handler = proc_do_uts_string},
    {.procname = "hostname", .data = uts_nodename, .maxlen = __NEW_UTS_LEN + 1, .mode = 0644,
     .proc_handler = proc_do_uts_string},
    {.procname = "domainname", .data = uts_domainname, .maxlen = __NEW_UTS_LEN + 1, .mode = 0644,
     .proc_handler = proc_do_uts_string},
    {},
};

int utsname_sysctl_init() {
    register_sysctl("kernel", uts_kern_table);
    return 0;
}
core_initcall(utsname_sysctl_init);

}  // namespace
