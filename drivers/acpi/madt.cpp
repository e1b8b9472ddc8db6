// MADT walking (Linux: arch/x86/kernel/acpi/boot.c, the acpi_parse_* handlers): turns
// the variable-length entry list into acpi_madt_info for the SMP and IRQ code, printing
// each entry the way Linux's acpi_table_print_madt_entry() does.
#include <acpi/acpi.h>
#include <keel/printk.h>
#include <lib/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "ACPI: " fmt

static const char* const polarity_names[] = {"dfl", "high", "res", "low"};
static const char* const trigger_names[] = {"dfl", "edge", "res", "level"};
static const char* polarity(u16 flags) { return polarity_names[flags & ACPI_MADT_POLARITY_MASK]; }
static const char* trigger(u16 flags) {
    return trigger_names[(flags & ACPI_MADT_TRIGGER_MASK) >> 2];
}

// The minimum length of each entry type Keel reads; 0 for types it skips.
static size_t madt_entry_size(u8 type) {
    switch (type) {
    case ACPI_MADT_TYPE_LOCAL_APIC: return sizeof(acpi_madt_local_apic);
    case ACPI_MADT_TYPE_IO_APIC: return sizeof(acpi_madt_io_apic);
    case ACPI_MADT_TYPE_INTERRUPT_OVERRIDE: return sizeof(acpi_madt_interrupt_override);
    case ACPI_MADT_TYPE_NMI_SOURCE: return sizeof(acpi_madt_nmi_source);
    case ACPI_MADT_TYPE_LOCAL_APIC_NMI: return sizeof(acpi_madt_local_apic_nmi);
    case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE: return sizeof(acpi_madt_local_apic_override);
    case ACPI_MADT_TYPE_LOCAL_X2APIC: return sizeof(acpi_madt_local_x2apic);
    case ACPI_MADT_TYPE_LOCAL_X2APIC_NMI: return sizeof(acpi_madt_local_x2apic_nmi);
    default: return 0;
    }
}

// A disabled processor still counts as possible (hot-pluggable) unless the MADT is new
// enough (revision 5) to say so explicitly with the online-capable bit.
static void add_processor(acpi_madt_info& m, u8 madt_revision, u32 acpi_id, u32 apic_id,
                          u32 flags) {
    bool enabled = flags & ACPI_MADT_ENABLED;
    bool hotplug = !enabled && (madt_revision < 5 || (flags & ACPI_MADT_ONLINE_CAPABLE));
    if (!enabled && !hotplug) return;
    for (unsigned i = 0; i < m.nr_lapics; i++) {
        // Firmware may list a CPU both as LAPIC and as x2APIC; the first entry wins.
        if (m.lapics[i].apic_id == apic_id) return;
    }
    if (m.nr_lapics == ACPI_MAX_LAPICS) {
        printk(KERN_WARNING "APIC: NR_CPUS/possible_cpus limit of %d reached. "
               "Processor %u/0x%x ignored.\n", ACPI_MAX_LAPICS, acpi_id, apic_id);
        return;
    }
    m.lapics[m.nr_lapics++] = {acpi_id, apic_id, enabled, hotplug};
    if (enabled)
        m.nr_enabled_cpus++;
    else
        m.nr_hotplug_cpus++;
}

