/*
 * The first part of a bzImage: the boot sector, the setup header a boot loader
 * reads and fills in (Documentation/x86/boot.rst), and the real-mode setup code.
 *
 * A 16-bit boot loader (QEMU's -kernel, GRUB's linux16, SYSLINUX) loads these
 * sectors below 1 MiB, the protected-mode kernel at 1 MiB, and jumps to _start
 * (offset 0x200) in real mode with CS = DS = setup segment (+0x20 for CS).
 * Setup then does what only real mode can: ask the BIOS for the e820 memory
 * map. It builds the zero page (struct boot_params), switches to 32-bit
 * protected mode and jumps to code32_start with %esi pointing at it, the same
 * state a 32-bit boot loader (GRUB's linux) enters the kernel with.
 */
#define SETUP_SECTS_PLACEHOLDER 0
#define BOOT_CS 0x10
#define BOOT_DS 0x18
#define SMAP 0x534d4150
#define BP_E820_ENTRIES 0x1e8
#define BP_HDR 0x1f1
#define BP_E820_TABLE 0x2d0
#define E820_MAX 128
#define E820_ENTRY_SIZE 20

	.code16
	.section ".bstext", "ax"
	.globl bootsect_start
bootsect_start:
	/* Only reached if someone boots the image straight from a disk sector. */
	ljmp	$0x07c0, $1f
1:	movw	%cs, %ax
	movw	%ax, %ds
	movw	%ax, %ss
	xorw	%sp, %sp
	sti
	cld
	movw	$not_a_boot_sector, %si
2:	lodsb
	andb	%al, %al
	jz	3f
	movb	$0x0e, %ah
	movw	$7, %bx
	int	$0x10
	jmp	2b
3:	xorw	%ax, %ax		/* wait for a key, then reboot through the BIOS */
	int	$0x16
	int	$0x19
	ljmp	$0xf000, $0xfff0
not_a_boot_sector:
	.ascii	"Keel is a bzImage: load it with a boot loader (QEMU -kernel, GRUB, kexec).\r\n"
	.ascii	"Press a key to reboot.\r\n\0"

	.section ".header", "a"
	.globl	hdr
hdr:
setup_sects:	.byte SETUP_SECTS_PLACEHOLDER	/* filled in by mkbzimage */
root_flags:	.word 0
syssize:	.long 0				/* filled in by mkbzimage */
ram_size:	.word 0
vid_mode:	.word 0xffff			/* NORMAL_VGA: leave the mode alone */
root_dev:	.word 0
boot_flag:	.word 0xAA55

	/* offset 0x200: the loader jumps here */
	.globl	_start
_start:
	.byte	0xeb				/* short jmp over the header */
	.byte	start_of_setup - 1f
1:
	.ascii	"HdrS"
	.word	0x020f				/* boot protocol 2.15 */
realmode_swtch:	.long 0
start_sys_seg:	.word 0x1000			/* obsolete */
		.word kernel_version_str - 0x200
type_of_loader:	.byte 0
loadflags:	.byte 0x01			/* LOADED_HIGH: the kernel goes to 1 MiB */
setup_move_size: .word 0x8000
code32_start:	.long 0x100000
ramdisk_image:	.long 0
ramdisk_size:	.long 0
bootsect_kludge: .long 0
heap_end_ptr:	.word 0
ext_loader_ver:	.byte 0
ext_loader_type: .byte 0
cmd_line_ptr:	.long 0
initrd_addr_max: .long 0x7fffffff
kernel_alignment: .long 0x200000
relocatable_kernel: .byte 0			/* linked for 1 MiB, not relocatable */
min_alignment:	.byte 12
xloadflags:	.word 0				/* no 64-bit or EFI entry points */
cmdline_size:	.long 2047			/* COMMAND_LINE_SIZE - 1 */
hardware_subarch: .long 0
hardware_subarch_data: .quad 0
payload_offset:	.long 0
payload_length:	.long 0
setup_data:	.quad 0
pref_address:	.quad 0x100000
init_size:	.long 0				/* filled in by mkbzimage */
handover_offset: .long 0
kernel_info_offset: .long 0
	.globl	hdr_end
