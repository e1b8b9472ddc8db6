// "#!" scripts (Linux's fs/binfmt_script.c): the first line names an
// interpreter and at most one argument; the interpreter runs with the script's
// path in place of argv[0]: "#!/bin/sh -e" + execve("/init", ["init", "x"])
// runs /bin/sh with ["/bin/sh", "-e", "/init", "x"].
#include <keel/binfmts.h>
#include <lib/string.h>
#include <uapi/asm/errno.h>

namespace {
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

int load_script(linux_binprm* bprm) {
    const initramfs_entry& f = bprm->file;
    if (f.size < 2 || f.data[0] != '#' || f.data[1] != '!') return -ENOEXEC;
    // Only the first BINPRM_BUF_SIZE bytes are looked at, as in Linux; a line
    // that does not end within them is cut there.
    char line[BINPRM_BUF_SIZE];
    size_t n = f.size < sizeof(line) - 1 ? f.size : sizeof(line) - 1;
    memcpy(line, f.data, n);
    line[n] = '\0';
    char* end = line + 2;
    while (*end && *end != '\n') end++;
    *end = '\0';
    while (end > line + 2 && is_space(end[-1])) *--end = '\0';
    char* name = line + 2;
    while (is_space(*name)) name++;
    if (!*name) return -ENOEXEC;
    char* arg = name;
    while (*arg && !is_space(*arg)) arg++;
    if (*arg) {
        *arg++ = '\0';
        while (is_space(*arg)) arg++;
    }
    if (++bprm->interp_depth > MAX_INTERP_DEPTH) return -ELOOP;

    bprm_remove_arg0(bprm);
    if (bprm_prepend_arg(bprm, bprm->interp).is_error()) return -E2BIG;
    if (*arg && bprm_prepend_arg(bprm, arg).is_error()) return -E2BIG;
    if (bprm_prepend_arg(bprm, name).is_error()) return -E2BIG;
    strscpy(bprm->interp, name, sizeof(bprm->interp));
    return initramfs_lookup(initramfs_rootfs(), name, true, &bprm->file);
}
