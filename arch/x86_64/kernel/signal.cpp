// Signal delivery on x86-64 (Linux's arch/x86/kernel/signal.c and
// fpu/signal.c): on the way back to user mode, a signal with a handler gets an
// rt_sigframe on the user stack — the return address (the sa_restorer, which
// calls rt_sigreturn), a ucontext with the interrupted registers and mask, the
// siginfo, and the FPU state — and the registers are pointed at the handler.
// rt_sigreturn puts everything back. The layout is Linux's, so glibc's and
// musl's restorers, ucontext readers and siglongjmp work unchanged.
#include <asm/fpu.h>
#include <asm/irqflags.h>
#include <asm/segment.h>
#include <asm/syscall.h>
#include <keel/entry-common.h>
#include <keel/preempt.h>
#include <keel/signal.h>
#include <keel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>

namespace {

// Linux's struct sigcontext (64-bit): general registers in this order, then
// the fault details, then a pointer to the FPU state.
struct sigcontext {
    unsigned long r8, r9, r10, r11, r12, r13, r14, r15;
    unsigned long di, si, bp, bx, dx, ax, cx, sp, ip, flags;
    u16 cs, gs, fs, ss;
    unsigned long err, trapno, oldmask, cr2;
    unsigned long fpstate;  // user address of the FXSAVE/XSAVE image, 0 for none
    unsigned long reserved1[8];
};
static_assert(sizeof(sigcontext) == 256);

struct ucontext {
    unsigned long uc_flags;
    unsigned long uc_link;
    stack_t uc_stack;
    sigcontext uc_mcontext;
    sigset_t uc_sigmask;
};
static_assert(sizeof(ucontext) == 304 && offsetof(ucontext, uc_mcontext) == 40);

struct rt_sigframe {
    unsigned long pretcode;  // where the handler returns: the restorer
    ucontext uc;
    kernel_siginfo info;
    // the FPU state lies above, 64-byte aligned
};
static_assert(sizeof(rt_sigframe) == 440);

// uc_flags
constexpr unsigned long UC_FP_XSTATE = 0x1, UC_SIGCONTEXT_SS = 0x2, UC_STRICT_RESTORE_SS = 0x4;

// The software-reserved tail of the FXSAVE area describes an XSAVE image
// (Linux's struct _fpx_sw_bytes); MAGIC2 follows the image as an end marker.
struct fpx_sw_bytes {
    u32 magic1, extended_size;
    u64 xfeatures;
    u32 xstate_size, padding[7];
};
constexpr u32 FP_XSTATE_MAGIC1 = 0x46505853, FP_XSTATE_MAGIC2 = 0x46505845;
constexpr unsigned FXSAVE_SIZE = 512, SW_BYTES_OFFSET = 464, XSAVE_HEADER_SIZE = 64;
constexpr unsigned MXCSR_OFFSET = 24;
constexpr u32 MXCSR_MASK = 0xffff;  // bits above 15 are reserved: XRSTOR/FXRSTOR fault on them

// EFLAGS bits a handler may change through the frame (Linux's FIX_EFLAGS).
constexpr unsigned long FIX_EFLAGS = (1ul << 18) /*AC*/ | (1ul << 11) /*OF*/ | (1ul << 10) /*DF*/ |
                                     (1ul << 8) /*TF*/ | (1ul << 7) /*SF*/ | (1ul << 6) /*ZF*/ |
                                     (1ul << 4) /*AF*/ | (1ul << 2) /*PF*/ | (1ul << 0) /*CF*/ | (1ul << 16) /*RF*/;

// The kernel image of fpu.cpp's state size is XSAVE's iff it exceeds FXSAVE's.
bool use_xsave() { return fpu_state_size > FXSAVE_SIZE; }
u64 xfeatures() {
    u32 lo, hi;
    asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return u64(hi) << 32 | lo;
}
// Size of the image in the frame: the state plus MAGIC2 with XSAVE.
unsigned long fpstate_frame_size() { return use_xsave() ? fpu_state_size + 4 : FXSAVE_SIZE; }

// A 64-byte aligned kernel buffer for one image (XSAVE requires the alignment).
struct fpu_buffer {
    void* raw = kmalloc(fpu_state_size + 64, GFP_KERNEL);
    u8* area() const { return reinterpret_cast<u8*>((reinterpret_cast<unsigned long>(raw) + 63) & ~63ul); }
    ~fpu_buffer() { kfree(raw); }
};

void save_live(u8* area) {
    if (use_xsave()) {
        u64 x = xfeatures();
        asm volatile("xsave64 (%0)" ::"r"(area), "a"(u32(x)), "d"(u32(x >> 32)) : "memory");
    } else {
        asm volatile("fxsave64 (%0)" ::"r"(area) : "memory");
    }
}

void restore_live(const u8* area) {
    if (use_xsave()) {
        u64 x = xfeatures();
        asm volatile("xrstor64 (%0)" ::"r"(area), "a"(u32(x)), "d"(u32(x >> 32)) : "memory");
    } else {
        asm volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
    }
}

// Copies the live FPU registers to the frame at buf (Linux's copy_fpstate_to_sigframe).
bool save_fpstate_to_frame(unsigned long buf) {
    fpu_buffer kbuf;
    if (!kbuf.raw) return false;
    u8* area = kbuf.area();
    memset(area, 0, fpu_state_size);
    // The live registers are current's until the next context switch, which
    // would save them elsewhere: no preemption between.
    preempt_disable();
    save_live(area);
    preempt_enable();
    unsigned long size = FXSAVE_SIZE;
    if (use_xsave()) {
        fpx_sw_bytes sw{FP_XSTATE_MAGIC1, fpu_state_size + 4, xfeatures(), fpu_state_size, {}};
        memcpy(area + SW_BYTES_OFFSET, &sw, sizeof(sw));
        size = fpu_state_size;
        u32 magic2 = FP_XSTATE_MAGIC2;
        if (copy_to_user(reinterpret_cast<void*>(buf + size), &magic2, sizeof(magic2))) return false;
    }
    return !copy_to_user(reinterpret_cast<void*>(buf), area, size);
}

// Loads the FPU registers from a frame's image, sanitised so that a corrupt
// image cannot make XRSTOR fault in the kernel; 0 (no image) means the initial state.
bool restore_fpstate_from_frame(unsigned long buf) {
    fpu_buffer kbuf;
    if (!kbuf.raw) return false;
    u8* area = kbuf.area();
    memset(area, 0, fpu_state_size);
    bool full = false;
    if (!buf) {
        u16 fcw = 0x37f;  // FNINIT's control word
        memcpy(area, &fcw, sizeof(fcw));
        u32 mxcsr = 0x1f80;
        memcpy(area + MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
    } else {
        if (copy_from_user(area, reinterpret_cast<const void*>(buf), FXSAVE_SIZE)) return false;
        fpx_sw_bytes sw;
        memcpy(&sw, area + SW_BYTES_OFFSET, sizeof(sw));
        if (use_xsave() && sw.magic1 == FP_XSTATE_MAGIC1 && sw.xstate_size >= FXSAVE_SIZE + XSAVE_HEADER_SIZE &&
            sw.xstate_size <= fpu_state_size && sw.extended_size == sw.xstate_size + 4) {
            u32 magic2;
            if (copy_from_user(&magic2, reinterpret_cast<const void*>(buf + sw.xstate_size), sizeof(magic2)))
                return false;
            if (magic2 == FP_XSTATE_MAGIC2) {
                if (copy_from_user(area, reinterpret_cast<const void*>(buf), sw.xstate_size)) return false;
                full = true;
            }
        }
    }
    u32 mxcsr;
    memcpy(&mxcsr, area + MXCSR_OFFSET, sizeof(mxcsr));
    mxcsr &= MXCSR_MASK;
    memcpy(area + MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
    if (use_xsave()) {
        // Header: which components the image holds (only enabled ones), in the
        // standard format, reserved bytes zero. An FXSAVE-only image holds x87 and SSE.
        u64 header[8] = {};
        if (full) memcpy(header, area + FXSAVE_SIZE, sizeof(header));
        u64 bv = full ? header[0] & xfeatures() : (buf ? 3u : 0u);
        memset(area + FXSAVE_SIZE, 0, XSAVE_HEADER_SIZE);
        memcpy(area + FXSAVE_SIZE, &bv, sizeof(bv));
    }
    preempt_disable();
    restore_live(area);
    preempt_enable();
    return true;
}

bool on_sig_stack(unsigned long sp) {
    task_struct* t = current;
    if (t->sas_ss_flags & SS_AUTODISARM) return false;
    return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

int sas_ss_flags(unsigned long sp) {
    if (!current->sas_ss_size) return SS_DISABLE;
    return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

// Where the frame goes (Linux's get_sigframe): below the red zone, or at the
// top of the alternate stack for SA_ONSTACK; the FPU image 64-byte aligned
// above the frame; the frame placed so the handler starts as if called, with
// sp ≡ 8 (mod 16). Returns -1 (a bad address) if it would overflow the
// alternate stack.
unsigned long get_sigframe(const ksignal* ksig, const pt_regs* regs, unsigned long* fpstate) {
    unsigned long sp = regs->sp - 128;  // the interrupted code's red zone
    bool onsigstack = on_sig_stack(sp);
    bool entering_altstack = false;
    if ((ksig->ka.sa.sa_flags & SA_ONSTACK) && sas_ss_flags(sp) == 0) {
        sp = current->sas_ss_sp + current->sas_ss_size;
        entering_altstack = true;
    }
    sp = (sp - fpstate_frame_size()) & ~63ul;
    *fpstate = sp;
    sp -= sizeof(rt_sigframe);
    sp = (sp & ~15ul) - 8;
    if (onsigstack && !on_sig_stack(sp)) return ~0ul;
    if (entering_altstack && (current->sas_ss_flags & SS_AUTODISARM)) {
        current->sas_ss_sp = current->sas_ss_size = 0;
        current->sas_ss_flags = 0;
    }
    return sp;
}

bool setup_rt_frame(ksignal* ksig, const sigset_t* set, pt_regs* regs) {
    // x86-64 has no kernel-provided trampoline: the C library must name its restorer.
    if (!(ksig->ka.sa.sa_flags & SA_RESTORER)) return false;
    unsigned long fp;
    unsigned long sp = get_sigframe(ksig, regs, &fp);
    if (!access_ok(reinterpret_cast<void*>(sp), sizeof(rt_sigframe))) return false;
    if (!save_fpstate_to_frame(fp)) return false;

    rt_sigframe frame{};
    frame.pretcode = reinterpret_cast<unsigned long>(ksig->ka.sa.sa_restorer);
    frame.uc.uc_flags = (use_xsave() ? UC_FP_XSTATE : 0) | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    frame.uc.uc_stack.ss_sp = reinterpret_cast<void*>(current->sas_ss_sp);
    frame.uc.uc_stack.ss_flags = sas_ss_flags(regs->sp) | int(current->sas_ss_flags);
    frame.uc.uc_stack.ss_size = current->sas_ss_size;
    sigcontext& sc = frame.uc.uc_mcontext;
    sc.r8 = regs->r8, sc.r9 = regs->r9, sc.r10 = regs->r10, sc.r11 = regs->r11;
    sc.r12 = regs->r12, sc.r13 = regs->r13, sc.r14 = regs->r14, sc.r15 = regs->r15;
    sc.di = regs->di, sc.si = regs->si, sc.bp = regs->bp, sc.bx = regs->bx;
    sc.dx = regs->dx, sc.ax = regs->ax, sc.cx = regs->cx, sc.sp = regs->sp;
    sc.ip = regs->ip, sc.flags = regs->flags;
    sc.cs = u16(regs->cs), sc.ss = u16(regs->ss);
    sc.oldmask = set->sig;
    sc.fpstate = fp;
    // Faults report their address in cr2 as well, as Linux's page-fault path does.
    if (ksig->sig == SIGSEGV || ksig->sig == SIGBUS) sc.cr2 = reinterpret_cast<unsigned long>(ksig->info.fields.sigfault.addr);
    frame.uc.uc_sigmask = *set;
    if (ksig->ka.sa.sa_flags & SA_SIGINFO) frame.info = ksig->info;
    // Without SA_SIGINFO Linux leaves the siginfo slot as it was; copy the part before it only.
    size_t size = ksig->ka.sa.sa_flags & SA_SIGINFO ? sizeof(frame) : offsetof(rt_sigframe, info);
    if (copy_to_user(reinterpret_cast<void*>(sp), &frame, size)) return false;

    regs->di = unsigned(ksig->sig);
    regs->ax = 0;  // no vector registers used for arguments (the varargs convention)
    regs->si = sp + offsetof(rt_sigframe, info);
    regs->dx = sp + offsetof(rt_sigframe, uc);
    regs->ip = reinterpret_cast<unsigned long>(ksig->ka.sa.sa_handler);
    regs->sp = sp;
    regs->cs = __USER_CS;
    regs->ss = __USER_DS;
    // The handler starts with the direction flag clear (the ABI) and not single-stepping.
    regs->flags &= ~((1ul << 10) | (1ul << 16) | (1ul << 8));
    return true;
}

void restore_saved_sigmask() {
    task_struct* t = current;
    if (!t->restore_sigmask) return;
    t->restore_sigmask = false;
    Guard<IrqSave> guard(t->sighand->siglock);
    t->blocked = t->saved_sigmask;
    recalc_sigpending();
}

void handle_signal(ksignal* ksig, pt_regs* regs, bool syscall) {
    if (syscall && long(regs->orig_ax) >= 0) {
        switch (regs->ax) {
        case (unsigned long)-ERESTART_RESTARTBLOCK:
        case (unsigned long)-ERESTARTNOHAND: regs->ax = (unsigned long)-EINTR; break;
        case (unsigned long)-ERESTARTSYS:
            if (!(ksig->ka.sa.sa_flags & SA_RESTART)) {
                regs->ax = (unsigned long)-EINTR;
                break;
            }
            [[fallthrough]];
        case (unsigned long)-ERESTARTNOINTR:
            regs->ax = regs->orig_ax;
            regs->ip -= 2;  // back onto the SYSCALL instruction
            break;
        }
    }
    task_struct* t = current;
    // The mask the handler's return restores: the one before rt_sigsuspend if that is what was interrupted.
    sigset_t old = t->restore_sigmask ? t->saved_sigmask : t->blocked;
    if (!setup_rt_frame(ksig, &old, regs)) {
        force_sigsegv(ksig->sig);
        return;
    }
    t->restore_sigmask = false;
    Guard<IrqSave> guard(t->sighand->siglock);
    t->blocked.sig |= ksig->ka.sa.sa_mask;
    if (!(ksig->ka.sa.sa_flags & SA_NODEFER)) sigaddset(&t->blocked, ksig->sig);
    t->blocked.sig &= ~SIG_KERNEL_ONLY_MASK;
    recalc_sigpending();
}

}  // namespace

void arch_do_signal_or_restart(pt_regs* regs, bool syscall) {
    ksignal ksig{};
    if (get_signal(&ksig)) {
        handle_signal(&ksig, regs, syscall);
        return;
    }
    // No handler ran: the interrupted system call is re-issued.
    if (syscall && long(regs->orig_ax) >= 0) {
        switch (regs->ax) {
        case (unsigned long)-ERESTARTNOHAND:
        case (unsigned long)-ERESTARTSYS:
        case (unsigned long)-ERESTARTNOINTR:
            regs->ax = regs->orig_ax;
            regs->ip -= 2;
            break;
        case (unsigned long)-ERESTART_RESTARTBLOCK:
            regs->ax = __NR_restart_syscall;
            regs->ip -= 2;
            break;
        }
    }
    restore_saved_sigmask();
}

long sys_rt_sigreturn() {
    pt_regs* regs = task_pt_regs(current);
    // The handler's `ret` popped pretcode: the frame starts one word below sp.
    unsigned long addr = regs->sp - sizeof(unsigned long);
    rt_sigframe frame;
    if (copy_from_user(&frame, reinterpret_cast<const void*>(addr), offsetof(rt_sigframe, info))) {
        force_sig(SIGSEGV);
        return 0;
    }
    {
        sigset_t set = frame.uc.uc_sigmask;
        set.sig &= ~SIG_KERNEL_ONLY_MASK;
        Guard<IrqSave> guard(current->sighand->siglock);
        current->blocked = set;
        recalc_sigpending();
    }
    const sigcontext& sc = frame.uc.uc_mcontext;
    regs->r8 = sc.r8, regs->r9 = sc.r9, regs->r10 = sc.r10, regs->r11 = sc.r11;
    regs->r12 = sc.r12, regs->r13 = sc.r13, regs->r14 = sc.r14, regs->r15 = sc.r15;
    regs->di = sc.di, regs->si = sc.si, regs->bp = sc.bp, regs->bx = sc.bx;
    regs->dx = sc.dx, regs->ax = sc.ax, regs->cx = sc.cx, regs->sp = sc.sp, regs->ip = sc.ip;
    regs->flags = (regs->flags & ~FIX_EFLAGS) | (sc.flags & FIX_EFLAGS);
    // Keel runs only 64-bit user code: the selectors are always the 64-bit
    // ones, whatever the frame says (Linux validates the frame's instead).
    regs->cs = __USER_CS;
    regs->ss = __USER_DS;
    regs->orig_ax = ~0ul;  // not a system call any more: nothing to restart
    current->restart_block.fn = nullptr;  // an interrupted sleep's continuation is void now
    if (!restore_fpstate_from_frame(sc.fpstate)) {
        force_sig(SIGSEGV);
        return 0;
    }
    // The alternate-stack settings as the frame has them (errors other than a
    // fault are ignored, as Linux's restore_altstack does).
    stack_t ss = frame.uc.uc_stack;
    if (!on_sig_stack(regs->sp)) {
        unsigned mode = unsigned(ss.ss_flags) & ~SS_AUTODISARM;
        if (mode == SS_DISABLE) {
            current->sas_ss_sp = current->sas_ss_size = 0;
            current->sas_ss_flags = 0;
        } else if ((mode == 0 || mode == SS_ONSTACK) && ss.ss_size >= MINSIGSTKSZ) {
            current->sas_ss_sp = reinterpret_cast<unsigned long>(ss.ss_sp);
            current->sas_ss_size = ss.ss_size;
            current->sas_ss_flags = unsigned(ss.ss_flags) & SS_AUTODISARM;
        }
    }
    return long(regs->ax);
}
