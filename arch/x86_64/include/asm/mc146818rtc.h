// The MC146818 real-time clock in the PC's CMOS (Linux's asm/mc146818rtc.h and
// linux/mc146818rtc.h): a battery-backed calendar at I/O ports 0x70 (index)
// and 0x71 (data). It keeps the time in BCD or binary and the hour in 12- or
// 24-hour form, as register B says; the decoding below is pure, so host tests
// check it.
#pragma once
#include <keel/types.h>

enum : u8 {
    RTC_SECONDS = 0x00,
    RTC_MINUTES = 0x02,
    RTC_HOURS = 0x04,
    RTC_DAY_OF_MONTH = 0x07,
    RTC_MONTH = 0x08,
    RTC_YEAR = 0x09,
    RTC_REG_A = 0x0a,
    RTC_REG_B = 0x0b,
    RTC_CENTURY = 0x32,  // where the PC's firmware keeps it (the FADT's century field)
};
enum : u8 {
    RTC_UIP = 0x80,        // reg A: an update is in progress, fields may be torn
    RTC_24H = 0x02,        // reg B: hours 0-23 (else 1-12 with bit 7 = PM)
    RTC_DM_BINARY = 0x04,  // reg B: binary fields (else BCD)
};

// The raw register values of one reading.
struct mc146818_regs {
    u8 sec, min, hour, mday, mon, year, century, reg_b;
};

// A decoded date: full year, month 1..12.
struct cmos_time {
    unsigned year, mon, mday, hour, min, sec;
};

constexpr unsigned bcd2bin(u8 v) { return (v & 0x0f) + (v >> 4) * 10; }

constexpr cmos_time mc146818_decode(const mc146818_regs& r) {
    bool bcd = !(r.reg_b & RTC_DM_BINARY);
    auto dec = [bcd](u8 v) { return bcd ? bcd2bin(v) : unsigned(v); };
    bool pm = !(r.reg_b & RTC_24H) && (r.hour & 0x80);
    unsigned hour = dec(u8(r.hour & 0x7f));
    if (!(r.reg_b & RTC_24H)) hour = (hour % 12) + (pm ? 12 : 0);  // 12 AM is 0, 12 PM is 12
    // Without a century register the year is taken to be 20xx.
    unsigned century = r.century ? dec(r.century) : 20;
    return {century * 100 + dec(r.year), dec(r.mon), dec(r.mday), hour, dec(r.min), dec(r.sec)};
}

// Reads the RTC (waiting out an update in progress). False if it never settles.
bool mach_get_cmos_time(cmos_time* out);
// Sets CLOCK_REALTIME from the RTC and prints Linux's rtc_hctosys line.
void rtc_hctosys();
