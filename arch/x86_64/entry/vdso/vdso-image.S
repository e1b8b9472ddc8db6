/*
 * The linked vDSO inside the kernel image (Linux generates vdso-image-64.c
 * with vdso2c). Page aligned and padded to whole pages: these pages are
 * mapped into every process as they are, so no other kernel data may share
 * them.
 */
	.section .rodata.vdso, "a"
	.balign 4096
	.globl vdso_image_start
vdso_image_start:
	.incbin VDSO_SO
	.globl vdso_image_end
vdso_image_end:
	.balign 4096, 0
	.section .note.GNU-stack, "", @progbits
