// Host build: one CPU, so "this CPU's copy" is the variable itself.
#pragma once

#define this_cpu_read(var) (var)
#define this_cpu_write(var, val) ((var) = (val))
#define this_cpu_add(var, val) ((var) += (val))
#define this_cpu_inc(var) this_cpu_add(var, 1)
#define this_cpu_dec(var) this_cpu_add(var, -1)

extern unsigned long this_cpu_off;
