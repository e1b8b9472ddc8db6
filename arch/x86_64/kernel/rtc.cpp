// Reading the CMOS real-time clock at boot (Linux's arch/x86/kernel/rtc.c and
// drivers/rtc/hctosys.c).
#include <asm/io.h>
#include <asm/mc146818rtc.h>
#include <asm/tsc.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/timekeeping.h>

namespace {

constexpr u16 RTC_PORT_INDEX = 0x70, RTC_PORT_DATA = 0x71;
spinlock_t rtc_lock;

// Bit 7 of the index port also gates NMIs; keep it clear (NMIs enabled), as
// Linux's CMOS_READ does.
u8 cmos_read(u8 reg) {
    outb(reg, RTC_PORT_INDEX);
    return inb(RTC_PORT_DATA);
}

bool read_regs(mc146818_regs* r) {
    // An update sets UIP 244 µs before it touches the fields and takes up to
    // 2 ms; wait it out, then read, and read again if a new update began.
    for (int tries = 0; tries < 1000; tries++) {
        if (cmos_read(RTC_REG_A) & RTC_UIP) {
            udelay(10);
            continue;
        }
        r->sec = cmos_read(RTC_SECONDS);
        r->min = cmos_read(RTC_MINUTES);
        r->hour = cmos_read(RTC_HOURS);
        r->mday = cmos_read(RTC_DAY_OF_MONTH);
        r->mon = cmos_read(RTC_MONTH);
        r->year = cmos_read(RTC_YEAR);
        r->century = cmos_read(RTC_CENTURY);
        r->reg_b = cmos_read(RTC_REG_B);
        if (!(cmos_read(RTC_REG_A) & RTC_UIP) && cmos_read(RTC_SECONDS) == r->sec) return true;
    }
    return false;
}

}  // namespace

bool mach_get_cmos_time(cmos_time* out) {
    mc146818_regs r;
    {
        Guard<IrqSave> guard(rtc_lock);
        if (!read_regs(&r)) return false;
    }
    *out = mc146818_decode(r);
    return true;
}

void rtc_hctosys() {
    cmos_time tm;
    if (!mach_get_cmos_time(&tm)) {
        printk(KERN_ERR "rtc_cmos 00:00: unable to read current time\n");
        return;
    }
    timespec64 ts = {mktime64(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec), 0};
    if (do_settimeofday64(ts)) {
        printk(KERN_ERR "rtc_cmos 00:00: hctosys: unable to set the system clock\n");
        return;
    }
    printk(KERN_INFO "rtc_cmos 00:00: setting system clock to %04u-%02u-%02uT%02u:%02u:%02u UTC (%lld)\n",
           tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, (long long)ts.tv_sec);
}
