// ELF64 file and program headers (include/uapi/linux/elf.h): what exec reads.
#pragma once
#include <keel/types.h>
#include <stddef.h>

constexpr unsigned EI_NIDENT = 16;
constexpr unsigned char ELFMAG[4] = {0x7f, 'E', 'L', 'F'};
enum : unsigned { EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6 };
enum : unsigned char { ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1 };
enum : u16 { ET_EXEC = 2, ET_DYN = 3 };
constexpr u16 EM_X86_64 = 62;
enum : u32 { PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551 };
enum : u32 { PF_X = 1, PF_W = 2, PF_R = 4 };

struct Elf64_Ehdr {
    unsigned char e_ident[EI_NIDENT];
    u16 e_type;
    u16 e_machine;
    u32 e_version;
    u64 e_entry;
    u64 e_phoff;
    u64 e_shoff;
    u32 e_flags;
    u16 e_ehsize;
    u16 e_phentsize;
    u16 e_phnum;
    u16 e_shentsize;
    u16 e_shnum;
    u16 e_shstrndx;
};
static_assert(sizeof(Elf64_Ehdr) == 64);
static_assert(offsetof(Elf64_Ehdr, e_entry) == 24 && offsetof(Elf64_Ehdr, e_phoff) == 32 &&
              offsetof(Elf64_Ehdr, e_phentsize) == 54 && offsetof(Elf64_Ehdr, e_phnum) == 56);

struct Elf64_Phdr {
    u32 p_type;
    u32 p_flags;
    u64 p_offset;
    u64 p_vaddr;
    u64 p_paddr;
    u64 p_filesz;
    u64 p_memsz;
    u64 p_align;
};
static_assert(sizeof(Elf64_Phdr) == 56);
static_assert(offsetof(Elf64_Phdr, p_offset) == 8 && offsetof(Elf64_Phdr, p_vaddr) == 16 &&
              offsetof(Elf64_Phdr, p_filesz) == 32 && offsetof(Elf64_Phdr, p_memsz) == 40);
