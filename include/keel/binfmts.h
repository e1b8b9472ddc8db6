// Executing a program (Linux's include/linux/binfmts.h): struct linux_binprm
// carries the file and the argument and environment strings from execve
// through the format handlers (ELF, #! scripts) to the new stack.
#pragma once
#include <keel/fs.h>
#include <keel/result.h>
#include <keel/types.h>

struct pt_regs;

constexpr size_t BINPRM_BUF_SIZE = 256;
// The argument and environment strings together (Linux allows a quarter of
// the stack limit, 2 MiB; Keel's buffer is smaller, see docs/syscalls.md).
constexpr size_t MAX_ARG_STRINGS_BYTES = 256 * 1024;
constexpr int MAX_INTERP_DEPTH = 4;  // #! scripts naming scripts (Linux's limit)

struct linux_binprm {
    struct file* file;               // what is executed now (the interpreter, after #!)
    loff_t file_size;
    char buf[BINPRM_BUF_SIZE];       // the file's first bytes: its header or #! line
    char filename[PATH_MAX];  // the name execve was given: AT_EXECFN and comm
    char interp[PATH_MAX];    // the name of `file`
    // argv strings then envp strings, each NUL-terminated, packed from strings[0]
    char* strings;
    size_t strings_len;
    int argc, envc;
    int interp_depth;
};

// Builds a new program image for current from bprm and points regs at it.
// Past the point of no return (the old mm gone) a failure kills the task.
int load_elf_binary(linux_binprm* bprm, pt_regs* regs);
int load_script(linux_binprm* bprm);  // -ENOEXEC: not a script
// Adds a string before argv[0] (binfmt_script: interpreter and its argument).
Result<void> bprm_prepend_arg(linux_binprm* bprm, const char* arg);
// Drops argv[0] (binfmt_script replaces it with the script's path).
void bprm_remove_arg0(linux_binprm* bprm);
// The point of no return: current gets a fresh mm (loaded) and loses the old
// one, its close-on-exec fds and its kernel-thread identity.
int begin_new_exec(linux_binprm* bprm);
// Opens a file to execute: a regular file with execute permission on a
// mount that allows it (EACCES otherwise). flags: AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW.
Result<file*> open_exec(int dfd, const char* name, int flags);
// Makes `f` the file bprm executes (dropping the previous one) and reads its first bytes.
int bprm_set_file(linux_binprm* bprm, file* f);
// Runs a program from the kernel (kernel_init starting init).
int kernel_execve(const char* filename, const char* const* argv, const char* const* envp);
