// Publishing the timekeeper to user space (Linux's kernel/time/vsyscall.c). The
// vDSO's clock_gettime redoes timekeeping's arithmetic on this copy: the same
// cycle_last, mult and shift, and per clock its time at cycle_last split into
// seconds and nanoseconds << shift, so user space and ktime_get_* agree to the
// nanosecond without a division on the fast path.
#include <asm/page_types.h>
#include <keel/timekeeper_internal.h>
#include <vdso/vsyscall.h>

namespace {

union alignas(PAGE_SIZE) vdso_data_page {
    vdso_data data;
    u8 page[PAGE_SIZE];
};
static_assert(sizeof(vdso_data_page) == PAGE_SIZE);
vdso_data_page vdso_data_store;

// The time `t` (ns) plus the timekeeper's sub-nanosecond remainder, as seconds
// and shifted nanoseconds. Keeping the remainder makes the vDSO's result the
// one timekeeping_delta_to_ns gives, not one nanosecond off now and then.
void set_hres_base(vdso_timestamp& ts, ktime_t t, const tk_read_base& tkr) {
    ts.sec = u64(t / NSEC_PER_SEC);
    ts.nsec = (u64(t % NSEC_PER_SEC) << tkr.shift) + tkr.xtime_nsec;
}

void set_coarse_base(vdso_timestamp& ts, ktime_t t) {
    ts.sec = u64(t / NSEC_PER_SEC);
    ts.nsec = u64(t % NSEC_PER_SEC);
}

}  // namespace

vdso_data* vdso_k_data() { return &vdso_data_store.data; }

void update_vsyscall(const timekeeper& tk) {
    vdso_data* vd = &vdso_data_store.data;
    const tk_read_base& tkr = tk.tkr_mono;
    // Odd while the page changes; the fences order the count against the data
    // for readers on other CPUs (x86 keeps stores in order, the compiler must too).
    __atomic_store_n(&vd->seq, vd->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);

    vd->clock_mode = tkr.clock ? tkr.clock->vdso_clock_mode : VDSO_CLOCKMODE_NONE;
    vd->cycle_last = tkr.cycle_last;
    vd->mask = tkr.mask;
    vd->mult = tkr.mult;
    vd->shift = tkr.shift;
    ktime_t mono = tkr.base, real = tkr.base + tk.offs_real, boot = tkr.base + tk.offs_boot;
    set_hres_base(vd->basetime[VDSO_CLOCK_REALTIME], real, tkr);
    set_hres_base(vd->basetime[VDSO_CLOCK_MONOTONIC], mono, tkr);
    set_hres_base(vd->basetime[VDSO_CLOCK_BOOTTIME], boot, tkr);
    set_coarse_base(vd->basetime[VDSO_CLOCK_REALTIME_COARSE], real);
    set_coarse_base(vd->basetime[VDSO_CLOCK_MONOTONIC_COARSE], mono);

    __atomic_store_n(&vd->seq, vd->seq + 1, __ATOMIC_RELEASE);
}
