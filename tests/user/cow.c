// Copy-on-write after fork: private memory (data, bss, heap, stack, private
// anonymous mappings) is copied — writes on either side stay on that side —
// while MAP_SHARED anonymous memory is shared. Parent and child coordinate
// through flags in a shared page and wait4.
#define _GNU_SOURCE
#include "t.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096
#define NPAGES 64

int data_var = 1;  // .data
int bss_var;       // .bss

struct shared {
    volatile int step;       // handshake
    volatile int child_saw[8];
    volatile int shared_counter;
};

static void wait_step(struct shared* s, int v) {
    while (__atomic_load_n(&s->step, __ATOMIC_ACQUIRE) < v) sched_yield();
}
static void set_step(struct shared* s, int v) { __atomic_store_n(&s->step, v, __ATOMIC_RELEASE); }

int main(void) {
    struct shared* s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    T_YES(s != MAP_FAILED);
    char* heap = malloc(100);
    strcpy(heap, "parent heap");
    int stack_var = 10;
    volatile int* stackp = &stack_var;
    char* priv = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < NPAGES; i++) priv[i * PG] = (char)i;
    char* untouched = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    data_var = 2;
    bss_var = 3;

    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        // Child: first check that it sees the parent's values at fork time.
        s->child_saw[0] = data_var == 2 && bss_var == 3 && *stackp == 10 && !strcmp(heap, "parent heap");
        int ok = 1;
        for (int i = 0; i < NPAGES; i++) ok &= priv[i * PG] == (char)i;
        s->child_saw[1] = ok;
        s->child_saw[2] = untouched[0] == 0 && untouched[3 * PG] == 0;
        // Then scribble over everything private.
        data_var = 100;
        bss_var = 200;
        *stackp = 300;
        strcpy(heap, "child heap");
        for (int i = 0; i < NPAGES; i++) priv[i * PG] = 'c';
        untouched[0] = 'c';  // first touch of a never-written page happens in the child
        s->shared_counter += 1;
        set_step(s, 1);
        // Wait for the parent's writes, then check the child's copies kept
        // the child's values.
        wait_step(s, 2);
        s->child_saw[3] = data_var == 100 && bss_var == 200 && *stackp == 300 && !strcmp(heap, "child heap");
        ok = 1;
        for (int i = 0; i < NPAGES; i++) ok &= priv[i * PG] == 'c';
        s->child_saw[4] = ok && untouched[0] == 'c';
        s->child_saw[5] = s->shared_counter == 2;
        _exit(0);
    }
    wait_step(s, 1);
    // Parent: the child's writes to private memory are invisible...
    T_YES(data_var == 2);
    T_YES(bss_var == 3);
    T_YES(*stackp == 10);
    T_YES(strcmp(heap, "parent heap") == 0);
    int ok = 1;
    for (int i = 0; i < NPAGES; i++) ok &= priv[i * PG] == (char)i;
    printf("private mapping unchanged: %s\n", ok ? "yes" : "no");
    T_YES(untouched[0] == 0);
    // ...but writes to the shared page are seen.
    T_YES(s->shared_counter == 1);
    // Now the parent writes; the child must not see it.
    data_var = 20;
    bss_var = 30;
    *stackp = 40;
    strcpy(heap, "parent again");
    for (int i = 0; i < NPAGES; i++) priv[i * PG] = 'p';
    untouched[0] = 'p';
    s->shared_counter += 1;
    set_step(s, 2);
    int st;
    T_YES(wait4(c, &st, 0, NULL) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    printf("child saw parent's values at fork: %s\n", s->child_saw[0] ? "yes" : "no");
    printf("child saw parent's private mapping: %s\n", s->child_saw[1] ? "yes" : "no");
    printf("child saw zero untouched pages: %s\n", s->child_saw[2] ? "yes" : "no");
    printf("child kept its own values: %s\n", s->child_saw[3] ? "yes" : "no");
    printf("child kept its own mapping: %s\n", s->child_saw[4] ? "yes" : "no");
    printf("child saw shared counter 2: %s\n", s->child_saw[5] ? "yes" : "no");
    T_YES(data_var == 20 && bss_var == 30 && *stackp == 40 && untouched[0] == 'p');

    // After the child is gone the parent's pages are its own again: writing
    // them (now possibly unshared in place) works and reads back.
    for (int i = 0; i < NPAGES; i++) priv[i * PG] = (char)(i + 1);
    ok = 1;
    for (int i = 0; i < NPAGES; i++) ok &= priv[i * PG] == (char)(i + 1);
    printf("rewrite after child exit: %s\n", ok ? "yes" : "no");

    // A read-only private page stays readable in both; a write in the child
    // to a page it made writable again does not reach the parent.
    T_RET(mprotect(untouched, PG, PROT_READ));
    c = fork();
    if (c == 0) {
        int r1 = untouched[0] == 'p';
        mprotect(untouched, PG, PROT_READ | PROT_WRITE);
        untouched[0] = 'x';
        _exit(r1 ? 0 : 1);
    }
    wait4(c, &st, 0, NULL);
    T_YES(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    T_YES(untouched[0] == 'p');
    t_exit(0);
}
