/*
 * The application processors' way from reset to the kernel (Linux's
 * arch/x86/realmode/rm/trampoline_64.S). An AP woken by a STARTUP IPI begins in
 * real mode at TRAMPOLINE_BASE (vector 0x08 -> 0x0800:0000), so smpboot copies
 * trampoline_start..trampoline_end there. The blob switches real -> protected
 * -> long mode on page tables smpboot builds next to it (an identity map of the
 * first 2 MiB, so the blob survives turning paging on, plus the kernel's upper
 * half), then jumps to secondary_startup_64 in the kernel proper.
 */
#define TRAMPOLINE_BASE 0x8000
#define TR_OFF(x) ((x) - trampoline_start)
#define TR_PHYS(x) (TRAMPOLINE_BASE + (x) - trampoline_start)

	.section ".rodata", "a"
	.balign	16
	.globl	trampoline_start
trampoline_start:
	.code16
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	lgdtl	TR_OFF(tr_gdt_desc)
	movl	$0x00000011, %eax	/* CR0: PE | ET; also clears CD/NW that INIT left set */
	movl	%eax, %cr0
	ljmpl	$0x08, $TR_PHYS(tr_startup_32)

	.code32
tr_startup_32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	TR_PHYS(trampoline_cr3), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* MSR_EFER: LME, and NXE when the kernel's tables use NX */
	movl	TR_PHYS(trampoline_efer), %eax
	movl	TR_PHYS(trampoline_efer) + 4, %edx
	wrmsr
	movl	$0x80050033, %eax	/* CR0: PG | AM | WP | NE | ET | MP | PE */
	movl	%eax, %cr0
	ljmpl	$0x18, $TR_PHYS(tr_startup_64)

	.code64
tr_startup_64:
	jmpq	*TR_PHYS(trampoline_target)

	.balign	8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_desc:
	.word	tr_gdt_end - tr_gdt - 1
	.long	TR_PHYS(tr_gdt)

	/* Filled in by smpboot in the copy below 1 MiB. */
	.balign	8
	.globl	trampoline_cr3, trampoline_efer, trampoline_target
trampoline_cr3:
	.long	0, 0
trampoline_efer:
	.quad	0
trampoline_target:
	.quad	0
	.globl	trampoline_end
trampoline_end:

/*
 * In the kernel mapping now, on the trampoline's page tables: switch to the
 * kernel's own, take this CPU's idle stack and per-CPU area (smpboot set
 * initial_stack and initial_gs for the one CPU it is starting), and enter C.
 */
	.text
	.globl	secondary_startup_64
secondary_startup_64:
	movq	initial_cr3(%rip), %rax
	movq	%rax, %cr3
	movq	initial_stack(%rip), %rsp
	movl	$0xc0000101, %ecx	/* MSR_GS_BASE */
	movl	initial_gs(%rip), %eax
	movl	initial_gs + 4(%rip), %edx
	wrmsr
	xorl	%ebp, %ebp
	call	start_secondary
	ud2
