// The few C++ runtime hooks a freestanding kernel still needs.
#include <keel/panic.h>

extern "C" void __cxa_pure_virtual() { panic("pure virtual function called"); }
// Static objects are never destroyed in a kernel: registering destructors is a no-op.
extern "C" int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void* __dso_handle = nullptr;
