// printk internals shared with consoles, panic and (later) /proc/kmsg and dmesg.
#pragma once
#include <keel/types.h>
#include <stddef.h>

extern int console_loglevel;

// Formats the log buffer like `dmesg`: "[    0.123456] text" lines; returns the
// bytes written. Oldest records that do not fit are skipped.
size_t log_buf_read_all(char* buf, size_t size);
// Prints, straight to the consoles, the last `lines` records that console_loglevel
// kept off them, so a panic under `quiet` still shows what led to it.
void printk_dump_suppressed_tail(unsigned lines);
// Writes every stored record to one console; used when a console registers late.
struct console;
void printk_replay(console* con);
