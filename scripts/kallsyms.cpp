// kallsyms: turns `nm -n vmlinux` into an assembly file holding the kernel's text
// symbols, sorted by address, for backtraces and %pS. `--empty` writes a table
// with no entries for the first link. The layout (kernel/kallsyms.cpp reads it):
//     kallsyms_num_syms   u64
//     kallsyms_addresses  u64[num]       ascending
//     kallsyms_offsets    u32[num]       offset of each name in kallsyms_names
//     kallsyms_names      NUL-terminated names
//     kallsyms_types      char[num]      nm's type letter of each
#include <cstdlib>
#include <cxxabi.h>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

struct Sym {
    unsigned long long addr;
    std::string name;
    char type;  // nm's letter: T global, t local, W/w weak (/proc/kallsyms shows it)
};

// Backtraces read like Linux's: "start_kernel", not "_Z12start_kernelv" or
// "(anonymous namespace)::kernel_init()". Demangle, drop anonymous namespaces,
// drop the parameter list.
static std::string pretty_name(const std::string& mangled) {
    int status;
    char* d = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
    if (status != 0) return mangled;  // a C symbol (or not a function name)
    std::string name = d;
    free(d);
    const std::string anon = "(anonymous namespace)::";
    for (size_t pos; (pos = name.find(anon)) != std::string::npos;) name.erase(pos, anon.size());
    int depth = 0;
    for (size_t i = 0; i < name.size(); i++) {
        if (name[i] == '<') depth++;
        else if (name[i] == '>') depth--;
        else if (name[i] == '(' && depth == 0 && !(i >= 8 && name.compare(i - 8, 8, "operator") == 0))
            return name.substr(0, i);
    }
    return name;
}

int main(int argc, char** argv) {
    std::vector<Sym> syms;
    bool empty = argc > 1 && std::string(argv[1]) == "--empty";
    std::string line;
    while (!empty && std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string addr, type, name;
        if (!(in >> addr >> type >> name)) continue;  // undefined symbols have no address
        if (type != "T" && type != "t" && type != "W" && type != "w") continue;
        if (name.rfind(".L", 0) == 0 || name.rfind("__kstrtab", 0) == 0) continue;
        syms.push_back({std::stoull(addr, nullptr, 16), pretty_name(name), type[0]});
    }
    std::cout << "\t.section .kallsyms, \"a\"\n\t.balign 8\n";
    std::cout << "\t.globl kallsyms_num_syms\nkallsyms_num_syms:\n\t.quad " << syms.size() << "\n";
    std::cout << "\t.globl kallsyms_addresses\nkallsyms_addresses:\n";
    for (auto& s : syms) std::cout << "\t.quad 0x" << std::hex << s.addr << std::dec << "\n";
    std::cout << "\t.globl kallsyms_offsets\nkallsyms_offsets:\n";
    size_t off = 0;
    for (auto& s : syms) {
        std::cout << "\t.long " << off << "\n";
        off += s.name.size() + 1;
    }
    std::cout << "\t.globl kallsyms_names\nkallsyms_names:\n";
    for (auto& s : syms) {
        std::cout << "\t.asciz \"";
        for (char c : s.name) std::cout << ((c == '"' || c == '\\') ? "\\" : "") << c;
        std::cout << "\"\n";
    }
    std::cout << "\t.byte 0\n";
    std::cout << "\t.globl kallsyms_types\nkallsyms_types:\n";
    for (auto& s : syms) std::cout << "\t.byte " << int(s.type) << "\n";
    std::cout << "\t.section .note.GNU-stack, \"\", @progbits\n";  // no executable stack
    return 0;
}
