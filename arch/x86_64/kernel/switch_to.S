/*
 * __switch_to_asm(prev, next, &prev->thread.sp, &next->thread.sp): the context
 * switch proper (the addresses come from C++, so no structure offsets live here). Everything the C++
 * caller expects to survive a call (rbp, rbx, r12-r15) is pushed on prev's
 * stack, prev's stack pointer is saved in its thread_struct, next's is loaded,
 * and its registers popped: we now run on next's stack, and __switch_to (C++)
 * finishes the job (FPU state, `current`, TSS) and returns as next.
 *
 * A new task's stack is prepared by copy_thread to look like it was switched
 * out here, with ret_from_fork as the return address.
 */
	.section ".text", "ax"
	.globl	__switch_to_asm
__switch_to_asm:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdx)
	movq	(%rcx), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	jmp	__switch_to		/* (prev, next) still in %rdi, %rsi; returns prev */

/* First instructions of every new task: finish the switch, then run the thread
 * function that copy_thread left in %rbx with its argument in %r12. %rsp is now
 * the task's pt_regs at the top of its stack. A user task (a forked child, %rbx
 * = 0) goes straight to user mode; a kernel thread whose function returns
 * exits, unless it became a user task by exec (kernel_init running init),
 * which then returns to user mode like Linux's kernel_execve callers. */
	.globl	ret_from_fork
ret_from_fork:
	movq	%rax, %rdi		/* prev, as __switch_to returned it */
	call	schedule_tail
	testq	%rbx, %rbx
	jz	1f
	movq	%rsp, %r13
	andq	$-16, %rsp		/* pt_regs is 168 bytes: realign for the C++ ABI */
	movq	%r12, %rdi
	call	*%rbx
	movq	%rax, %rdi
	call	kernel_thread_returned	/* returns only after a successful exec */
	movq	%r13, %rsp
1:	jmp	ret_to_user
