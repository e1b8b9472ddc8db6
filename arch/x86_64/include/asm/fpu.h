// The FPU/SSE/AVX register state of a task. The kernel itself never touches
// these registers (it is built with -mgeneral-regs-only), so a task's state only
// has to be saved and restored at context switch: eagerly, with XSAVE where the
// CPU has it (FXSAVE otherwise).
#pragma once
#include <keel/types.h>

struct task_struct;

// Enables the FPU, SSE and (with XSAVE) AVX state on this CPU.
void fpu__init_cpu();
// Boot CPU, once the slab allocator runs: picks XSAVE or FXSAVE, the state size,
// and records a clean initial image for new tasks.
void fpu__init_system();
// Gives p a state area holding the clean initial state (FNINIT, MXCSR 0x1f80).
bool fpu_alloc_state(task_struct* p);
void fpu_free_state(task_struct* p);
// fork/clone: p's state becomes a copy of current's live registers.
void fpu_clone(task_struct* p);
void switch_fpu(task_struct* prev, task_struct* next);
extern unsigned fpu_state_size;