static void parse_entry(acpi_madt_info& m, u8 madt_revision, const acpi_subtable_header* h) {
    switch (h->type) {
    case ACPI_MADT_TYPE_LOCAL_APIC: {
        auto* e = reinterpret_cast<const acpi_madt_local_apic*>(h);
        bool enabled = e->lapic_flags & ACPI_MADT_ENABLED;
        pr_info("LAPIC (acpi_id[0x%02x] lapic_id[0x%02x] %s)\n", e->processor_id, e->id,
                enabled ? "enabled" : "disabled");
        if (e->id != 0xff)  // 0xff is not a valid xAPIC id: a placeholder entry
            add_processor(m, madt_revision, e->processor_id, e->id, e->lapic_flags);
        break;
    }
    case ACPI_MADT_TYPE_LOCAL_X2APIC: {
        auto* e = reinterpret_cast<const acpi_madt_local_x2apic*>(h);
        bool enabled = e->lapic_flags & ACPI_MADT_ENABLED;
        pr_info("X2APIC (apic_id[0x%02x] uid[0x%02x] %s)\n", e->local_apic_id, e->uid,
                enabled ? "enabled" : "disabled");
        if (e->local_apic_id != 0xffffffff)
            add_processor(m, madt_revision, e->uid, e->local_apic_id, e->lapic_flags);
        break;
    }
    case ACPI_MADT_TYPE_IO_APIC: {
        auto* e = reinterpret_cast<const acpi_madt_io_apic*>(h);
        pr_info("IOAPIC (id[0x%02x] address[0x%08x] gsi_base[%u])\n", e->id, e->address,
                e->global_irq_base);
        if (m.nr_ioapics == ACPI_MAX_IOAPICS) {
            pr_warn("more than %d IOAPICs, IOAPIC id 0x%02x ignored\n", ACPI_MAX_IOAPICS, e->id);
            break;
        }
        m.ioapics[m.nr_ioapics++] = {e->id, e->address, e->global_irq_base};
        break;
    }
    case ACPI_MADT_TYPE_INTERRUPT_OVERRIDE: {
        auto* e = reinterpret_cast<const acpi_madt_interrupt_override*>(h);
        pr_info("INT_SRC_OVR (bus %u bus_irq %u global_irq %u %s %s)\n", e->bus,
                e->source_irq, e->global_irq, polarity(e->inti_flags), trigger(e->inti_flags));
        if (m.nr_overrides == ACPI_MAX_INT_OVERRIDES) {
            pr_warn("more than %d interrupt overrides, IRQ %u ignored\n",
                    ACPI_MAX_INT_OVERRIDES, e->source_irq);
            break;
        }
        m.overrides[m.nr_overrides++] = {e->bus, e->source_irq, e->global_irq, e->inti_flags};
        break;
    }
    case ACPI_MADT_TYPE_NMI_SOURCE: {
        auto* e = reinterpret_cast<const acpi_madt_nmi_source*>(h);
        pr_info("NMI_SRC (%s %s global_irq %u)\n", polarity(e->inti_flags),
                trigger(e->inti_flags), e->global_irq);
        if (m.nr_nmi_sources == ACPI_MAX_NMI_SOURCES) {
            pr_warn("more than %d NMI sources, GSI %u ignored\n", ACPI_MAX_NMI_SOURCES,
                    e->global_irq);
            break;
        }
        m.nmi_sources[m.nr_nmi_sources++] = {e->global_irq, e->inti_flags};
        break;
    }
    case ACPI_MADT_TYPE_LOCAL_APIC_NMI:
    case ACPI_MADT_TYPE_LOCAL_X2APIC_NMI: {
        u32 acpi_id;
        u16 flags;
        u8 lint;
        if (h->type == ACPI_MADT_TYPE_LOCAL_APIC_NMI) {
            auto* e = reinterpret_cast<const acpi_madt_local_apic_nmi*>(h);
            acpi_id = e->processor_id;
            flags = e->inti_flags;
            lint = e->lint;
            pr_info("LAPIC_NMI (acpi_id[0x%02x] %s %s lint[0x%x])\n", acpi_id, polarity(flags),
                    trigger(flags), lint);
        } else {
            auto* e = reinterpret_cast<const acpi_madt_local_x2apic_nmi*>(h);
            acpi_id = e->uid;
            flags = e->inti_flags;
            lint = e->lint;
            pr_info("X2APIC_NMI (uid[0x%02x] %s %s lint[0x%x])\n", acpi_id, polarity(flags),
                    trigger(flags), lint);
        }
        if (m.nr_lapic_nmis == ACPI_MAX_LAPIC_NMIS) {
            pr_warn("more than %d local APIC NMI entries, one ignored\n", ACPI_MAX_LAPIC_NMIS);
            break;
        }
        m.lapic_nmis[m.nr_lapic_nmis++] = {acpi_id, flags, lint};
        break;
    }
    case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE: {
        auto* e = reinterpret_cast<const acpi_madt_local_apic_override*>(h);
        pr_info("LAPIC_ADDR_OVR (address[0x%llx])\n", (unsigned long long)e->address);
        m.lapic_addr = e->address;
        break;
    }
    default:
        break;
    }
}

Result<void> acpi_parse_madt(const u8* buf, size_t len, acpi_madt_info& out) {
    memset(&out, 0, sizeof(out));
    if (len < sizeof(acpi_table_madt)) {
        pr_err("MADT too short (%zu bytes)\n", len);
        return Error{EINVAL};
    }
    auto* madt = reinterpret_cast<const acpi_table_madt*>(buf);
    out.lapic_addr = madt->address;
    out.pcat_compat = madt->flags & ACPI_MADT_PCAT_COMPAT;

    // The override entry may come anywhere in the list, but must win over the
    // 32-bit field regardless of order: parse_entry() simply overwrites it.
    for (size_t off = sizeof(acpi_table_madt); off < len;) {
        if (len - off < sizeof(acpi_subtable_header)) {
            pr_err("MADT: truncated entry header at offset 0x%zx\n", off);
            return Error{EINVAL};
        }
        auto* h = reinterpret_cast<const acpi_subtable_header*>(buf + off);
        size_t need = madt_entry_size(h->type);
        if (h->length < sizeof(acpi_subtable_header) || h->length > len - off ||
            h->length < need) {
            pr_err("MADT: entry type %u at offset 0x%zx has bad length %u\n", h->type, off,
                   h->length);
            return Error{EINVAL};
        }
        parse_entry(out, madt->header.revision, h);
        off += h->length;
    }
    return {};
}