hdr_end:

	.section ".entrytext", "ax"
start_of_setup:
	cli
	cld
	/* DS is the setup segment; make CS, ES and SS agree and take our own stack. */
	movw	%ds, %ax
	movw	%ax, %es
	movw	%ax, %ss
	movw	$setup_stack_end, %sp
	pushw	%ds
	pushw	$1f
	lretw
1:
	/* Clear .bss, which holds the zero page. */
	movw	$__bss_start, %di
	movw	$_end, %cx
	subw	%di, %cx
	xorb	%al, %al
	rep stosb

	/* The zero page starts as a copy of the header the loader filled in. */
	movw	$hdr, %si
	movw	$(zero_page + BP_HDR), %di
	movw	$(hdr_end - hdr), %cx
	rep movsb

	call	detect_memory_e820
	call	enable_a20
	jmp	go_to_protected_mode

/* INT 15h, AX=E820h: the firmware's map of physical memory, one range a call. */
detect_memory_e820:
	xorl	%ebx, %ebx
	movw	$(zero_page + BP_E820_TABLE), %di
1:	movl	$0xe820, %eax
	movl	$SMAP, %edx
	movl	$E820_ENTRY_SIZE, %ecx
	int	$0x15
	jc	2f				/* carry: end of list (or no support) */
	cmpl	$SMAP, %eax
	jne	2f
	addw	$E820_ENTRY_SIZE, %di
	incb	zero_page + BP_E820_ENTRIES
	cmpb	$E820_MAX, zero_page + BP_E820_ENTRIES
	jae	2f
	testl	%ebx, %ebx			/* ebx = 0: that was the last entry */
	jnz	1b
2:	ret

/* Open the A20 gate: BIOS first, then the "fast A20" bit in port 0x92. */
enable_a20:
	movw	$0x2401, %ax
	int	$0x15
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al			/* bit 0 would reset the machine */
	outb	%al, $0x92
	ret

go_to_protected_mode:
	cli
	movb	$0x80, %al			/* mask NMIs until the kernel has an IDT */
	outb	%al, $0x70
	movb	$0xff, %al			/* mask both 8259 PICs */
	outb	%al, $0xa1
	movb	$0xfb, %al
	outb	%al, $0x21

	/* Real-mode offsets become linear addresses by adding the segment base. */
	xorl	%ebx, %ebx
	movw	%ds, %bx
	shll	$4, %ebx
	leal	setup_gdt(%ebx), %eax
	movl	%eax, setup_gdt_ptr + 2
	lgdtl	setup_gdt_ptr
	lidtl	null_idt_ptr
	leal	in_pm32(%ebx), %eax
	movl	%eax, pm32_target		/* patch the far jump below */
	leal	zero_page(%ebx), %esi
	movl	zero_page + BP_HDR + (code32_start - hdr), %ecx

	movl	%cr0, %edx
	orb	$1, %dl				/* CR0.PE */
	movl	%edx, %cr0
	.byte	0x66, 0xea			/* ljmpl $BOOT_CS, $in_pm32 */
pm32_target:
	.long	0
	.word	BOOT_CS

	.code32
in_pm32:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%edi, %edi
	jmpl	*%ecx				/* code32_start, %esi = zero page */

	.section ".rodata", "a"
kernel_version_str:
	.asciz	"Keel"

	.section ".data", "aw"
	.balign	16
setup_gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff		/* BOOT_CS: flat 4 GiB 32-bit code */
	.quad	0x00cf92000000ffff		/* BOOT_DS: flat 4 GiB data */
setup_gdt_end:
setup_gdt_ptr:
	.word	setup_gdt_end - setup_gdt - 1
	.long	0				/* linear base, patched at run time */
null_idt_ptr:
	.word	0
	.long	0

	.section ".bss", "aw", @nobits
	.balign	16
zero_page:
	.space	4096
setup_stack:
	.space	1024
setup_stack_end:
