// Boot CPU identification and the protections Keel turns on when the CPU has
// them: NX (no execution from data pages), SMEP/SMAP (the kernel may neither
// execute nor, without saying so, touch user pages), UMIP (user mode cannot read
// descriptor-table registers) and CR0.WP (read-only means read-only in ring 0 too).
#include <asm/cpufeature.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <lib/string.h>

cpuinfo_x86 boot_cpu_data;

namespace {

bool disable_smep, disable_smap, disable_nx;

int nosmep_setup(const char*) { disable_smep = true; return 0; }
int nosmap_setup(const char*) { disable_smap = true; return 0; }
int noexec_setup(const char* val) {
    if (!val) return -EINVAL;
    if (strcmp(val, "off") == 0) disable_nx = true;
    else if (strcmp(val, "on") != 0) return -EINVAL;
    return 0;
}

}  // namespace

early_param("nosmep", nosmep_setup);
early_param("nosmap", nosmap_setup);
early_param("noexec", noexec_setup);

void early_cpu_init() {
    cpuinfo_x86& c = boot_cpu_data;
    cpuid_regs r = cpuid(0);
    c.cpuid_level = r.eax;
    memcpy(c.vendor_id, &r.ebx, 4);
    memcpy(c.vendor_id + 4, &r.edx, 4);
    memcpy(c.vendor_id + 8, &r.ecx, 4);

    r = cpuid(1);
    c.family = (r.eax >> 8) & 0xf;
    c.model = (r.eax >> 4) & 0xf;
    c.stepping = r.eax & 0xf;
    if (c.family == 0xf) c.family += (r.eax >> 20) & 0xff;
    if (c.family >= 6) c.model += ((r.eax >> 16) & 0xf) << 4;
    c.pge = r.edx & (1u << 13);

    if (c.cpuid_level >= 7) {
        r = cpuid_count(7, 0);
        c.smep = r.ebx & (1u << 7);
        c.smap = r.ebx & (1u << 20);
        c.umip = r.ecx & (1u << 2);
    }
    u32 ext_level = cpuid(0x80000000).eax;
    if (ext_level >= 0x80000001) {
        r = cpuid(0x80000001);
        c.nx = r.edx & (1u << 20);
        c.gbpages = r.edx & (1u << 26);
    }
    if (ext_level >= 0x80000004) {
        for (u32 i = 0; i < 3; i++) {
            r = cpuid(0x80000002 + i);
            memcpy(c.model_id + 16 * i, &r, 16);
        }
    }
    const char* name = c.model_id;
    while (*name == ' ') name++;
    printk(KERN_INFO "CPU: %s %s (family: %#x, model: %#x, stepping: %#x)\n", c.vendor_id,
           *name ? name : "unknown", c.family, c.model, c.stepping);
}

void setup_cpu_protections() {
    cpuinfo_x86& c = boot_cpu_data;
    if (c.nx && !disable_nx) {
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NX);
        printk(KERN_INFO "NX (Execute Disable) protection: active\n");
    } else {
        __supported_pte_mask &= ~_PAGE_NX;  // the bit is reserved without NX: never set it
        printk(KERN_NOTICE "Notice: NX (Execute Disable) protection missing in CPU!\n");
    }
    u64 cr4 = read_cr4();
    if (c.pge) cr4 |= X86_CR4_PGE;
    if (c.smep && !disable_smep) cr4 |= X86_CR4_SMEP;
    if (c.smap && !disable_smap) cr4 |= X86_CR4_SMAP;
    if (c.umip) cr4 |= X86_CR4_UMIP;
    write_cr4(cr4);
    write_cr0(read_cr0() | X86_CR0_WP);
    printk(KERN_INFO "x86/cpu: SMEP %s, SMAP %s, UMIP %s, WP on\n",
           (cr4 & X86_CR4_SMEP) ? "on" : "off", (cr4 & X86_CR4_SMAP) ? "on" : "off",
           (cr4 & X86_CR4_UMIP) ? "on" : "off");
}
