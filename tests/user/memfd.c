// memfd_create: an anonymous tmpfs file — flags (MFD_CLOEXEC,
// MFD_ALLOW_SEALING, unknown: EINVAL), name length (249 bytes max: EINVAL
// beyond), read/write/lseek/ftruncate, fstat (a regular file, mode 0777,
// nlink 0), a MAP_SHARED mapping that sees writes and is seen by read,
// sharing with a forked child, and seals (F_ADD_SEALS/F_GET_SEALS:
// F_SEAL_WRITE, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_SEAL; EPERM when
// sealing is not allowed, EBUSY for F_SEAL_WRITE with a writable mapping).
#include "tfs.h"
#include <sys/mman.h>

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 1
#define F_SEAL_SHRINK 2
#define F_SEAL_GROW 4
#define F_SEAL_WRITE 8
#endif

int main(void) {
    t_watchdog(10);
    int m, s;
    char buf[64];
    T_RET(m = memfd_create("test", 0));
    T_RET(fcntl(m, F_GETFD));
    T_RET(fcntl(m, F_GETFL) & O_ACCMODE);
    struct stat st;
    T_RET(fstat(m, &st));
    printf("regular %s mode %o nlink %lu size %lld\n", S_ISREG(st.st_mode) ? "yes" : "no", st.st_mode & 07777,
           (unsigned long)st.st_nlink, (long long)st.st_size);
    T_RET(write(m, "memfd data", 10));
    T_RET(lseek(m, 0, SEEK_SET));
    memset(buf, 0, sizeof buf);
    T_RET(read(m, buf, sizeof buf));
    printf("read: %s\n", buf);
    T_RET(ftruncate(m, 8192));
    T_RET(fstat(m, &st));
    printf("size %lld\n", (long long)st.st_size);

    // A shared mapping and the file are the same pages.
    char* map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
    printf("mmap: %s\n", map == MAP_FAILED ? t_errname(errno) : "ok");
    if (map != MAP_FAILED) {
        printf("mapping sees the write: %.10s\n", map);
        memcpy(map + 4096, "via map", 7);
        memset(buf, 0, sizeof buf);
        T_RET(pread(m, buf, 7, 4096));
        printf("read sees the mapping: %s\n", buf);
        fflush(stdout);
        pid_t c = fork();
        if (c == 0) {
            memcpy(map, "CHILD", 5);
            _exit(0);
        }
        waitpid(c, NULL, 0);
        memset(buf, 0, sizeof buf);
        T_RET(pread(m, buf, 10, 0));
        printf("after the child: %s\n", buf);
        munmap(map, 8192);
    }

    // Flags and names.
    T_RET(s = memfd_create("cloexec", MFD_CLOEXEC));
    T_RET(fcntl(s, F_GETFD));
    close(s);
    T_RET(memfd_create("bad", 0x100));  // EINVAL
    char name[300];
    memset(name, 'n', 249);
    name[249] = 0;
    T_RET((s = memfd_create(name, 0)) >= 0);  // 249: fine
    close(s);
    name[249] = 'n';
    name[250] = 0;
    T_RET(memfd_create(name, 0));     // EINVAL
    T_RET(memfd_create((char*)1, 0)); // EFAULT

    // Seals.
    T_RET(fcntl(m, F_GET_SEALS));     // without MFD_ALLOW_SEALING: F_SEAL_SEAL
    T_RET(fcntl(m, F_ADD_SEALS, F_SEAL_WRITE));  // EPERM
    T_RET(s = memfd_create("sealed", MFD_ALLOW_SEALING));
    T_RET(fcntl(s, F_GET_SEALS));
    T_RET(write(s, "0123456789", 10));
    T_RET(fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK));
    T_RET(ftruncate(s, 5));           // EPERM
    T_RET(ftruncate(s, 20));          // growing is fine
    T_RET(fcntl(s, F_ADD_SEALS, F_SEAL_GROW));
    T_RET(ftruncate(s, 30));          // EPERM
    T_RET(pwrite(s, "x", 1, 25));     // EPERM: past the end would grow it
    T_RET(pwrite(s, "x", 1, 5));      // inside: fine
    char* w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
    T_RET(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));  // EBUSY: a writable mapping
    munmap(w, 4096);
    T_RET(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));
    T_RET(write(s, "y", 1));          // EPERM
    w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
    printf("writable shared map after F_SEAL_WRITE: %s\n", w == MAP_FAILED ? t_errname(errno) : "ok");
    w = mmap(NULL, 4096, PROT_READ, MAP_SHARED, s, 0);
    printf("read-only map: %s\n", w == MAP_FAILED ? t_errname(errno) : "ok");
    T_RET(fcntl(s, F_ADD_SEALS, F_SEAL_SEAL));
    T_RET(fcntl(s, F_GET_SEALS));
    T_RET(fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK));  // EPERM: sealed seals
    T_RET(fcntl(0, F_GET_SEALS));     // EINVAL: not a memfd/shmem file
    t_exit(0);
}
