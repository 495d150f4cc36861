// Where a config value came from, and one problem found in a config, printed compiler-style.
// Thread-safety: plain values; safe to share read-only between threads.
#pragma once

#include <string>

namespace cephalo {

// 1-based. `file` is the config file as the user named it, "--set" for a command-line override
// (then `line` is which --set argument, counting from 1, and `column` the place within it), or
// "<built-in defaults>". line 0 means "the whole file" (it could not be opened).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  std::string to_string() const;  // "file:line:col", or "file" when line is 0
};

struct ConfigProblem {
  SourceLocation where;
  std::string key;  // dotted key path ("market.feeds.0.file"); empty when no key applies
  std::string message;

  // "file:line:col: key: message" - the shape editors and CI annotators already jump to.
  std::string to_string() const;
};

}  // namespace cephalo
