// execve: the new image gets exactly the argv and envp passed, the same PID,
// handlers reset to default while ignored signals stay ignored, the signal
// mask kept, close-on-exec descriptors closed, and a sane auxiliary vector
// (AT_PAGESZ 4096, program headers, AT_RANDOM, AT_EXECFN = the path given to
// execve). Also the errors: ENOENT, EACCES (not executable), ENOEXEC (no ELF
// or #! header), EFAULT (bad pointer).
// The program runs twice: first without arguments, then re-executed as
// "/t/exec second ..." by itself.
#define _GNU_SOURCE
#include "t.h"
#include <elf.h>
#include <fcntl.h>
#include <sys/auxv.h>

extern char** environ;

static void on_usr1(int sig) { (void)sig; }

static void auxv_checks(void) {
    T_RET(getauxval(AT_PAGESZ));
    T_YES(getauxval(AT_PHDR) != 0);
    T_RET(getauxval(AT_PHENT));  // sizeof(Elf64_Phdr) = 56
    T_YES(getauxval(AT_PHNUM) > 0);
    T_YES(getauxval(AT_ENTRY) != 0);
    T_RET(getauxval(AT_BASE));    // static: no interpreter, 0
    T_RET(getauxval(AT_SECURE));
    T_YES(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid());
    T_YES(getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid());
    T_YES(getauxval(AT_CLKTCK) == 100);
    T_YES(getauxval(AT_RANDOM) != 0);
    const char* fn = (const char*)getauxval(AT_EXECFN);
    printf("AT_EXECFN %s\n", fn ? fn : "(null)");
    const char* plat = (const char*)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM %s\n", plat ? plat : "(null)");
    // The program headers the kernel points at are this program's: the first
    // one's type is PT_PHDR or PT_LOAD for a static binary.
    const Elf64_Phdr* ph = (const Elf64_Phdr*)getauxval(AT_PHDR);
    int has_load = 0;
    for (unsigned long i = 0; ph && i < getauxval(AT_PHNUM); i++) has_load |= ph[i].p_type == PT_LOAD;
    T_YES(has_load);
}

int main(int argc, char** argv) {
    if (argc == 1) {
        printf("first image: argc %d argv[0] %s\n", argc, argv[0]);
        auxv_checks();
        // Errors leave us running.
        char* a[] = {"x", NULL};
        char* volatile badp = (char*)1;  // volatile: keeps the compiler from warning
        T_RET(execve("/t/does-not-exist", a, environ));  // ENOENT
        T_RET(execve("/t/list", a, environ));            // mode 0644: EACCES
        T_RET(execve("/t/garbage", a, environ));         // 0755 but no ELF: ENOEXEC
        T_RET(execve("/t", a, environ));                 // a directory: EACCES
        T_RET(execve(badp, a, environ));             // EFAULT
        T_RET(execve("/t/exec", (char**)badp, environ));    // EFAULT

        // State that execve must reset or keep.
        signal(SIGUSR1, on_usr1);  // handler: reset to SIG_DFL
        signal(SIGUSR2, SIG_IGN);  // ignored: stays ignored
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigprocmask(SIG_BLOCK, &set, NULL);  // mask: kept
        int keep = dup2(1, 20);
        int gone = fcntl(1, F_DUPFD_CLOEXEC, 21);
        printf("fds %d %d\n", keep, gone);
        char pid[32];
        snprintf(pid, sizeof pid, "PID=%d", getpid());
        char* nargv[] = {"/t/exec", "second", "arg with spaces", "", "last", NULL};
        char* nenvp[] = {"FOO=bar", "EMPTY=", "NOEQUALS", pid, NULL};
        fflush(stdout);
        execve("/t/exec", nargv, nenvp);
        printf("execve failed: %s\n", t_errname(errno));
        t_exit(1);
    }
    printf("second image: argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] \"%s\"\n", i, argv[i]);
    T_YES(argv[argc] == NULL);
    int n = 0;
    for (char** e = environ; *e; e++, n++)
        if (strncmp(*e, "PID=", 4)) printf("env \"%s\"\n", *e);
    printf("env count %d\n", n);
    const char* pid = getenv("PID");
    T_YES(pid && atoi(pid) == getpid());  // same process
    auxv_checks();
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    T_YES(sa.sa_handler == SIG_DFL);
    sigaction(SIGUSR2, NULL, &sa);
    T_YES(sa.sa_handler == SIG_IGN);
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    T_YES(sigismember(&cur, SIGINT));
    T_YES(!sigismember(&cur, SIGUSR1));
    T_RET(fcntl(20, F_GETFD));  // kept, no FD_CLOEXEC: 0
    T_RET(fcntl(21, F_GETFD));  // closed on exec: EBADF
    t_exit(0);
}
