// Stack traces for the lock validator: the frame-pointer chain (the kernel is
// built with frame pointers), read with copy_from_kernel_nofault so a corrupt
// chain ends the trace instead of faulting.
#include <asm/uaccess.h>
#include <keel/lockdep.h>
#include <keel/printk.h>

__noinline unsigned save_stack_trace(unsigned long* entries, unsigned max_entries) {
    auto bp = reinterpret_cast<unsigned long>(__builtin_frame_address(0));
    unsigned n = 0;
    while (n < max_entries && bp && !(bp & 7)) {
        unsigned long frame[2];  // saved rbp, return address
        if (copy_from_kernel_nofault(frame, reinterpret_cast<void*>(bp), sizeof(frame)) || !frame[1]) break;
        entries[n++] = frame[1];
        if (frame[0] <= bp) break;  // callers' frames are higher on the stack
        bp = frame[0];
    }
    return n;
}

void print_stack_trace(const unsigned long* entries, unsigned nr_entries, int spaces) {
    // A return address points after its call; show the call itself.
    for (unsigned i = 0; i < nr_entries; i++)
        printk(KERN_WARNING "%*s%pS\n", spaces, "", reinterpret_cast<void*>(entries[i] - 1));
}
