// Console registration and the `console=` option. Each `console=name<index>[,options]`
// names a console to enable; the last one is the preferred console (/dev/console
// later). With no console= at all, the first console to register is enabled, as
// Linux does (normally the VGA console tty0). A console that registers late
// first receives everything logged so far.
#define pr_fmt(fmt) "printk: " fmt
#include <keel/console.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <kernel/printk/printk.h>
#include <lib/string.h>

namespace {

struct preferred_console {
    char name[16];
    int index;
    char options[32];
};

constexpr int MAX_CMDLINECONSOLES = 8;
preferred_console console_cmdline[MAX_CMDLINECONSOLES];
int nr_console_cmdline;
console* console_drivers;
spinlock_t console_lock;

// "ttyS0,115200n8" -> name "ttyS", index 0, options "115200n8".
int console_setup(const char* val) {
    if (!val || !*val) return -EINVAL;
    if (nr_console_cmdline == MAX_CMDLINECONSOLES) return -ENOSPC;
    preferred_console& c = console_cmdline[nr_console_cmdline];
    const char* comma = strchr(val, ',');
    size_t len = comma ? size_t(comma - val) : strlen(val);
    size_t digits = 0;
    while (digits < len && val[len - 1 - digits] >= '0' && val[len - 1 - digits] <= '9') digits++;
    size_t name_len = len - digits;
    if (name_len == 0 || name_len >= sizeof(c.name)) return -EINVAL;
    memcpy(c.name, val, name_len);
    c.name[name_len] = '\0';
    c.index = 0;
    for (size_t i = name_len; i < len; i++) c.index = c.index * 10 + (val[i] - '0');
    if (comma) strscpy(c.options, comma + 1, sizeof(c.options));
    nr_console_cmdline++;
    return 0;
}

}  // namespace

early_param("console", console_setup);

void register_console(console* con) {
    int match = -1;
    for (int i = 0; i < nr_console_cmdline; i++) {
        const preferred_console& c = console_cmdline[i];
        if (strcmp(c.name, con->name) == 0 && (con->index < 0 || con->index == c.index)) match = i;
    }
    bool enable;
    if (nr_console_cmdline) {
        enable = match >= 0;
        if (enable) con->index = console_cmdline[match].index;
        if (match == nr_console_cmdline - 1) con->flags |= CON_CONSDEV;
    } else {
        // No console= given: the first real console wins.
        enable = true;
        for (console* c = console_drivers; c; c = c->next)
            if ((c->flags & CON_ENABLED) && !(c->flags & CON_BOOT)) enable = false;
        if (con->index < 0) con->index = 0;
    }
    if (con->flags & CON_BOOT) enable = true;  // asked for explicitly (earlyprintk=)
    if (!enable) return;

    // A real console replaces the boot console on the same device.
    {
        Guard<IrqSave> guard(console_lock);
        if (!(con->flags & CON_BOOT)) {
            for (console* c = console_drivers; c; c = c->next)
                if ((c->flags & CON_BOOT) && strcmp(c->name, con->name) == 0 && c->index == con->index)
                    c->flags &= ~CON_ENABLED;
        }
        con->next = console_drivers;
        console_drivers = con;
    }
    // A boot console shares its device with the early writes already seen; a new
    // device gets the backlog.
    bool replaced_boot = false;
    for (console* c = con->next; c; c = c->next)
        if ((c->flags & CON_BOOT) && strcmp(c->name, con->name) == 0 && c->index == con->index)
            replaced_boot = true;
    if (!replaced_boot) printk_replay(con);
    con->flags |= CON_ENABLED;
    pr_info("%sconsole [%s%d] enabled\n", (con->flags & CON_BOOT) ? "boot" : "", con->name, con->index);
}

bool console_write_all(const char* text, size_t len) {
    bool written = false;
    for (console* c = console_drivers; c; c = c->next) {
        if (!(c->flags & CON_ENABLED)) continue;
        c->write(c, text, len);
        written = true;
    }
    return written;
}

const char* console_options(const console* con) {
    for (int i = 0; i < nr_console_cmdline; i++)
        if (strcmp(console_cmdline[i].name, con->name) == 0 && console_cmdline[i].index == con->index)
            return console_cmdline[i].options;
    return "";
}

tty_driver* console_device(int* index) {
    Guard<IrqSave> guard(console_lock);
    console* found = nullptr;
    for (console* c = console_drivers; c; c = c->next) {
        if (!(c->flags & CON_ENABLED) || (c->flags & CON_BOOT) || !c->device) continue;
        if (!found || (c->flags & CON_CONSDEV)) found = c;
    }
    return found ? found->device(found, index) : nullptr;
}
