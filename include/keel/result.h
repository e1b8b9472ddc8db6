// Result<T>: a value or a Linux errno. TRY() returns the error to the caller, so
// error paths read as straight-line code; only the syscall exit turns it into -errno.
#pragma once
#include <uapi/asm/errno.h>
#include <utility>

struct Error {
    int code;  // positive errno
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : value_(std::move(value)), error_(0) {}
    Result(Error e) : error_(e.code) {}
    bool is_error() const { return error_ != 0; }
    int error() const { return error_; }
    T& value() { return value_; }
    const T& value() const { return value_; }
    T release_value() { return std::move(value_); }

private:
    T value_{};
    int error_;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() : error_(0) {}
    Result(Error e) : error_(e.code) {}
    bool is_error() const { return error_ != 0; }
    int error() const { return error_; }
    void release_value() {}

private:
    int error_;
};

#define TRY(expr)                                          \
    ({                                                     \
        auto _result = (expr);                             \
        if (_result.is_error()) return Error{_result.error()}; \
        _result.release_value();                           \
    })
