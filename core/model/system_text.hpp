// The two C library reads every core area needs and that are not thread-safe as the C library
// spells them: an errno's text (std::strerror shares one buffer between threads) and an
// environment variable (std::getenv races with setenv). One place each, so clang-tidy's
// concurrency-mt-unsafe has one line to judge instead of thirty.
// Thread-safety: system_error_text is safe from any thread; environment_value is safe as long
// as nothing in the process changes its environment, and Cephalo never does (no setenv/putenv).
#pragma once

#include <cstdlib>
#include <string>
#include <system_error>

namespace cephalo {

// The system's text for an errno value, e.g. "File too large" (strerror_r underneath).
inline std::string system_error_text(int code) { return std::system_category().message(code); }

// The variable's value, nullptr when it is not set (std::getenv's contract, kept for callers
// that tell "unset" from "empty").
inline const char* environment_value(const char* name) {
  // The environment is only read, never written, by this process (see the header comment).
  return std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
}

}  // namespace cephalo
