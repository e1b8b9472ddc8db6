/*
 * Entry stubs for all 256 IDT vectors. Each stub is 16 bytes: it pushes a zero
 * where the CPU pushes no error code (so every frame looks alike), pushes its
 * vector and jumps to idt_common, which completes a struct pt_regs and calls
 * do_idt_entry(regs, vector). The handler may change regs (an exception fixup
 * moves regs->ip); the return path restores whatever is there.
 */
#include <asm/segment.h>

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
	cld
	movq	%rsp, %rdi
	movq	%rsp, %rbx		/* callee-saved: the frame survives the call */
	andq	$-16, %rsp		/* the C++ ABI wants a 16-byte aligned stack */
	xorl	%ebp, %ebp		/* backtraces stop at the interrupted frame's pt_regs */
	call	do_idt_entry
	movq	%rbx, %rdi
	call	irqentry_exit_cond_resched	/* preempt the interrupted kernel code if asked */
	movq	%rbx, %rsp
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
	addq	$8, %rsp		/* error code */
	testb	$3, 8(%rsp)
	jz	2f
	swapgs
2:	iretq
