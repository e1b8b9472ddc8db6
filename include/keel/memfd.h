// memfd (Linux's include/linux/memfd.h): anonymous memory files with seals.
#pragma once
#include <keel/result.h>

struct file;

// A new, empty memfd named name (the full "memfd:..." text), open for reading
// and writing; flags are memfd_create's (MFD_ALLOW_SEALING; MFD_CLOEXEC is the
// caller's business).
Result<file*> memfd_file_create(const char* name, unsigned flags);

// fcntl's F_ADD_SEALS and F_GET_SEALS on f; EINVAL for a file that is not a
// memfd, or for another cmd.
long memfd_fcntl(file* f, unsigned cmd, unsigned long arg);
