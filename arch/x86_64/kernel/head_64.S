/*
 * Kernel entry. The boot loader (or our own real-mode setup) enters startup_32
 * at physical 1 MiB in 32-bit protected mode, paging off, flat segments, with
 * %esi = physical address of struct boot_params. We build nothing at run time:
 * the early page tables below are complete at link time. They map the first
 * 4 GiB three times — identity (to survive turning paging on), the direct map
 * at __PAGE_OFFSET_BASE, and the kernel image at __START_KERNEL_map — using
 * 2 MiB pages. arch/x86_64/mm/init.cpp replaces them with the final tables.
 */
#include <asm/page_types.h>
#include <asm/segment.h>

#define pa(x) ((x) - __START_KERNEL_map)
#define PTE_TABLE 0x003		/* present | writable */
#define PTE_LARGE 0x083		/* present | writable | 2 MiB page */

	.section ".head.text", "ax"
	.code32
	.globl	startup_32
startup_32:
	cli
	cld
	rdtsc					/* time zero of the boot, for printk and boot timing */
	movl	%eax, pa(tsc_boot_start)
	movl	%edx, pa(tsc_boot_start) + 4
	movl	%esi, pa(boot_params_phys)

	/* .bss is not part of the image: clear it before anything lives there. */
	movl	$pa(__bss_start), %edi
	movl	$pa(__bss_stop), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$pa(init_stack_end), %esp

	/* Long mode needs CPUID leaf 0x80000001 with the LM bit. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_longmode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_longmode

	lgdt	pa(early_gdt_descr)

	movl	%cr4, %eax
	orl	$((1 << 5) | (1 << 7)), %eax	/* PAE | PGE */
	movl	%eax, %cr4
	movl	$pa(early_top_pgt), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	btsl	$8, %eax
	wrmsr
	/* PG | WP | NE | MP | PE: paging on, and ring 0 honours read-only pages. */
	movl	$((1 << 31) | (1 << 16) | (1 << 5) | (1 << 1) | 1), %eax
	movl	%eax, %cr0
	ljmp	$__KERNEL_CS, $pa(startup_64)

no_longmode:
	/* No console exists yet; write straight to COM1 so the reason is visible. */
	movl	$pa(no_longmode_msg), %esi
1:	lodsb
	testb	%al, %al
	jz	2f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b

	.code64
startup_64:
	/* Running on the identity map; continue in the kernel's own mapping. */
	movabsq	$1f, %rax
	jmp	*%rax
1:	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movq	$init_stack_end, %rsp
	lgdt	early_gdt_descr_high
	xorl	%ebp, %ebp			/* terminates frame-pointer backtraces */
	movl	boot_params_phys(%rip), %edi
	call	x86_64_start_kernel
3:	hlt
	jmp	3b

	.section ".rodata", "a"
no_longmode_msg:
	.asciz	"Keel: this CPU does not support 64-bit long mode.\r\n"

	.section ".data", "aw"
	.balign	8
	.globl	boot_params_phys, tsc_boot_start
boot_params_phys:
	.quad	0
tsc_boot_start:			/* in .data: startup_32 writes it before clearing .bss */
	.quad	0

	/* Enough of a GDT to enter long mode; gdt.cpp installs the real one. */
	.balign	16
early_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff		/* 0x08 __KERNEL32_CS */
	.quad	0x00af9b000000ffff		/* 0x10 __KERNEL_CS (L=1) */
	.quad	0x00cf93000000ffff		/* 0x18 __KERNEL_DS */
early_gdt_end:
early_gdt_descr:
	.word	early_gdt_end - early_gdt - 1
	.quad	pa(early_gdt)
early_gdt_descr_high:
	.word	early_gdt_end - early_gdt - 1
	.quad	early_gdt

	.section ".data..page_aligned", "aw"
	.balign	4096
	.globl	early_top_pgt
early_top_pgt:
	.quad	pa(early_ident_pud) + PTE_TABLE			/* 0: identity */
	.fill	(__PAGE_OFFSET_BASE >> 39 & 511) - 1, 8, 0
	.quad	pa(early_ident_pud) + PTE_TABLE			/* direct map */
	.fill	511 - (__PAGE_OFFSET_BASE >> 39 & 511) - 1, 8, 0
	.quad	pa(early_kernel_pud) + PTE_TABLE		/* 511: kernel image */
early_ident_pud:
	.quad	pa(early_pmd) + PTE_TABLE
	.quad	pa(early_pmd) + 0x1000 + PTE_TABLE
	.quad	pa(early_pmd) + 0x2000 + PTE_TABLE
	.quad	pa(early_pmd) + 0x3000 + PTE_TABLE
	.fill	508, 8, 0
early_kernel_pud:
	.fill	510, 8, 0
	.quad	pa(early_pmd) + PTE_TABLE			/* -2 GiB: __START_KERNEL_map */
	.quad	0
early_pmd:
	.set	i, 0
	.rept	2048
	.quad	(i << 21) + PTE_LARGE
	.set	i, i + 1
	.endr

	.section ".bss", "aw", @nobits
	.balign	4096
	.globl	init_stack, init_stack_end
init_stack:
	.space	16384				/* THREAD_SIZE: the boot CPU's first stack */
init_stack_end:
