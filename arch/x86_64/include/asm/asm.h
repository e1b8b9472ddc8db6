// Inline-assembly helpers shared by the C++ code.
#pragma once

// Records that a fault at `from` is expected and resumes at `to` (see extable.cpp).
#define _ASM_EXTABLE(from, to)                  \
    ".pushsection __ex_table, \"a\"\n"          \
    ".balign 8\n"                               \
    ".quad " #from ", " #to "\n"                \
    ".popsection\n"
