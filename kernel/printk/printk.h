// printk internals shared with consoles, panic and (later) /proc/kmsg and dmesg.
#pragma once
#include <keel/types.h>
#include <stddef.h>

extern int console_loglevel;

// Moves the log into a larger buffer from memblock when log_buf_len= asks for
// one or many CPUs need one (called right after setup_arch, as in Linux).
void setup_log_buf(unsigned possible_cpus);

// Formats the log buffer like `dmesg`: "[    0.123456] text" lines; returns the
// bytes written. Oldest records that do not fit are skipped.
size_t log_buf_read_all(char* buf, size_t size);
// Prints, straight to the consoles, the last `lines` records that console_loglevel
// kept off them, so a panic under `quiet` still shows what led to it.
void printk_dump_suppressed_tail(unsigned lines);
// Writes every stored record to one console; used when a console registers late.
struct console;
void printk_replay(console* con);
