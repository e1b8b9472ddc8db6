// The legacy 8259A PIC pair. Keel routes everything through the IO-APIC, but
// the PICs still exist: they are reprogrammed so that their vectors are
// 0x20-0x2f (never confused with an exception or a real device vector) and
// then fully masked. Anything still arriving there is counted as an error.
#include <asm/hw_irq.h>
#include <asm/io.h>
#include <keel/printk.h>

namespace {

constexpr u16 PIC_MASTER_CMD = 0x20, PIC_MASTER_IMR = 0x21;
constexpr u16 PIC_SLAVE_CMD = 0xa0, PIC_SLAVE_IMR = 0xa1;

}  // namespace

void init_8259A() {
    outb(0xff, PIC_MASTER_IMR);
    outb(0xff, PIC_SLAVE_IMR);
    // ICW1: edge, cascade, ICW4 follows; ICW2: vector base; ICW3: wiring of the
    // slave on master pin 2; ICW4: 8086 mode, normal EOI.
    outb(0x11, PIC_MASTER_CMD);
    io_delay();
    outb(PIC_VECTOR_BASE, PIC_MASTER_IMR);
    io_delay();
    outb(1u << 2, PIC_MASTER_IMR);
    io_delay();
    outb(0x01, PIC_MASTER_IMR);
    io_delay();
    outb(0x11, PIC_SLAVE_CMD);
    io_delay();
    outb(PIC_VECTOR_BASE + 8, PIC_SLAVE_IMR);
    io_delay();
    outb(2, PIC_SLAVE_IMR);
    io_delay();
    outb(0x01, PIC_SLAVE_IMR);
    io_delay();
    outb(0xff, PIC_MASTER_IMR);
    outb(0xff, PIC_SLAVE_IMR);
}

// A vector in the 8259 range: the PICs are masked, so this is the classic
// spurious IRQ 7/15 (or a misbehaving board). No EOI: the PIC has nothing in
// service for a spurious one, and the local APIC did not deliver it.
void i8259_spurious_interrupt(unsigned vector) {
    irq_err_count.fetch_add(1, memory_order::relaxed);
    printk(KERN_DEBUG "spurious 8259A interrupt: IRQ%u.\n", vector - PIC_VECTOR_BASE);
}
