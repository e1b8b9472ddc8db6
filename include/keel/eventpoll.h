// epoll (Linux's include/linux/eventpoll.h): the hook the VFS calls when a
// file goes away, so that no epoll set keeps watching a freed file.
#pragma once
#include <keel/fs.h>

// Removes f from every epoll set that watches it. fput calls it before the
// file's release (Linux's __fput: eventpoll_release before f_op->release);
// it returns at once when no epoll item exists anywhere.
void eventpoll_release(file* f);
