// HPET main counter as a clocksource (Linux's arch/x86/kernel/hpet.c).
#include <acpi/acpi.h>
#include <asm/hpet.h>
#include <asm/io.h>
#include <asm/tsc.h>
#include <keel/clocksource.h>
#include <keel/printk.h>
#include <mm/vmalloc.h>

unsigned long hpet_freq;

namespace {

volatile u8* hpet_virt_address;

u64 hpet_readq(u32 reg) { return readx<u64>(hpet_virt_address + reg); }
u32 hpet_readl(u32 reg) { return readx<u32>(hpet_virt_address + reg); }
void hpet_writeq(u64 v, u32 reg) { writex<u64>(hpet_virt_address + reg, v); }

// The low 32 bits: a 32-bit read is one MMIO access on every HPET, and at
// 100 MHz they wrap only every 42 s (Linux reads the same way).
u64 read_hpet(clocksource*) { return hpet_readl(HPET_COUNTER); }

clocksource clocksource_hpet = {
    .read = read_hpet,
    .mask = CLOCKSOURCE_MASK(32),
    .name = "hpet",
    .rating = 250,
    .flags = CLOCK_SOURCE_IS_CONTINUOUS,
};

// The ACPI HPET table: after the header, the hardware ID and the generic
// address of the register block.
constexpr size_t ACPI_HPET_ID = 36, ACPI_HPET_ADDRESS = 44;

}  // namespace

bool hpet_enable() {
    const acpi_table_header* table = acpi_get_table("HPET", 0);
    if (!table || table->length < ACPI_HPET_ADDRESS + 8) return false;
    const u8* raw = reinterpret_cast<const u8*>(table);
    u32 id = *reinterpret_cast<const u32*>(raw + ACPI_HPET_ID);
    u64 address = *reinterpret_cast<const u64*>(raw + ACPI_HPET_ADDRESS);
    printk(KERN_INFO "ACPI: HPET id: 0x%x base: 0x%llx\n", id, (unsigned long long)address);
    hpet_virt_address = static_cast<volatile u8*>(ioremap(address, 1024));
    if (!hpet_virt_address) return false;

    u64 cap = hpet_readq(HPET_ID);
    u64 period_fs = cap >> 32;
    // The specification allows at most 100 ns per count; anything else is not an HPET.
    if (period_fs == 0 || period_fs > 100000000ull) {
        printk(KERN_WARNING "hpet: invalid period %llu fs\n", (unsigned long long)period_fs);
        return false;
    }
    hpet_freq = (unsigned long)(1000000000000000ull / period_fs);
    hpet_writeq(hpet_readq(HPET_CFG) | HPET_CFG_ENABLE, HPET_CFG);

    // A counter that does not move (broken firmware or emulation) is useless.
    u32 t0 = hpet_readl(HPET_COUNTER);
    udelay(20);
    if (hpet_readl(HPET_COUNTER) == t0) {
        printk(KERN_WARNING "hpet: counter not counting. HPET disabled\n");
        return false;
    }

    unsigned comparators = unsigned((cap >> 8) & 0x1f) + 1;
    // Comparators 0 and 1 are wired in legacy-replacement fashion to IRQs 2 and
    // 8 (the PIT's and the RTC's); the rest have none assigned.
    printk(KERN_INFO "hpet0: at MMIO 0x%llx, IRQs 2, 8", (unsigned long long)address);
    for (unsigned i = 2; i < comparators; i++) pr_cont(", 0");
    pr_cont("\n");
    printk(KERN_INFO "hpet0: %u comparators, %d-bit %lu.%06lu MHz counter\n", comparators,
           (cap & HPET_ID_64BIT) ? 64 : 32, hpet_freq / 1000000, hpet_freq % 1000000);
    clocksource_register_hz(&clocksource_hpet, u32(hpet_freq));
    return true;
}
