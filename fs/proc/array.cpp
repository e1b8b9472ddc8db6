// /proc/PID/stat, status and statm (Linux's fs/proc/array.c), in Linux's
// exact layouts: ps and top parse stat by field number, free and humans read
// status. Every number is the kernel's own; docs/procfs.md lists the fields
// Keel does not track yet.
#include "internal.h"
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/jiffies.h>
#include <keel/mm.h>
#include <keel/mm_types.h>
#include <keel/signal.h>
#include <keel/smp.h>
#include <keel/tty.h>
#include <lib/string.h>
#include <uapi/linux/resource.h>

namespace {

constexpr u64 USER_HZ = 100;  // clock ticks as user space counts them (sysconf(_SC_CLK_TCK))
constexpr unsigned long nsec_to_clock_t(u64 ns) { return (unsigned long)(ns / (NSEC_PER_SEC / USER_HZ)); }

// The state letter and word, as Linux's task_state_array: the exit state
// wins, then the sleep kind.
const char* get_task_state(const task_struct* t) {
    if (t->exit_state == EXIT_DEAD) return "X (dead)";
    if (t->exit_state == EXIT_ZOMBIE) return "Z (zombie)";
    unsigned state = t->__state.load(memory_order::relaxed);
    if (state & __TASK_STOPPED) return "T (stopped)";
    if (state & TASK_UNINTERRUPTIBLE) return "D (disk sleep)";
    if (state & TASK_INTERRUPTIBLE) return "S (sleeping)";
    return "R (running)";
}

// Signals whose handler is SIG_IGN / a function.
void collect_sigign_sigcatch(task_struct* p, sigset_t* ign, sigset_t* caught) {
    if (!p->sighand) return;
    for (int sig = 1; sig <= _NSIG; sig++) {
        __sighandler_t h = p->sighand->action[sig - 1].sa.sa_handler;
        if (h == SIG_IGN) sigaddset(ign, sig);
        else if (h != SIG_DFL) sigaddset(caught, sig);
    }
}

unsigned get_nr_threads(task_struct* task) {
    unsigned n = 0;
    Guard<IrqSave> guard(tasklist_lock);
    for_each_thread(task->group_leader, t) n++;
    return n;
}

unsigned queued_signals(const sigpending* p) {
    unsigned n = 0;
    for (list_head* pos = p->list.next; pos != &p->list; pos = pos->next) n++;
    return n;
}

void task_name(seq_file* m, task_struct* p) {
    char comm[sizeof(p->comm)];
    {
        Guard<IrqSave> guard(p->pi_lock);
        memcpy(comm, p->comm, sizeof(comm));
    }
    comm[sizeof(comm) - 1] = '\0';
    // A name with a newline or backslash must not break the line format.
    seq_puts(m, "Name:\t");
    for (const char* c = comm; *c; c++) {
        if (*c == '\n') seq_puts(m, "\\n");
        else if (*c == '\\') seq_puts(m, "\\\\");
        else seq_putc(m, *c);
    }
    seq_putc(m, '\n');
}

void render_sigset_t(seq_file* m, const char* header, const sigset_t* set) {
    seq_printf(m, "%s%016lx\n", header, set->sig);
}

void task_state(seq_file* m, task_struct* p) {
    int ppid;
    {
        Guard<IrqSave> guard(tasklist_lock);
        ppid = p->pid && p->real_parent ? p->real_parent->tgid : 0;
    }
    const cred* c = p->cred ? p->cred : &init_cred;
    {
        Guard<IrqSave> guard(p->pi_lock);  // fs goes away at exit (the caller holds the task)
        if (p->fs) seq_printf(m, "Umask:\t%04o\n", __atomic_load_n(&p->fs->umask, __ATOMIC_RELAXED));
    }
    seq_printf(m,
               "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
               "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
               get_task_state(p), p->tgid, p->pid, ppid, c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid,
               c->sgid, c->fsgid);
    // The table is fixed-size in Keel: every process can hold NR_OPEN_DEFAULT fds.
    seq_printf(m, "FDSize:\t%u\nGroups:\t", p->files ? NR_OPEN_DEFAULT : 0);
    for (int g = 0; g < c->ngroups; g++) seq_printf(m, "%u ", c->groups[g]);
    seq_printf(m, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->tgid, p->pid, task_pgrp_nr(p),
               task_session_nr(p));
}

void task_mem_status(seq_file* m, mm_struct* mm) {
    task_mem_counts c{};
    task_mem(mm, &c);
    auto kb = [](unsigned long pages) { return pages << (PAGE_SHIFT - 10); };
    seq_printf(m,
               "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\nVmHWM:\t%8lu kB\n"
               "VmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
               "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\nVmPTE:\t%8lu kB\n"
               "VmSwap:\t%8lu kB\n",
               kb(c.hiwater_vm), kb(c.total_vm), kb(c.locked), 0ul, kb(c.rss), kb(c.rss), kb(c.anon), kb(c.file),
               kb(c.shared), kb(c.data), kb(c.stack), kb(c.text), kb(c.lib), kb(c.ptes), 0ul);
}

void task_sig(seq_file* m, task_struct* p) {
    sigset_t pending{}, shpending{}, blocked{}, ignored{}, caught{};
    unsigned qsize = 0;
    unsigned long long qlim = 0;
    if (p->sighand && p->signal) {
        Guard<IrqSave> guard(p->sighand->siglock);
        pending = p->pending.signal;
        shpending = p->signal->shared_pending.signal;
        blocked = p->blocked;
        collect_sigign_sigcatch(p, &ignored, &caught);
        qsize = queued_signals(&p->pending) + queued_signals(&p->signal->shared_pending);
        qlim = p->signal->rlim[RLIMIT_SIGPENDING].rlim_cur;
    }
    seq_printf(m, "Threads:\t%u\nSigQ:\t%u/%llu\n", p->signal ? get_nr_threads(p) : 1, qsize, qlim);
    render_sigset_t(m, "SigPnd:\t", &pending);
    render_sigset_t(m, "ShdPnd:\t", &shpending);
    render_sigset_t(m, "SigBlk:\t", &blocked);
    render_sigset_t(m, "SigIgn:\t", &ignored);
    render_sigset_t(m, "SigCgt:\t", &caught);
}

// Keel's root holds every capability (keel/cred.h): CAP_LAST_CAP is 40, as in Linux 6.1.
void task_cap(seq_file* m, task_struct* p) {
    const cred* c = p->cred ? p->cred : &init_cred;
    unsigned long long all = (1ull << 41) - 1;
    unsigned long long eff = capable_of(c) ? all : 0;
    seq_printf(m, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t%016llx\n",
               0ull, eff, eff, all, 0ull);
    seq_puts(m, "NoNewPrivs:\t0\n");
}

int do_task_stat(seq_file* m, task_struct* task, bool whole) {
    const char* state = get_task_state(task);
    mm_struct* mm = get_task_mm(task);
    const cred* me = current_cred();
    const cred* them = task->cred ? task->cred : &init_cred;
    bool permitted = capable_of(me) || me->uid == them->uid;

    char comm[sizeof(task->comm)];
    {
        Guard<IrqSave> guard(task->pi_lock);
        memcpy(comm, task->comm, sizeof(comm));
    }
    comm[sizeof(comm) - 1] = '\0';

    sigset_t sigign{}, sigcatch{};
    int tty_nr = 0, tty_pgrp = -1;
    unsigned num_threads = 1;
    u64 cutime = 0, cstime = 0, utime, stime;
    unsigned long long rsslim = ~0ull;
    int ppid = 0;
    if (task->signal) {
        num_threads = get_nr_threads(task);
        cutime = task->signal->cutime;
        cstime = task->signal->cstime;
        rsslim = task->signal->rlim[RLIMIT_RSS].rlim_cur;
    }
    if (task->sighand) {
        Guard<IrqSave> guard(task->sighand->siglock);
        collect_sigign_sigcatch(task, &sigign, &sigcatch);
    }
    {
        Guard<IrqSave> guard(tasklist_lock);
        ppid = task->pid && task->real_parent ? task->real_parent->tgid : 0;
        // The controlling terminal and its foreground group (0 if none), as
        // Linux's tty_devnum and tty_get_pgrp; ttys are never freed.
        if (task->signal && task->signal->tty) {
            const tty_struct* tty = task->signal->tty;
            tty_nr = int(new_encode_dev(MKDEV(tty->driver->major, tty->driver->minor_start + unsigned(tty->index))));
            tty_pgrp = tty->pgrp;
        }
    }
    if (whole && task->signal) {
        task_cputime times;
        thread_group_cputime(task, &times);
        utime = times.utime;
        stime = times.stime;
    } else {
        utime = task->utime;
        stime = task->stime;
    }
    unsigned long vsize = 0, rss = 0;
    if (mm) {
        task_mem_counts c{};
        task_mem(mm, &c);
        vsize = c.total_vm << PAGE_SHIFT;
        rss = c.rss;
    }
    // wchan is only "sleeping or not" since Linux 5.16.
    unsigned long wchan = 0;
    if (permitted && (!whole || num_threads < 2)) wchan = task->__state.load(memory_order::relaxed) != TASK_RUNNING;

    seq_put_decimal_ll(m, "", task->pid);
    seq_printf(m, " (%s) %c", comm, *state);
    seq_put_decimal_ll(m, " ", ppid);
    seq_put_decimal_ll(m, " ", task_pgrp_nr(task));
    seq_put_decimal_ll(m, " ", task_session_nr(task));
    seq_put_decimal_ll(m, " ", tty_nr);
    seq_put_decimal_ll(m, " ", tty_pgrp);
    seq_put_decimal_ull(m, " ", task->flags);
    seq_puts(m, " 0 0 0 0");  // minflt cminflt majflt cmajflt: not counted yet (docs/procfs.md)
    seq_put_decimal_ull(m, " ", nsec_to_clock_t(utime));
    seq_put_decimal_ull(m, " ", nsec_to_clock_t(stime));
    seq_put_decimal_ll(m, " ", (long long)nsec_to_clock_t(cutime));
    seq_put_decimal_ll(m, " ", (long long)nsec_to_clock_t(cstime));
    seq_put_decimal_ll(m, " ", task->prio - MAX_RT_PRIO);
    seq_put_decimal_ll(m, " ", task_nice(task));
    seq_put_decimal_ll(m, " ", num_threads);
    seq_put_decimal_ull(m, " ", 0);  // itrealvalue: always 0 since Linux 2.6.17
    seq_put_decimal_ull(m, " ", nsec_to_clock_t(task->start_boottime));
    seq_put_decimal_ull(m, " ", vsize);
    seq_put_decimal_ull(m, " ", rss);
    seq_put_decimal_ull(m, " ", rsslim);
    seq_put_decimal_ull(m, " ", mm ? (permitted ? mm->start_code : 1) : 0);
    seq_put_decimal_ull(m, " ", mm ? (permitted ? mm->end_code : 1) : 0);
    seq_put_decimal_ull(m, " ", permitted && mm ? mm->start_stack : 0);
    seq_puts(m, " 0 0");  // kstkesp, kstkeip: Linux shows them only for a dying task's core dump
    // The obsolete signal fields, in decimal, first 31 signals only.
    seq_put_decimal_ull(m, " ", task->pending.signal.sig & 0x7fffffffUL);
    seq_put_decimal_ull(m, " ", task->blocked.sig & 0x7fffffffUL);
    seq_put_decimal_ull(m, " ", sigign.sig & 0x7fffffffUL);
    seq_put_decimal_ull(m, " ", sigcatch.sig & 0x7fffffffUL);
    seq_put_decimal_ull(m, " ", wchan);
    seq_puts(m, " 0 0");  // nswap, cnswap: never maintained by Linux either
    seq_put_decimal_ll(m, " ", task->exit_signal);
    seq_put_decimal_ll(m, " ", task->cpu);
    seq_put_decimal_ull(m, " ", task->rt_priority);
    seq_put_decimal_ull(m, " ", task->policy);
    seq_puts(m, " 0 0 0");  // delayacct_blkio_ticks (no block I/O), guest_time, cguest_time (no guests)
    if (mm && permitted) {
        seq_put_decimal_ull(m, " ", mm->start_data);
        seq_put_decimal_ull(m, " ", mm->end_data);
        seq_put_decimal_ull(m, " ", mm->start_brk);
        seq_put_decimal_ull(m, " ", mm->arg_start);
        seq_put_decimal_ull(m, " ", mm->arg_end);
        seq_put_decimal_ull(m, " ", mm->env_start);
        seq_put_decimal_ull(m, " ", mm->env_end);
    } else {
        seq_puts(m, " 0 0 0 0 0 0 0");
    }
    seq_put_decimal_ll(m, " ", permitted && task->exit_state ? task->exit_code : 0);
    seq_putc(m, '\n');
    if (mm) mmput(mm);
    return 0;
}

}  // namespace

