// /init of the user-test initramfs: runs the test programs one after another
// and powers the machine off.
//
// Programs are named on the command line (arguments after the kernel's
// options that contain no '=' reach init's argv, on Linux as on Keel) or,
// with none given, listed one per line in /t/list. Each runs as
// fork + execve("/t/NAME") + wait4 with fds 0-2 inherited from init (the
// kernel's /dev/console). Its output is framed by
//     == NAME
//     ...
//     == NAME exit N        (or "== NAME signal N")
// which tests/boot/user_compare.sh cuts apart per program.
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

static void run(const char* name) {
    char path[256];
    snprintf(path, sizeof path, "/t/%s", name);
    printf("== %s\n", name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("== %s fork failed\n", name);
        return;
    }
    if (pid == 0) {
        char* argv[] = {path, NULL};
        char* envp[] = {"HOME=/", "TERM=linux", "PATH=/t", NULL};
        execve(path, argv, envp);
        printf("== %s execve failed\n", name);
        fflush(stdout);
        _exit(127);
    }
    int status;
    pid_t r;
    // Reap orphans the program left behind (they are reparented to us) until
    // the program itself has ended.
    while ((r = wait4(-1, &status, 0, NULL)) != pid) {
        if (r < 0) {
            printf("== %s wait4 failed\n", name);
            return;
        }
    }
    if (WIFEXITED(status))
        printf("== %s exit %d\n", name, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("== %s signal %d\n", name, WTERMSIG(status));
    else
        printf("== %s status 0x%x\n", name, status);
    fflush(stdout);
}

int main(int argc, char** argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1) {
        for (int i = 1; i < argc; i++) run(argv[i]);
    } else {
        FILE* f = fopen("/t/list", "r");
        char line[256];
        if (!f) {
            printf("== runner: cannot open /t/list\n");
        } else {
            while (fgets(line, sizeof line, f)) {
                line[strcspn(line, "\r\n")] = 0;
                if (line[0] && line[0] != '#') run(line);
            }
            fclose(f);
        }
    }
    printf("== runner done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
