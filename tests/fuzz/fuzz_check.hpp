// FUZZ_CHECK: an invariant a fuzz target asserts on every input; a broken one aborts, so libFuzzer
// saves the input and the replay test fails on it. Thread-safety: stateless.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
