// `tentacles new`: writes an out-of-tree tentacle project that builds against an installed prefix.
// Thread-safety: main thread.
#pragma once

#include <string>

#include "model/result.hpp"

namespace cephalo {

struct ScaffoldRequest {
  std::string kind;    // evaluator | strategy | trading_mode | interface
  std::string name;    // [a-z][a-z0-9_]*
  std::string folder;  // created; must not exist or be empty
};

Status write_scaffold(const ScaffoldRequest& request);

}  // namespace cephalo
