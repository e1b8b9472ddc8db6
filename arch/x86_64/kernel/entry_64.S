/*
 * Entry stubs for all 256 IDT vectors. Each stub is 16 bytes: it pushes a zero
 * where the CPU pushes no error code (so every frame looks alike), pushes its
 * vector and jumps to idt_common, which completes a struct pt_regs and calls
 * do_idt_entry(regs, vector). The handler may change regs (an exception fixup
 * moves regs->ip); the return path restores whatever is there.
 */

/* struct pt_regs from r8 to r15, the part every entry pushes alike (after ax). */
.macro PUSH_R8_TO_R15
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

/* Every general register of struct pt_regs, r15 (the bottom) up to di. */
.macro POP_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm
#include <asm/segment.h>

/* Offsets into struct pt_regs (asm/ptrace.h) and struct tss_struct (asm/desc.h). */
#define PT_CS		(17 * 8)
#define TSS_SP0		4
#define TSS_SP2		20		/* unused by the CPU in long mode: Linux's scratch slot */

#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.section ".text", "ax"
	.p2align 4
	.globl	idt_entries_start
idt_entries_start:
	vector = 0
	.rept	256
	.p2align 4
	.if !HAS_ERROR_CODE(vector)
	pushq	$0
	.endif
	pushq	$vector
	jmp	idt_common
	vector = vector + 1
	.endr
	.p2align 4
	.globl	idt_entries_end
idt_entries_end:		/* vmlinux.ld checks that every stub fit in 16 bytes */

idt_common:
	/* Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS. From user mode, switch GS. */
	testb	$3, 24(%rsp)
	jz	1f
	swapgs
1:	pushq	%rsi
	movq	8(%rsp), %rsi		/* rsi = vector; its slot becomes pt_regs->di */
	movq	%rdi, 8(%rsp)
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	PUSH_R8_TO_R15
	cld
	movq	%rsp, %rdi
	movq	%rsp, %rbx		/* callee-saved: the frame survives the call */
	andq	$-16, %rsp		/* the C++ ABI wants a 16-byte aligned stack */
	xorl	%ebp, %ebp		/* backtraces stop at the interrupted frame's pt_regs */
	call	do_idt_entry
	movq	%rbx, %rdi
	testb	$3, PT_CS(%rbx)
	jnz	3f
	call	irqentry_exit_cond_resched	/* preempt the interrupted kernel code if asked */
	jmp	4f
3:	call	irqentry_exit_to_user_mode	/* reschedule (later: signals) before user code runs */
4:	movq	%rbx, %rsp
	POP_REGS
	addq	$8, %rsp		/* error code */
	testb	$3, 8(%rsp)
	jz	2f
	swapgs
2:	iretq

/*
 * entry_SYSCALL_64: the SYSCALL instruction lands here (MSR_LSTAR) in ring 0
 * with the user's %rip in %rcx, RFLAGS in %r11, interrupts masked (MSR_SYSCALL_MASK)
 * and still on the user stack. Switch GS to the per-CPU area, park the user
 * %rsp in the TSS's unused sp2 slot, take the top of the task's kernel stack
 * (TSS sp0, updated on every context switch) and build the same struct pt_regs
 * an interrupt from user mode would: orig_ax = the system-call number, ax =
 * -ENOSYS until a handler answers. do_syscall_64 returns whether the cheap
 * SYSRET is safe; otherwise return through IRET.
 */
	.p2align 4
	.globl	entry_SYSCALL_64
entry_SYSCALL_64:
	swapgs
	movq	%rsp, %gs:cpu_tss_rw + TSS_SP2
	movq	%gs:cpu_tss_rw + TSS_SP0, %rsp
	pushq	$__USER_DS			/* ss */
	pushq	%gs:cpu_tss_rw + TSS_SP2	/* sp */
	pushq	%r11				/* flags */
	pushq	$__USER_CS			/* cs */
	pushq	%rcx				/* ip */
	pushq	%rax				/* orig_ax */
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	$-38				/* ax = -ENOSYS */
	PUSH_R8_TO_R15
	cld
	movq	%rsp, %rdi
	movq	%rax, %rsi
	movq	%rsp, %rbx			/* callee-saved: the frame survives the call */
	andq	$-16, %rsp
	xorl	%ebp, %ebp			/* backtraces stop at the user frame */
	call	do_syscall_64			/* returns with interrupts disabled */
	movq	%rbx, %rsp
	testb	%al, %al
	jz	swapgs_restore_regs_and_return_to_usermode
	POP_REGS				/* r11 == flags, rcx == ip: checked */
	movq	4*8(%rsp), %rsp			/* past orig_ax, ip, cs, flags: the user's sp */
	swapgs
	sysretq

/*
 * ret_to_user: %rsp points at the task's pt_regs (the top of its kernel stack);
 * do the exit work and return to user mode with IRET, which restores every
 * register — the path for a new program (exec) and a new process (fork).
 */
	.globl	ret_to_user
ret_to_user:
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	syscall_exit_to_user_mode
	movq	%rbx, %rsp
	/* fall through */
swapgs_restore_regs_and_return_to_usermode:
	POP_REGS
	addq	$8, %rsp			/* orig_ax */
	swapgs
	iretq
