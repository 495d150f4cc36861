// Status and Result<T>: success or a message for the user, returned across component boundaries.
// Thread-safety: plain values; safe to move between threads, not to share mutably.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace cephalo {

// What a failing function returns: `return Error{"..."};` converts to Status or any Result<T>.
struct Error {
  std::string message;
};
// What a succeeding Status-returning function may return: `return Ok{};`.
struct Ok {};

// Success, or a message meant for the user: it names the place, what went wrong and what to do.
// Exceptions stay inside a component; what crosses between components is a Status or Result.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Ok) {}                                                // NOLINT: implicit by design
  Status(Error error) : Status(failure(std::move(error.message))) {}  // NOLINT
  static Status failure(std::string error) {
    Status status;
    // An empty message would read as success.
    status.error_ = error.empty() ? "unknown error" : std::move(error);
    return status;
  }

  bool ok() const { return error_.empty(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// A value or a Status error; C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status failed) : status_(std::move(failed)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::failure("Result built from a successful Status");
  }
  Result(Error error) : Result(Status(std::move(error))) {}  // NOLINT
  static Result failure(std::string error) { return Result(Status::failure(std::move(error))); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return status_.error(); }
  const Status& status() const { return status_; }

  // Precondition: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace cephalo
