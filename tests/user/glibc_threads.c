// The threads test (threads.c) built against glibc instead of musl. glibc's
// NPTL reaches the kernel differently: clone3 first (falling back to clone on
// ENOSYS), rseq and the robust list registered per thread, and condition
// variables and joins over FUTEX_WAIT_BITSET with absolute timeouts. The
// output must be the same as musl's, and as on Linux.
#include "threads.c"
