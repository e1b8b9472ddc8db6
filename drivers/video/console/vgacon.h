// The VGA text console (Linux: drivers/video/console/vgacon.c): printk output on the
// 80x25 colour text screen, registered as console "tty0".
#pragma once

// Registers the console; continues below whatever the BIOS left on the screen.
void vgacon_init();
