// Calendar conversion (Linux's kernel/time/time.c).
#include <keel/timekeeping.h>

// Gauss's algorithm, as Linux has it: counting March as the first month puts
// the leap day at the end of the year, so the days before a month follow the
// closed form 367*mon/12 and only the year needs the leap-year correction.
s64 mktime64(unsigned year, unsigned mon, unsigned day, unsigned hour, unsigned min, unsigned sec) {
    if (int(mon -= 2) <= 0) {  // 1..12 -> 11,12,1..10
        mon += 12;
        year -= 1;
    }
    s64 days = s64(year / 4 - year / 100 + year / 400 + 367 * mon / 12 + day) + s64(year) * 365 - 719499;
    return ((days * 24 + hour) * 60 + min) * 60 + sec;
}
