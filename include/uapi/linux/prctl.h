// prctl(2) options (include/uapi/linux/prctl.h): the ones Keel implements.
#pragma once

enum : int {
    PR_SET_NAME = 15,  // set the calling thread's comm (16 bytes, NUL-terminated)
    PR_GET_NAME = 16,
};
