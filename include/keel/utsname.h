// The system's names (Linux's include/linux/utsname.h and the UTS_* strings of
// generated/compile.h): what uname(2) and /proc/sys/kernel report. Keel has
// one UTS namespace; hostname and domainname are set by sethostname,
// setdomainname and /proc/sys/kernel/{hostname,domainname}.
#pragma once
#include <keel/compile.h>
#include <keel/spinlock.h>
#include <uapi/linux/utsname.h>

// "Linux" and a Linux-looking release: programs parse these to decide what the
// kernel supports, and Keel speaks Linux's ABI.
#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-keel-" KEEL_VERSION
#define UTS_VERSION "#1 SMP PREEMPT " KEEL_BUILD_TIME

extern spinlock_t uts_lock;  // the two names below
extern char uts_nodename[__NEW_UTS_LEN + 1];
extern char uts_domainname[__NEW_UTS_LEN + 1];
