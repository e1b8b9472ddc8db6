// The kernel's copy of the zero page, taken before anything can overwrite the original.
#pragma once
#include <uapi/asm/bootparam.h>

extern boot_params boot_params;
