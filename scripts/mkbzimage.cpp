// mkbzimage SETUP.bin VMLINUX.bin VMLINUX.elf OUT
// Glues the real-mode setup and the flat kernel into a bzImage: pads the setup to
// whole sectors and fills in the header fields that depend on the sizes
// (setup_sects, syssize, init_size), as Linux's arch/x86/boot/tools/build does.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

static std::vector<uint8_t> read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fprintf(stderr, "mkbzimage: cannot read %s\n", path);
        exit(1);
    }
    return {std::istreambuf_iterator<char>(in), {}};
}

template <typename T> static void put(std::vector<uint8_t>& buf, size_t off, T v) {
    memcpy(&buf[off], &v, sizeof(v));
}

// Memory the kernel occupies from its load address, .bss included: the highest
// end of any PT_LOAD segment minus the lowest start.
static uint32_t init_size_of(const std::vector<uint8_t>& elf) {
    Elf64_Ehdr eh;
    memcpy(&eh, elf.data(), sizeof(eh));
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, &elf[eh.e_phoff + i * eh.e_phentsize], sizeof(ph));
        if (ph.p_type != PT_LOAD) continue;
        lo = std::min<uint64_t>(lo, ph.p_paddr);
        hi = std::max<uint64_t>(hi, ph.p_paddr + ph.p_memsz);
    }
    return uint32_t(hi - lo);
}

int main(int argc, char** argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: mkbzimage setup.bin vmlinux.bin vmlinux out\n");
        return 1;
    }
    auto setup = read_file(argv[1]);
    auto kernel = read_file(argv[2]);
    auto elf = read_file(argv[3]);

    if (setup.size() < 0x26c || setup[0x1fe] != 0x55 || setup[0x1ff] != 0xaa ||
        memcmp(&setup[0x202], "HdrS", 4) != 0) {
        fprintf(stderr, "mkbzimage: %s has no valid setup header\n", argv[1]);
        return 1;
    }
    size_t sects = (setup.size() + 511) / 512;
    if (sects < 5) sects = 5;  // loaders assume at least 4 setup sectors after the boot sector
    setup.resize(sects * 512, 0);
    kernel.resize((kernel.size() + 15) & ~size_t(15), 0);

    setup[0x1f1] = uint8_t(sects - 1);                 // setup_sects excludes the boot sector
    put<uint32_t>(setup, 0x1f4, uint32_t(kernel.size() / 16));  // syssize in paragraphs
    put<uint32_t>(setup, 0x260, (init_size_of(elf) + 4095) & ~4095u);

    std::ofstream out(argv[4], std::ios::binary);
    out.write(reinterpret_cast<char*>(setup.data()), setup.size());
    out.write(reinterpret_cast<char*>(kernel.data()), kernel.size());
    if (!out) {
        fprintf(stderr, "mkbzimage: cannot write %s\n", argv[4]);
        return 1;
    }
    printf("  bzImage: setup %zu sectors, kernel %zu KiB, init_size %u KiB\n", sects,
           kernel.size() / 1024, init_size_of(elf) / 1024);
    return 0;
}
