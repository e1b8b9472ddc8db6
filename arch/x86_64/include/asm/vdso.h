// The vDSO (Linux's arch/x86/include/asm/vdso.h): a small ELF shared object the
// kernel maps into every process, with the page of timekeeping data below it,
// so that clock_gettime, gettimeofday, time and getcpu need no system call.
// See docs/vdso.md.
#pragma once

struct mm_struct;
struct linux_binprm;

// The linked vDSO inside the kernel image (vdso-image.S), page aligned.
extern "C" const char vdso_image_start[], vdso_image_end[];

// Maps the data page and the vDSO (below mmap_base, so at a random address
// once exec has randomised mmap_base) and records the vDSO in mm->vdso.
// Takes mm->mmap_lock. Returns the vDSO's address, 0 when the vDSO is off
// (vdso=0), or -errno.
long map_vdso(mm_struct* mm);

// exec's hook (Linux's name), called once the new image and stack are in
// place and before the auxiliary vector is built: maps the vDSO into
// current->mm. AT_SYSINFO_EHDR then carries current->mm->vdso when it is set.
int arch_setup_additional_pages(linux_binprm* bprm, int uses_interp);
