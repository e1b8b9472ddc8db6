// Byte-at-a-time string routines: simple and obviously correct. memcpy and
// memset move 8 bytes at a time (`rep movsq/stosq`, then the byte tail):
// hardware runs `rep movsb` fast, but QEMU's TCG emulates it a byte at a
// time, and page clearing and copy-on-write copies go through these.
#include <lib/string.h>
#include <uapi/asm/errno.h>

extern "C" {

void* memcpy(void* dst, const void* src, size_t n) noexcept {
    void* ret = dst;
    size_t qwords = n / 8, tail = n % 8;
    asm volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(qwords)::"memory");
    asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail)::"memory");
    return ret;
}

void* memmove(void* dst, const void* src, size_t n) noexcept {
    auto d = static_cast<unsigned char*>(dst);
    auto s = static_cast<const unsigned char*>(src);
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    // Overlap with dst above src: copy backwards so the tail is read before it is written.
    while (n--) d[n] = s[n];
    return dst;
}

void* memset(void* dst, int c, size_t n) noexcept {
    void* ret = dst;
    size_t qwords = n / 8, tail = n % 8;
    unsigned long pattern = (c & 0xff) * 0x0101010101010101ul;
    asm volatile("rep stosq" : "+D"(dst), "+c"(qwords) : "a"(pattern) : "memory");
    asm volatile("rep stosb" : "+D"(dst), "+c"(tail) : "a"(pattern) : "memory");
    return ret;
}

int memcmp(const void* a, const void* b, size_t n) noexcept {
    auto x = static_cast<const unsigned char*>(a);
    auto y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

void* memchr(const void* s, int c, size_t n) noexcept {
    auto p = static_cast<const unsigned char*>(s);
    for (size_t i = 0; i < n; i++)
        if (p[i] == static_cast<unsigned char>(c)) return const_cast<unsigned char*>(p + i);
    return nullptr;
}

size_t strlen(const char* s) noexcept {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

size_t strnlen(const char* s, size_t max) noexcept {
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

int strcmp(const char* a, const char* b) noexcept {
    while (*a && *a == *b) a++, b++;
    return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}

int strncmp(const char* a, const char* b, size_t n) noexcept {
    for (; n; n--, a++, b++) {
        if (*a != *b) return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
        if (!*a) return 0;
    }
    return 0;
}

char* strchr(const char* s, int c) noexcept {
    for (;; s++) {
        if (*s == static_cast<char>(c)) return const_cast<char*>(s);
        if (!*s) return nullptr;
    }
}

char* strrchr(const char* s, int c) noexcept {
    const char* last = nullptr;
    for (;; s++) {
        if (*s == static_cast<char>(c)) last = s;
        if (!*s) return const_cast<char*>(last);
    }
}

char* strstr(const char* haystack, const char* needle) noexcept {
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (strncmp(haystack, needle, n) == 0) return const_cast<char*>(haystack);
    return n == 0 ? const_cast<char*>(haystack) : nullptr;
}

}  // extern "C"

long strscpy(char* dst, const char* src, size_t size) noexcept {
    if (size == 0) return -E2BIG;
    size_t i = 0;
    for (; i < size - 1 && src[i]; i++) dst[i] = src[i];
    dst[i] = '\0';
    return src[i] ? -E2BIG : long(i);
}
