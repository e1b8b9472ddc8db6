#pragma once

// lkdtm=<TYPE> on the command line: crash the kernel on purpose, in a known way,
// so tests can check what an oops, a panic or a warning prints.
void lkdtm_run_requested();
