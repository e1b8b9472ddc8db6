// The banner start_kernel prints first, in the shape of Linux's /proc/version so
// tools that parse "Linux version" lines recognise it.
#include <keel/compile.h>
#include <init/version.h>

const char linux_banner[] = "Keel version " KEEL_VERSION " (root@keel) (" KEEL_COMPILER
                            ", GNU ld) #1 SMP PREEMPT " KEEL_BUILD_TIME "\n";
