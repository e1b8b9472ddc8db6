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
 * function that copy_thread left in %rbx with its argument in %r12. */
	.globl	ret_from_fork
ret_from_fork:
	movq	%rax, %rdi		/* prev, as __switch_to returned it */
	call	schedule_tail
	movq	%r12, %rdi
	call	*%rbx
	movq	%rax, %rdi
	call	kthread_exit		/* never returns */
	ud2
