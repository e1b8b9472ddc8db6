// "#!" scripts (Linux's fs/binfmt_script.c): the first line names an
// interpreter and at most one argument; the interpreter runs with the script's
// path in place of argv[0]: "#!/bin/sh -e" + execve("/init", ["init", "x"])
// runs /bin/sh with ["/bin/sh", "-e", "/init", "x"].
#include <keel/binfmts.h>
#include <lib/string.h>
#include <uapi/asm/errno.h>
#include <uapi/linux/fcntl.h>

namespace {
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

int load_script(linux_binprm* bprm) {
    if (bprm->buf[0] != '#' || bprm->buf[1] != '!') return -ENOEXEC;
    // Only the first BINPRM_BUF_SIZE bytes are looked at, as in Linux; a line
    // that does not end within them is cut there.
    char line[BINPRM_BUF_SIZE];
    size_t n = bprm->file_size < loff_t(sizeof(line) - 1) ? size_t(bprm->file_size) : sizeof(line) - 1;
    memcpy(line, bprm->buf, n);
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
    Result<file*> interp = open_exec(AT_FDCWD, name, 0);
    if (interp.is_error()) return -interp.error();
    return bprm_set_file(bprm, interp.value());
}
