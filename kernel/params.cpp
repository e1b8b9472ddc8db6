// Command-line parsing in two passes, as in Linux's init/main.c: early_param()
// handlers run from setup_arch (console, loglevel, memory layout), __setup()
// handlers later in start_kernel. Words nobody claims are reported and kept for
// init: bare words become its arguments, name=value its environment; everything
// after "--" is init's arguments, untouched.
#include <keel/init.h>
#include <keel/printk.h>
#include <lib/cmdline.h>
#include <lib/string.h>
#include <lib/vsprintf.h>

char boot_command_line[COMMAND_LINE_SIZE];

namespace {

constexpr int MAX_INIT_ARGS = 32;
const char* argv_init[MAX_INIT_ARGS + 2] = {nullptr, nullptr};  // [0] is init's path
const char* envp_init[MAX_INIT_ARGS + 2] = {"HOME=/", "TERM=linux", nullptr};
char unknown_params[COMMAND_LINE_SIZE];
char static_command_line[COMMAND_LINE_SIZE];  // tokenized in place, so init's strings live here

// "panic=" and "panic" both name the parameter "panic".
bool setup_name_matches(const char* setup_str, const char* param) {
    size_t len = strlen(setup_str);
    if (len && setup_str[len - 1] == '=') len--;
    return parameqn(setup_str, param, len) && param[len] == '\0';
}

// Runs the handlers registered for this parameter in the given pass; returns
// whether any handler exists for it in either pass.
bool do_one_setup(const char* param, const char* val, bool early) {
    bool known = false;
    for (const obs_kernel_param* p = __setup_start; p < __setup_end; p++) {
        if (!setup_name_matches(p->str, param)) continue;
        known = true;
        if (p->early != early) continue;
        if (p->setup_func(val) < 0)
            printk(KERN_WARNING "Malformed %soption '%s%s%s', ignored\n", early ? "early " : "", param,
                   val ? "=" : "", val ? val : "");
    }
    return known;
}

void add_to_list(const char** list, const char* item) {
    int i = 0;
    while (list[i]) i++;
    if (i < MAX_INIT_ARGS) list[i] = item, list[i + 1] = nullptr;
}

void note_unknown(const char* param, const char* val) {
    size_t len = strlen(unknown_params);
    const char* sep = len ? " " : "";
    if (val) snprintf(unknown_params + len, sizeof(unknown_params) - len, "%s%s=%s", sep, param, val);
    else snprintf(unknown_params + len, sizeof(unknown_params) - len, "%s%s", sep, param);
}

}  // namespace

void parse_early_param() {
    static char tmp[COMMAND_LINE_SIZE];
    strscpy(tmp, boot_command_line, sizeof(tmp));
    char* args = tmp;
    while (*args) {
        char *param, *val;
        args = next_arg(args, &param, &val);
        do_one_setup(param, val, true);
    }
}

void parse_args_late() {
    strscpy(static_command_line, boot_command_line, sizeof(static_command_line));
    char* args = static_command_line;
    bool after_dashes = false;
    while (*args) {
        char *param, *val;
        args = next_arg(args, &param, &val);
        // Everything after "--" belongs to init, untouched.
        if (!val && strcmp(param, "--") == 0) {
            after_dashes = true;
            continue;
        }
        if (!after_dashes && do_one_setup(param, val, false)) continue;
        if (!after_dashes) note_unknown(param, val);
        if (val && val == param + strlen(param) + 1) val[-1] = '=';  // rejoin "name=value" for init
        // Before "--", name=value words become init's environment; after it, all are arguments.
        add_to_list(val && !after_dashes ? envp_init : argv_init + 1, param);
    }
    if (unknown_params[0])
        printk(KERN_NOTICE "Unknown kernel command line parameters \"%s\", will be passed to user space.\n",
               unknown_params);
}

int param_set_int(const char* val, int* out) {
    if (!val) return -EINVAL;
    auto v = kstrtoint(val, 0);
    if (v.is_error()) return -v.error();
    *out = v.value();
    return 0;
}

const char* const* init_argv() { return argv_init; }
const char* const* init_envp() { return envp_init; }
