# The IRQ core has no hardware in it: descriptors, flow handlers, the spurious
# accounting, /proc/interrupts and the vector matrix are unit-tested on the host.
keel_host_sources(irq/irqdesc.cpp irq/chip.cpp irq/handle.cpp irq/manage.cpp irq/spurious.cpp
                  irq/proc.cpp irq/matrix.cpp)
