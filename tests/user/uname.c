// uname(2): the fields programs branch on must follow Linux's conventions:
// sysname "Linux", machine "x86_64", a release that starts "N.N" (its value is
// Keel's own and not compared), and the default host and domain name "(none)".
#define _GNU_SOURCE
#include "t.h"
#include <ctype.h>
#include <sys/utsname.h>

int main(void) {
    struct utsname u;
    T_RET(uname(&u));
    printf("sysname %s\n", u.sysname);
    printf("machine %s\n", u.machine);
    printf("nodename %s\n", u.nodename);
    printf("domainname %s\n", u.domainname);
    // release looks like "6.1.0-..." on Linux: digit(s), dot, digit(s).
    const char* p = u.release;
    int ok = isdigit((unsigned char)*p);
    while (isdigit((unsigned char)*p)) p++;
    ok = ok && *p == '.' && isdigit((unsigned char)p[1]);
    printf("release looks like N.N: %s\n", ok ? "yes" : "no");
    T_YES(strlen(u.version) > 0);

    // The host name can be changed by root and uname reports the new one.
    T_RET(sethostname("keeltest", 8));
    T_RET(uname(&u));
    printf("nodename %s\n", u.nodename);
    char buf[65];
    T_RET(gethostname(buf, sizeof buf));
    printf("gethostname %s\n", buf);
    T_RET(sethostname("x", 65));  // longer than __NEW_UTS_LEN (64): EINVAL
    T_RET(setdomainname("keeldomain", 10));
    T_RET(uname(&u));
    printf("domainname %s\n", u.domainname);
    t_exit(0);
}
