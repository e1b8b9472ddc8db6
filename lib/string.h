// The C string and memory functions the kernel (and the compiler) rely on.
// Defined by lib/string.cpp. The declarations match the C library's exactly
// (extern "C", noexcept), so host unit tests link and exercise these definitions.
#pragma once
#include <stddef.h>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n) noexcept;
void* memmove(void* dst, const void* src, size_t n) noexcept;
void* memset(void* dst, int c, size_t n) noexcept;
int memcmp(const void* a, const void* b, size_t n) noexcept;
void* memchr(const void* s, int c, size_t n) noexcept;
size_t strlen(const char* s) noexcept;
size_t strnlen(const char* s, size_t max) noexcept;
int strcmp(const char* a, const char* b) noexcept;
int strncmp(const char* a, const char* b, size_t n) noexcept;
char* strchr(const char* s, int c) noexcept;
char* strrchr(const char* s, int c) noexcept;
char* strstr(const char* haystack, const char* needle) noexcept;
}

// Copies at most size-1 bytes and always terminates; returns the length copied,
// or -E2BIG when src did not fit (Linux's strscpy).
long strscpy(char* dst, const char* src, size_t size) noexcept;