int proc_tid_stat(seq_file* m, task_struct* task) { return do_task_stat(m, task, false); }
int proc_tgid_stat(seq_file* m, task_struct* task) { return do_task_stat(m, task, true); }

int proc_pid_status(seq_file* m, task_struct* task) {
    task_name(m, task);
    task_state(m, task);
    if (mm_struct* mm = get_task_mm(task)) {
        task_mem_status(m, mm);
        mmput(mm);
    }
    seq_printf(m, "CoreDumping:\t0\n");
    task_sig(m, task);
    task_cap(m, task);
    seq_puts(m, "Cpus_allowed:\t");
    seq_cpumask(m, &task->cpus_mask);
    seq_puts(m, "\nCpus_allowed_list:\t");
    seq_cpumask_list(m, &task->cpus_mask);
    seq_printf(m, "\nvoluntary_ctxt_switches:\t%llu\nnonvoluntary_ctxt_switches:\t%llu\n",
               (unsigned long long)task->stats.nr_voluntary_switches,
               (unsigned long long)task->stats.nr_involuntary_switches);
    return 0;
}

// size resident shared text lib(0) data dt(0), in pages.
int proc_pid_statm(seq_file* m, task_struct* task) {
    task_mem_counts c{};
    if (mm_struct* mm = get_task_mm(task)) {
        task_mem(mm, &c);
        mmput(mm);
    }
    seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", c.total_vm, c.rss, c.file + c.shared, c.text, c.data + c.stack);
    return 0;
}
