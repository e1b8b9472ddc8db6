// Virtual-terminal ioctls (include/uapi/linux/vt.h): VT_GETSTATE tells which
// console is in front, which busybox's cttyhack uses to find /dev/ttyN.
#pragma once

enum : unsigned { VT_GETSTATE = 0x5603 };

struct vt_stat {
    unsigned short v_active;  // the foreground console (1 for tty1)
    unsigned short v_signal;  // unused
    unsigned short v_state;   // bit n: ttyn is in use
};
