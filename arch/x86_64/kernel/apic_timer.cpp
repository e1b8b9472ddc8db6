// The local APIC timer as each CPU's clock event device (Linux's
// arch/x86/kernel/apic/apic.c, timer part).
//
// Two ways to program it: the classic one counts a bus-clock-derived counter
// (divided by 16) down from a value written to TMICT, so its frequency must be
// measured (against the TSC, already calibrated); TSC-deadline mode, where the
// CPU has it, fires when the TSC reaches the value written to an MSR, needing
// no calibration and no conversion drift. The latter registers as
// "lapic-deadline", the former as "lapic", both rated 100 (better than the PIT).
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <keel/clockchips.h>
#include <keel/jiffies.h>
#include <keel/percpu.h>
#include <keel/printk.h>

namespace {

constexpr u32 APIC_DIVISOR = 16;
// Deadline mode registers the TSC at 1/8 of its rate, so the 32-bit-friendly
// clockevent arithmetic keeps precision and max_delta stays large.
constexpr u32 TSC_DIVISOR = 8;
constexpr unsigned CAL_MS = 10;

struct lapic_timer {
    clock_event_device evt;
    cpumask mask;
};
DEFINE_PER_CPU(lapic_timer, lapic_events);

u32 lapic_timer_period;  // timer counts (after the divider) per jiffy
bool lapic_deadline;

void setup_APIC_LVTT(bool periodic, bool irqen) {
    u32 lvtt = LOCAL_TIMER_VECTOR;
    if (periodic) lvtt |= APIC_LVT_TIMER_PERIODIC;
    else if (lapic_deadline) lvtt |= APIC_LVT_TIMER_TSCDEADLINE;
    if (!irqen) lvtt |= APIC_LVT_MASKED;
    apic_write(APIC_LVTT, lvtt);
    if (lapic_deadline && !periodic) {
        // The SDM: the MSR write that arms the deadline must not pass the LVTT
        // write that selects the mode.
        asm volatile("mfence" ::: "memory");
        return;
    }
    apic_write(APIC_TDCR, APIC_TDR_DIV_16);
    if (periodic) apic_write(APIC_TMICT, lapic_timer_period);
}

int lapic_next_event(unsigned long delta, clock_event_device*) {
    apic_write(APIC_TMICT, u32(delta));
    return 0;
}

int lapic_next_deadline(unsigned long delta, clock_event_device*) {
    wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + u64(delta) * TSC_DIVISOR);
    return 0;
}

int lapic_timer_shutdown(clock_event_device*) {
    apic_write(APIC_LVTT, apic_read(APIC_LVTT) | APIC_LVT_MASKED);
    apic_write(APIC_TMICT, 0);
    if (lapic_deadline) wrmsr(MSR_IA32_TSC_DEADLINE, 0);
    return 0;
}

int lapic_timer_set_periodic(clock_event_device*) {
    setup_APIC_LVTT(true, true);
    return 0;
}

int lapic_timer_set_oneshot(clock_event_device*) {
    setup_APIC_LVTT(false, true);
    return 0;
}

// LOCAL_TIMER_VECTOR, through the IRQ layer's hook (which counts it and EOIs).
void local_apic_timer_interrupt() {
    clock_event_device* evt = &this_cpu_ptr(&lapic_events)->evt;
    if (evt->event_handler) evt->event_handler(evt);
}

// Lets the timer count down from the top for CAL_MS of TSC time; the TSC was
// calibrated already, so no second reference is needed.
u32 calibrate_APIC_clock() {
    apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_MASKED);
    apic_write(APIC_TDCR, APIC_TDR_DIV_16);
    u64 cycles = u64(tsc_khz) * CAL_MS;
    apic_write(APIC_TMICT, 0xffffffff);
    u64 start = rdtsc();
    while (rdtsc() - start < cycles) cpu_relax();
    u32 counted = 0xffffffff - apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    u32 per_jiffy = u32(u64(counted) * (1000 / CAL_MS) / HZ);
    u64 bus_hz = u64(per_jiffy) * HZ * APIC_DIVISOR;
    printk(KERN_DEBUG "..... calibration result: %u\n", per_jiffy);
    printk(KERN_DEBUG "..... host bus clock speed is %lu.%04lu MHz.\n", (unsigned long)(bus_hz / 1000000),
           (unsigned long)(bus_hz / 100 % 10000));
    return per_jiffy;
}

void setup_APIC_timer() {
    lapic_timer* lt = this_cpu_ptr(&lapic_events);
    clock_event_device* evt = &lt->evt;
    *evt = clock_event_device{};
    cpumask_clear(&lt->mask);
    cpumask_set_cpu(smp_processor_id(), &lt->mask);
    evt->cpumask = &lt->mask;
    evt->set_state_shutdown = lapic_timer_shutdown;
    evt->set_state_oneshot = lapic_timer_set_oneshot;
    evt->set_state_oneshot_stopped = lapic_timer_shutdown;
    evt->rating = 100;
    evt->irq = -1;
    if (lapic_deadline) {
        // Deadline mode has no periodic form: the tick reprograms it.
        evt->name = "lapic-deadline";
        evt->features = CLOCK_EVT_FEAT_ONESHOT;
        evt->set_next_event = lapic_next_deadline;
        clockevents_config_and_register(evt, u32(tsc_khz * (1000 / TSC_DIVISOR)), 0xf, ~0ul);
    } else {
        evt->name = "lapic";
        evt->features = CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT;
        evt->set_state_periodic = lapic_timer_set_periodic;
        evt->set_next_event = lapic_next_event;
        clockevents_config_and_register(evt, lapic_timer_period * u32(HZ), 0xf, 0x7fffffff);
    }
}

}  // namespace

void setup_boot_APIC_clock() {
    if (!apic_mmio_base) {
        printk(KERN_INFO "APIC timer disabled: no local APIC\n");
        return;
    }
    lapic_deadline = cpuid(1).ecx & (1u << 24);  // CPUID.01H:ECX.TSC_Deadline
    if (lapic_deadline) printk(KERN_INFO "TSC deadline timer available\n");
    lapic_timer_period = calibrate_APIC_clock();
    if (!lapic_deadline && lapic_timer_period < 100) {
        // Slower than 25 kHz cannot be a working timer.
        printk(KERN_WARNING "APIC timer disabled due to verification failure\n");
        return;
    }
    lapic_timer_event_handler = local_apic_timer_interrupt;
    setup_APIC_timer();
}

void setup_secondary_APIC_clock() {
    if (!lapic_timer_event_handler) return;  // the boot CPU found no usable timer
    setup_APIC_timer();
}
