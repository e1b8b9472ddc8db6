// The 8254 PIT as clock event device and clocksource (Linux's
// drivers/clocksource/i8253.c and arch/x86/kernel/i8253.c).
#include <asm/i8253.h>
#include <asm/io.h>
#include <keel/clockchips.h>
#include <keel/clocksource.h>
#include <keel/interrupt.h>
#include <keel/jiffies.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <keel/spinlock.h>

namespace {

// Port pairs must not interleave (the counter is written and latched in two
// byte accesses).
spinlock_t i8253_lock;
constexpr u16 LATCH = u16((PIT_TICK_RATE + HZ / 2) / HZ);

// ---- channel 0: clock event device ------------------------------------------------

int pit_shutdown(clock_event_device*) {
    Guard<IrqSave> guard(i8253_lock);
    outb(0x30, PIT_MODE);  // channel 0, lobyte/hibyte, mode 0, and no count: stops
    outb(0, PIT_CH0);
    outb(0, PIT_CH0);
    return 0;
}

int pit_set_periodic(clock_event_device*) {
    Guard<IrqSave> guard(i8253_lock);
    outb(0x34, PIT_MODE);  // mode 2: rate generator, reloads by itself
    outb(LATCH & 0xff, PIT_CH0);
    outb(LATCH >> 8, PIT_CH0);
    return 0;
}

int pit_set_oneshot(clock_event_device*) {
    Guard<IrqSave> guard(i8253_lock);
    outb(0x38, PIT_MODE);  // mode 4: one strobe when the count runs out
    return 0;
}

int pit_next_event(unsigned long delta, clock_event_device*) {
    Guard<IrqSave> guard(i8253_lock);
    outb(delta & 0xff, PIT_CH0);
    outb((delta >> 8) & 0xff, PIT_CH0);
    return 0;
}

cpumask pit_cpumask;

// No rating: any per-CPU timer is better, as in Linux, where the PIT only
// carries the tick until the LAPIC timers are up (or for CPUs whose LAPIC
// timer stops in deep idle).
clock_event_device i8253_clockevent = {
    .set_next_event = pit_next_event,
    .features = CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT,
    .set_state_periodic = pit_set_periodic,
    .set_state_oneshot = pit_set_oneshot,
    .set_state_shutdown = pit_shutdown,
    .name = "pit",
    .irq = 0,
};

irqreturn_t timer_interrupt(int, void*) {
    clock_event_device* evt = &i8253_clockevent;
    // One last interrupt may arrive after a LAPIC timer took over.
    clock_event_state state = clockevent_get_state(evt);
    if ((state == CLOCK_EVT_STATE_PERIODIC || state == CLOCK_EVT_STATE_ONESHOT) && evt->event_handler)
        evt->event_handler(evt);
    return IRQ_HANDLED;
}

// ---- channel 2: clocksource ---------------------------------------------------------

// Latches channel 2 and reads it. It counts down from 65536, so its negation
// counts up, modulo 2^16.
u64 pit_read(clocksource*) {
    Guard<IrqSave> guard(i8253_lock);
    outb(0x80, PIT_MODE);  // latch channel 2
    u8 lo = inb(PIT_CH2);
    u8 hi = inb(PIT_CH2);
    return u16(-u16(lo | (hi << 8)));
}

// The counter wraps every 55 ms, so it serves only while the tick reads it
// more often than that.
clocksource i8253_cs = {
    .read = pit_read,
    .mask = CLOCKSOURCE_MASK(16),
    .name = "pit",
    .rating = 110,
};

}  // namespace

bool pit_timer_init() {
    cpumask_set_cpu(smp_processor_id(), &pit_cpumask);
    i8253_clockevent.cpumask = &pit_cpumask;
    int rc = request_irq(0, timer_interrupt, IRQF_TIMER, "timer", nullptr);
    if (rc) {
        printk(KERN_ERR "i8253: IRQ 0 not available (%d), no PIT clock events\n", rc);
        return false;
    }
    clockevents_config_and_register(&i8253_clockevent, PIT_TICK_RATE, 0xf, 0x7fff);
    return true;
}

void pit_clocksource_init() {
    {
        Guard<IrqSave> guard(i8253_lock);
        outb((inb(PIT_PORT_B) & ~0x02) | 0x01, PIT_PORT_B);  // gate on, speaker off
        outb(0xb4, PIT_MODE);                                // channel 2, mode 2 (rate generator)
        outb(0, PIT_CH2);                                    // count 0 = 65536
        outb(0, PIT_CH2);
    }
    clocksource_register_hz(&i8253_cs, PIT_TICK_RATE);
}
