// Finding and listing the firmware's ACPI tables (Linux: drivers/acpi/tables.c and
// ACPICA's tbxfroot.c/tbinstal.c). The RSDP leads to the RSDT or XSDT, which lists the
// physical address of every other table; the FADT in turn points at the DSDT and FACS.
// Each table is checked against the memory map before it is touched (so a wild
// pointer cannot fault) and checksummed before it is used.
#include <acpi/acpi.h>
#include <asm/bootparam.h>
#include <asm/io.h>
#include <asm/page_types.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <lib/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

bool acpi_disabled = true;  // cleared once a valid root table is found
acpi_fadt_info acpi_gbl_FADT;

#define ACPI_MAX_TABLES 64

namespace {

struct acpi_table_desc {
    phys_addr_t address;
    const acpi_table_header* header;
};

acpi_table_desc acpi_tables[ACPI_MAX_TABLES];
unsigned acpi_nr_tables;
phys_addr_t acpi_rsdp_phys;
bool acpi_off;  // acpi=off on the command line

constexpr phys_addr_t BIOS_ROM_START = 0xe0000, BIOS_ROM_END = 0x100000;
constexpr phys_addr_t EBDA_SEGMENT_PTR = 0x40e;  // BIOS data area word: EBDA segment
constexpr size_t EBDA_SCAN_SIZE = 1024;

int parse_acpi(const char* val) {
    if (!val || strcmp(val, "off") != 0) return -EINVAL;
    acpi_off = true;
    return 0;
}
early_param("acpi", parse_acpi);

// The RSDP sits on a 16-byte boundary; a candidate needs its signature and checksums.
phys_addr_t scan_for_rsdp(phys_addr_t start, size_t len) {
    for (size_t off = 0; off + ACPI_RSDP_REV0_SIZE <= len; off += 16) {
        phys_addr_t pa = start + off;
        // A revision-2 RSDP's extended part may reach past the scanned window.
        size_t avail = acpi_os_phys_mapped(pa, sizeof(acpi_table_rsdp)) ? sizeof(acpi_table_rsdp)
                                                                        : ACPI_RSDP_REV0_SIZE;
        if (!acpi_validate_rsdp(static_cast<const u8*>(__va(pa)), avail).is_error()) return pa;
    }
    return 0;
}

phys_addr_t find_rsdp() {
    if (phys_addr_t pa = boot_params.acpi_rsdp_addr) {
        if (acpi_os_phys_mapped(pa, ACPI_RSDP_REV0_SIZE)) {
            size_t avail = acpi_os_phys_mapped(pa, sizeof(acpi_table_rsdp))
                               ? sizeof(acpi_table_rsdp) : ACPI_RSDP_REV0_SIZE;
            if (!acpi_validate_rsdp(static_cast<const u8*>(__va(pa)), avail).is_error()) return pa;
        }
        pr_warn("boot loader's RSDP at 0x%llx is invalid, scanning for one\n",
                (unsigned long long)pa);
    }
    // The EBDA segment pointer is only plausible between the BIOS data area and 640K.
    phys_addr_t ebda = phys_addr_t(readx<u16>(__va(EBDA_SEGMENT_PTR))) << 4;
    if (ebda >= 0x400 && ebda + EBDA_SCAN_SIZE <= 0xa0000) {
        if (phys_addr_t pa = scan_for_rsdp(ebda, EBDA_SCAN_SIZE)) return pa;
    }
    return scan_for_rsdp(BIOS_ROM_START, BIOS_ROM_END - BIOS_ROM_START);
}

// Maps and validates the table at `pa`; nullptr (with the reason printed) if unusable.
const acpi_table_header* map_table(phys_addr_t pa) {
    if (pa == 0 || !acpi_os_phys_mapped(pa, sizeof(acpi_table_header))) {
        pr_err("table address 0x%llx is outside the memory map, ignored\n",
               (unsigned long long)pa);
        return nullptr;
    }
    auto* h = static_cast<const acpi_table_header*>(__va(pa));
    size_t len = h->length > sizeof(acpi_table_header) ? h->length : sizeof(acpi_table_header);
    if (!acpi_os_phys_mapped(pa, len)) {
        pr_err("[%.4s] at 0x%llx: length 0x%x runs outside the memory map, ignored\n",
               h->signature, (unsigned long long)pa, h->length);
        return nullptr;
    }
    if (acpi_validate_table(reinterpret_cast<const u8*>(h), len).is_error()) {
        pr_err("table at 0x%llx ignored\n", (unsigned long long)pa);
        return nullptr;
    }
    return h;
}

void install_table(phys_addr_t pa, const acpi_table_header* h) {
    if (acpi_nr_tables == ACPI_MAX_TABLES) {
        pr_warn("more than %d tables, [%.4s] ignored\n", ACPI_MAX_TABLES, h->signature);
        return;
    }
    acpi_tables[acpi_nr_tables++] = {pa, h};
}

void print_facs(phys_addr_t pa) {
    if (!pa) return;
    if (!acpi_os_phys_mapped(pa, sizeof(acpi_table_facs))) {
        pr_err("FACS address 0x%llx is outside the memory map\n", (unsigned long long)pa);
        return;
    }
    auto* facs = static_cast<const acpi_table_facs*>(__va(pa));
    if (memcmp(facs->signature, ACPI_SIG_FACS, 4) != 0) {
        pr_err("no FACS signature at 0x%llx\n", (unsigned long long)pa);
        return;
    }
    pr_info("FACS 0x%016llX %06X\n", (unsigned long long)pa, facs->length);
}

// The FADT brings the DSDT (listed in no root table) and the power-management registers.
void install_fadt(phys_addr_t pa, const acpi_table_header* h) {
    if (acpi_get_table(ACPI_SIG_FADT, 0)) {
        pr_warn("second FADT at 0x%llx ignored\n", (unsigned long long)pa);
        return;
    }
    auto fadt = acpi_parse_fadt(reinterpret_cast<const u8*>(h), h->length);
    if (fadt.is_error()) return;
    install_table(pa, h);
    acpi_gbl_FADT = fadt.value();
    if (const acpi_table_header* dsdt = map_table(acpi_gbl_FADT.dsdt)) {
        acpi_print_table_header(acpi_gbl_FADT.dsdt, dsdt);
        if (memcmp(dsdt->signature, ACPI_SIG_DSDT, 4) == 0)
            install_table(acpi_gbl_FADT.dsdt, dsdt);
        else
            pr_err("FADT's DSDT pointer leads to a [%.4s] table, ignored\n", dsdt->signature);
    }
    print_facs(acpi_gbl_FADT.facs);
}

// The XSDT when the RSDP offers one (ACPI 2.0+), else the RSDT.
const acpi_table_header* map_root_table(const acpi_table_rsdp* rsdp, bool& xsdt) {
    xsdt = rsdp->revision >= 2 && rsdp->xsdt_physical_address;
    if (xsdt) {
        if (const acpi_table_header* h = map_table(rsdp->xsdt_physical_address)) {
            acpi_print_table_header(rsdp->xsdt_physical_address, h);
            return h;
        }
        pr_warn("XSDT unusable, falling back to the RSDT\n");
        xsdt = false;
    }
    const acpi_table_header* h = map_table(rsdp->rsdt_physical_address);
    if (h) acpi_print_table_header(rsdp->rsdt_physical_address, h);
    return h;
}

}  // namespace

bool acpi_os_phys_mapped(phys_addr_t phys, size_t len) {
    constexpr phys_addr_t LOW_MEMORY_END = 0x100000;  // always in the direct map
    phys_addr_t end = phys + (len ? len : 1);
    if (end < phys) return false;
    unsigned nr = boot_params.e820_entries;
    if (nr > E820_MAX_ENTRIES_ZEROPAGE) nr = E820_MAX_ENTRIES_ZEROPAGE;
    // The range may span several adjacent entries: advance through them.
    for (phys_addr_t cur = phys; cur < end;) {
        if (cur < LOW_MEMORY_END) {
            cur = LOW_MEMORY_END;
            continue;
        }
        phys_addr_t next = cur;
        for (unsigned i = 0; i < nr; i++) {
            const boot_e820_entry& e = boot_params.e820_table[i];
            if (cur >= e.addr && cur - e.addr < e.size) {
                next = e.addr + e.size;
                break;
            }
        }
        if (next == cur) return false;
        cur = next;
    }
    return true;
}

void acpi_boot_table_init() {
    static bool done;
    if (done) return;
    done = true;
    if (acpi_off) {
        pr_info("disabled by acpi=off\n");
        return;
    }
    acpi_rsdp_phys = find_rsdp();
    if (!acpi_rsdp_phys) {
        pr_warn("no valid RSDP found: running without ACPI\n");
        return;
    }
    auto* rsdp = static_cast<const acpi_table_rsdp*>(__va(acpi_rsdp_phys));
    acpi_print_rsdp(acpi_rsdp_phys, rsdp);

    bool xsdt;
    const acpi_table_header* root = map_root_table(rsdp, xsdt);
    if (!root) {
        pr_err("no usable RSDT/XSDT: running without ACPI\n");
        return;
    }
    u64 entries[ACPI_MAX_TABLES];
    size_t count = acpi_root_table_entries(root, xsdt, entries, ACPI_MAX_TABLES);
    if (count > ACPI_MAX_TABLES) {
        pr_warn("root table lists %zu tables, only the first %d are used\n", count,
                ACPI_MAX_TABLES);
        count = ACPI_MAX_TABLES;
    }
    for (size_t i = 0; i < count; i++) {
        const acpi_table_header* h = map_table(entries[i]);
        if (!h) continue;
        acpi_print_table_header(entries[i], h);
        if (memcmp(h->signature, ACPI_SIG_FADT, 4) == 0)
            install_fadt(entries[i], h);
        else
            install_table(entries[i], h);
    }
    acpi_disabled = false;
}

const acpi_table_header* acpi_get_table(const char sig[4], int instance) {
    for (unsigned i = 0; i < acpi_nr_tables; i++) {
        if (memcmp(acpi_tables[i].header->signature, sig, 4) == 0 && instance-- == 0)
            return acpi_tables[i].header;
    }
    return nullptr;
}

phys_addr_t acpi_os_get_root_pointer() { return acpi_rsdp_phys; }
